package io.jlockdep.runtime.finding;

import java.util.ArrayList;
import java.util.List;

/**
 * A finding's stable identifier, {@code <kind>-<16 hex digits>} (e.g. {@code circular-dependency-9f3c0a6b51d2e847}):
 * the same for the same problem in every run, every JVM and after unrelated edits, so a suppression file can name it.
 *
 * <p>What goes into the hash, one item per line (docs/json-format.md quotes this):
 * <ol>
 * <li>the recipe's version ({@code jlockdep-finding-id/1}) and the kind ({@code circular-dependency}, ...);</li>
 * <li>for a cycle (a circular dependency, a real deadlock, or any finding whose chain closes on itself): the keys of
 * the lock classes around the cycle, each with its line numbers removed, neighbours of one class merged (a cycle
 * among instances of one class is that class once), turned to start at the smallest key. Nothing else: which edge
 * closes a cycle, which thread or test got there first and which stack first took each order vary from run to run,
 * while the cycle of classes is exactly what the engine reports once;</li>
 * <li>for any other finding: the keys of its locks in order (for a lock without a class, its type), with line numbers
 * removed; for recursive locking also each lock's mode (a read-to-write upgrade is another bug than a second write);
 * for a finding about one place in the code (a bad unlock, a thread ending with locks held, too many locks held) also
 * the method (class and method name, no line) of that place.</li>
 * </ol>
 * Never a pid, a thread name, an identity hash, a time or a line number: a class key names a field, a type, an
 * allocation site (class, method and file) or an explicit name. The hash is FNV-1a (64 bits) over the UTF-16 text,
 * then MurmurHash3's 64-bit finalizer; the kind stays readable in front of it.
 */
public final class FindingId {
    static final String RECIPE = "jlockdep-finding-id/1";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FindingId() {
    }

    /** The identifier of a finding built from live or merged data. */
    static String of(Finding f) {
        Finding.Kind kind = f.kind();
        if (kind == Finding.Kind.MESSAGE) {
            return null;
        }
        List<String> ring = null;
        if (kind == Finding.Kind.DEADLOCK) {
            ring = keys(f.locks());
        } else if (isRing(f.chain())) {
            ring = new ArrayList<>(f.chain().size());
            for (Finding.Link l : f.chain()) {
                ring.add(keyOf(l.from()));
            }
        }
        if (ring != null) {
            return fromRing(kind.id(), ring);
        }
        boolean modes = kind == Finding.Kind.RECURSIVE_LOCKING;
        boolean sites = kind == Finding.Kind.BAD_UNLOCK_BALANCE || kind == Finding.Kind.MAX_LOCK_DEPTH
                || kind == Finding.Kind.LOCKS_HELD_AT_THREAD_EXIT;
        List<Finding.Lock> locks = f.subjects();
        List<String> subjects = new ArrayList<>(locks.size());
        for (Finding.Lock l : locks) {
            StringBuilder s = new StringBuilder(keyOf(l));
            if (modes) {
                s.append(l.shared() ? " shared" : " exclusive");
            }
            if (sites && l.acquiredAt() != null) {
                s.append(" at ").append(method(l.acquiredAt()));
            }
            subjects.add(s.toString());
        }
        return fromSubjects(kind.id(), subjects);
    }

    /** A cycle's identifier from its class keys in order around it (as read from a file, say). */
    public static String fromRing(String kind, List<String> keys) {
        List<String> ring = new ArrayList<>(keys.size());
        for (String k : keys) {
            String n = withoutLineNumbers(k);
            if (ring.isEmpty() || !ring.get(ring.size() - 1).equals(n)) {
                ring.add(n);
            }
        }
        while (ring.size() > 1 && ring.get(0).equals(ring.get(ring.size() - 1))) {
            ring.remove(ring.size() - 1);
        }
        int start = smallestRotation(ring);
        List<String> lines = new ArrayList<>(ring.size() + 1);
        lines.add("cycle");
        for (int i = 0; i < ring.size(); i++) {
            lines.add(ring.get((start + i) % ring.size()));
        }
        return hashed(kind, lines);
    }

    /** A non-cycle finding's identifier from its subject lines (key, then mode or place as described above). */
    public static String fromSubjects(String kind, List<String> subjects) {
        List<String> lines = new ArrayList<>(subjects.size() + 1);
        lines.add("locks");
        for (String s : subjects) {
            lines.add(withoutLineNumbers(s));
        }
        return hashed(kind, lines);
    }

    /** {@code Inode.write}: the method of a site in its short form ({@code Inode.write(Ntfs.java:57)}). */
    public static String method(String shortForm) {
        int open = shortForm.indexOf('(');
        return open < 0 ? shortForm : shortForm.substring(0, open);
    }

    /** Whether {@code id} has the form of an identifier ({@code <kind>-<16 hex digits>}, kind in lower case). */
    public static boolean isWellFormed(String id) {
        int dash = id.length() - 17;
        if (dash < 1 || id.charAt(dash) != '-') {
            return false;
        }
        for (int i = 0; i < dash; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || c == '-' || c == '/')) {
                return false;
            }
        }
        for (int i = dash + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code site:...@com.x.Cache.<init>(Cache.java:42)} becomes {@code site:...@com.x.Cache.<init>(Cache.java)}. */
    static String withoutLineNumbers(String s) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != ':') {
                continue;
            }
            int j = i + 1;
            while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                j++;
            }
            if (j > i + 1 && j < s.length() && s.charAt(j) == ')') {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, i);
                copied = j;
                i = j - 1;
            }
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    private static boolean isRing(List<Finding.Link> chain) {
        if (chain.isEmpty()) {
            return false;
        }
        for (int i = 0; i < chain.size(); i++) {
            String to = keyOf(chain.get(i).to());
            String nextFrom = keyOf(chain.get((i + 1) % chain.size()).from());
            if (!to.equals(nextFrom)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> keys(List<Finding.Lock> locks) {
        List<String> keys = new ArrayList<>(locks.size());
        for (Finding.Lock l : locks) {
            keys.add(keyOf(l));
        }
        return keys;
    }

    private static String keyOf(Finding.Lock l) {
        return l.key() != null ? l.key() : "type:" + l.name();
    }

    /** The rotation that starts the ring at its lexicographically smallest sequence. */
    private static int smallestRotation(List<String> ring) {
        int best = 0;
        for (int candidate = 1; candidate < ring.size(); candidate++) {
            for (int i = 0; i < ring.size(); i++) {
                int c = ring.get((candidate + i) % ring.size()).compareTo(ring.get((best + i) % ring.size()));
                if (c != 0) {
                    if (c < 0) {
                        best = candidate;
                    }
                    break;
                }
            }
        }
        return best;
    }

    private static String hashed(String kind, List<String> lines) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, RECIPE);
        h = mix(h, kind);
        for (String line : lines) {
            h = mix(h, line);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (h & 0xf)];
            h >>>= 4;
        }
        return kind + '-' + new String(out);
    }

    /** FNV-1a over the line's UTF-16 code units, then a newline. */
    private static long mix(long h, String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        return (h ^ '\n') * 0x100000001b3L;
    }
}
