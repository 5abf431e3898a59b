package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.finding.Finding;
import java.util.ArrayList;
import java.util.List;

/** The most recent findings, numbered from 0 in the order reported, for callers that ask "anything new since n?". */
public final class FindingHistory {
    private final Finding[] ring;
    private long count;

    public FindingHistory(int capacity) {
        ring = new Finding[capacity];
    }

    public synchronized void add(Finding f) {
        ring[(int) (count % ring.length)] = f;
        count++;
    }

    public synchronized long count() {
        return count;
    }

    public synchronized List<Finding> since(long from) {
        return between(from, count);
    }

    /**
     * The findings numbered {@code from} (inclusive) to {@code to} (exclusive) still remembered: always the newest
     * part of that range, so the list holds the findings numbered {@code end - size()} to {@code end - 1}, where end
     * is {@code to} or the count so far, whichever is smaller.
     */
    public synchronized List<Finding> between(long from, long to) {
        long end = Math.min(to, count);
        long first = Math.max(Math.max(from, 0L), count - ring.length);
        List<Finding> out = new ArrayList<>((int) Math.max(0L, end - first));
        for (long i = first; i < end; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    public synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        count = 0;
    }
}
