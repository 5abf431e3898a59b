package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.runtime.text.LockdepText;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a run found, in a few numbers: findings per kind, the lock classes they involve, how many were suppressed, and
 * every finding's id with its headline (for a baseline). Receives every finding, suppressed or not; its
 * {@link #line()} is the one summary line a run ends with.
 */
public final class RunSummary implements FindingSink {
    private final Map<String, Integer> byKind = new LinkedHashMap<>();
    private final Set<String> lockClasses = new HashSet<>();
    private final Map<String, String> baselineReasons = new LinkedHashMap<>();
    private int findings;
    private int suppressed;

    @Override
    public synchronized void accept(Finding f) {
        if (f.kind() == Finding.Kind.MESSAGE) {
            return;
        }
        if (f.id() != null) {
            baselineReasons.putIfAbsent(f.id(), Suppressions.baselineReason(LockdepText.headline(f)));
        }
        if (f.isSuppressed()) {
            suppressed++;
            return;
        }
        findings++;
        String kind = label(f.kind());
        Integer n = byKind.get(kind);
        byKind.put(kind, n == null ? 1 : n + 1);
        for (Finding.Lock l : f.subjects()) {
            lockClasses.add(l.key() != null ? l.key() : l.name());
        }
    }

    /**
     * {@code jlockdep: 2 findings (1 circular, 1 wait/notify) in 3 lock classes; 1 suppressed}, or null when nothing
     * was found at all.
     */
    public synchronized String line() {
        if (findings == 0 && suppressed == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder("jlockdep: ");
        if (findings == 0) {
            sb.append("no findings");
        } else {
            sb.append(findings).append(findings == 1 ? " finding (" : " findings (");
            boolean first = true;
            for (Map.Entry<String, Integer> e : byKind.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
                first = false;
            }
            sb.append(") in ").append(lockClasses.size())
                    .append(lockClasses.size() == 1 ? " lock class" : " lock classes");
        }
        if (suppressed > 0) {
            sb.append("; ").append(suppressed).append(" suppressed");
        }
        return sb.toString();
    }

    /** Every finding's id, with its headline as a baseline's reason, in the order first reported. */
    public synchronized Map<String, String> baseline() {
        return new LinkedHashMap<>(baselineReasons);
    }

    /** Findings not suppressed. */
    public synchronized int findings() {
        return findings;
    }

    public synchronized int suppressed() {
        return suppressed;
    }

    /** Forgets everything counted (an engine reset). */
    public synchronized void clear() {
        byKind.clear();
        lockClasses.clear();
        baselineReasons.clear();
        findings = 0;
        suppressed = 0;
    }

    /** How the summary line counts a kind: {@code circular}, {@code wait/notify}, ... */
    static String label(Finding.Kind kind) {
        switch (kind) {
            case CIRCULAR_DEPENDENCY:
                return "circular";
            case RECURSIVE_LOCKING:
                return "recursive";
            case WAIT_NOTIFY:
                return "wait/notify";
            case BAD_UNLOCK_BALANCE:
                return "bad unlock";
            case LOCKS_HELD_AT_THREAD_EXIT:
                return "held at thread exit";
            case MAX_LOCK_DEPTH:
                return "max depth";
            case DEADLOCK:
                return "deadlock";
            default:
                return kind.id();
        }
    }
}
