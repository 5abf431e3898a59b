package io.jlockdep.runtime;

import java.util.ArrayList;
import java.util.List;

/** The most recent findings, numbered from 0 in the order reported, for callers that ask "anything new since n?". */
final class FindingHistory {
    private final Finding[] ring;
    private long count;

    FindingHistory(int capacity) {
        ring = new Finding[capacity];
    }

    synchronized void add(Finding f) {
        ring[(int) (count % ring.length)] = f;
        count++;
    }

    synchronized long count() {
        return count;
    }

    synchronized List<Finding> since(long from) {
        long first = Math.max(Math.max(from, 0L), count - ring.length);
        List<Finding> out = new ArrayList<>((int) Math.max(0L, count - first));
        for (long i = first; i < count; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    synchronized void clear() {
        java.util.Arrays.fill(ring, null);
        count = 0;
    }
}
