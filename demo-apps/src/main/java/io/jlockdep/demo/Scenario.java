package io.jlockdep.demo;

/** One runnable deadlock scenario. */
public interface Scenario {
    /** The name used on the command line. */
    String name();

    /** One line: the bug it shows. */
    String description();

    /**
     * The default mode, which never hangs: the conflicting lock orders happen one after the other (or a stuck call is
     * cancelled), so only a tool that reasons about lock orders sees the deadlock.
     */
    void run() throws Exception;

    /**
     * The {@code --deadlock} mode: real threads meet and really deadlock. Returns on its own once they have been stuck
     * for {@code waitMillis}, after saying what they are stuck on; throws if they did not deadlock.
     */
    void runIntoDeadlock(long waitMillis) throws Exception;
}
