package io.jlockdep.agent;

/**
 * With {@code debug=true}: how long each step of the agent's start took, one line per step, so that what start-up
 * costs can be told apart (see BENCHMARKS.md). Without debug it only keeps a clock.
 */
final class StartupTimes {
    private final boolean print;
    private final long first;
    private long last;

    StartupTimes(boolean print) {
        this.print = print;
        this.first = System.nanoTime();
        this.last = first;
    }

    /** The step that just ended. */
    void step(String what) {
        if (print) {
            long now = System.nanoTime();
            Messages.debug("start-up: " + what + ": " + micros(now - last) + " us (" + micros(now - first)
                    + " us since premain)");
            last = now;
        }
    }

    private static long micros(long nanos) {
        return nanos / 1000;
    }
}
