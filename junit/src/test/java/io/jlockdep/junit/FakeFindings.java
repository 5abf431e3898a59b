package io.jlockdep.junit;

import java.util.ArrayList;
import java.util.List;

/** Findings a test reports by hand, remembered like the runtime does (the latest {@code capacity}). */
final class FakeFindings implements FindingSource {
    static final FakeFindings SOURCE = new FakeFindings();

    private final List<String> all = new ArrayList<>();
    /** Numbers the extension said it showed in a failure. */
    final List<Long> shown = new ArrayList<>();
    boolean throughTests;
    private int capacity = Integer.MAX_VALUE;

    private FakeFindings() {
    }

    /** Forgets everything; from now on remembers the latest {@code capacity} findings. */
    synchronized void reset(int capacity) {
        all.clear();
        shown.clear();
        throughTests = false;
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

    /** A report's headline: its text in one line, as the agent's headline is. */
    static String headline(String text) {
        return "HEADLINE " + text.strip().replace('\n', ' ');
    }

    @Override
    public synchronized List<String> headlines(long from, long to) {
        List<String> lines = new ArrayList<>();
        for (String text : reports(from, to)) {
            lines.add(headline(text));
        }
        return lines;
    }

    @Override
    public synchronized void deliverThroughTests() {
        throughTests = true;
    }

    @Override
    public synchronized void shown(long number) {
        shown.add(number);
    }

    @Override
    public synchronized List<String> reports(long from, long to) {
        long end = Math.min(to, all.size());
        long first = Math.max(Math.max(from, 0), all.size() - (long) capacity);
        return first >= end ? new ArrayList<>() : new ArrayList<>(all.subList((int) first, (int) end));
    }
}
