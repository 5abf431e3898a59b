package io.jlockdep.demo;

/** One runnable deadlock scenario. */
public interface Scenario {
    /** The name used on the command line. */
    String name();

    /** One line: the bug it shows. */
    String description();

    /**
     * Runs the scenario. By default it never hangs: the lock orders happen one after the other, so only a tool that
     * reasons about lock classes sees the deadlock. With {@code deadlock} set, real threads race into it.
     */
    void run(boolean deadlock) throws Exception;
}
