package io.jlockdep.it.apps;

import io.jlockdep.Lockdep;
import java.util.concurrent.CountDownLatch;

/**
 * Throwables that pass through, or are created in, jlockdep's code, printed the way a program sees them: a stack
 * overflow inside synchronized code (the call into a hook can be the one that overflows), an interrupt thrown by a
 * wait that jlockdep's hook makes for the program, the IllegalMonitorStateException of a notify or a wait without the
 * monitor (the last one left uncaught, so the JVM prints it), and a failed {@code Lockdep.assertHeld}. Each line shows
 * a throwable's type and the first frames of its stack trace; run without the agent, the output is the same, but for
 * the assertion, which only the agent makes.
 */
public final class ThrowablesThroughHooks {
    private static final Object MONITOR = new Object();

    static int recurse(int n) {
        synchronized (MONITOR) {
            return recurse(n + 1) + 1;
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            recurse(0);
        } catch (StackOverflowError e) {
            show("overflow", e, 3);
        }
        CountDownLatch waiting = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            synchronized (MONITOR) {
                try {
                    waiting.countDown();
                    MONITOR.wait();
                } catch (InterruptedException e) {
                    show("interrupted wait", e, 4);
                }
            }
        }, "waiter");
        waiter.start();
        waiting.await();
        synchronized (MONITOR) {
            waiter.interrupt(); // delivered once main releases the monitor: the wait is under way by then
        }
        waiter.join();
        try {
            MONITOR.notifyAll();
        } catch (IllegalMonitorStateException e) {
            show("notify without the monitor", e, 3);
        }
        Thread unowned = new Thread(() -> {
            try {
                MONITOR.wait(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, "unowned-wait");
        unowned.start(); // dies of an IllegalMonitorStateException, which the JVM prints
        unowned.join();
        if (args.length > 0 && args[0].equals("assert")) {
            try {
                Lockdep.assertHeld(MONITOR);
            } catch (AssertionError e) {
                show("assertHeld", e, 2);
            }
        }
        System.out.println("done");
    }

    /** The throwable's type and its first frames, class and method only (line numbers differ between the runs). */
    private static void show(String what, Throwable t, int frames) {
        StringBuilder sb = new StringBuilder(what).append(": ").append(t.getClass().getName());
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < frames && i < trace.length; i++) {
            sb.append(i == 0 ? " at " : " <- ").append(trace[i].getClassName()).append('.')
                    .append(trace[i].getMethodName());
        }
        System.out.println(sb);
    }
}
