package io.jlockdep.junit;

import java.util.ArrayList;
import java.util.List;

/** Findings a test reports by hand, remembered like the runtime does (the latest {@code capacity}). */
final class FakeFindings implements FindingSource {
    static final FakeFindings SOURCE = new FakeFindings();

    private final List<String> all = new ArrayList<>();
    private int capacity = Integer.MAX_VALUE;

    private FakeFindings() {
    }

    /** Forgets everything; from now on remembers the latest {@code capacity} findings. */
    synchronized void reset(int capacity) {
        all.clear();
        this.capacity = capacity;
    }

    static void report(String text) {
        SOURCE.add(text);
    }

    private synchronized void add(String text) {
        all.add(text);
    }

    @Override
    public boolean attached() {
        return true;
    }

    @Override
    public synchronized long count() {
        return all.size();
    }

    @Override
    public synchronized List<String> reports(long from, long to) {
        long end = Math.min(to, all.size());
        long first = Math.max(Math.max(from, 0), all.size() - (long) capacity);
        return first >= end ? new ArrayList<>() : new ArrayList<>(all.subList((int) first, (int) end));
    }
}
