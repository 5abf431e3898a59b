package io.jlockdep.demo;

/** Helpers for the default mode, where threads take their lock orders at different times. */
public final class Threads {
    private Threads() {
    }

    /** Runs {@code body} in a new thread named {@code name} and waits for it to finish. */
    public static void runAlone(String name, Runnable body) throws InterruptedException {
        Thread t = new Thread(body, name);
        t.start();
        t.join();
    }
}
