package io.jlockdep.it.apps;

import io.jlockdep.Lockdep;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Recursions that overflow the stack inside synchronized code, again and again (each storm catches the error and
 * starts over; one of them catches it deep down and recurses once more from there), through synchronized methods and
 * blocks, one monitor re-entered or a new one at every level, a ReentrantLock, both together, and a JDK class loaded
 * before the agent (StringBuffer, whose synchronized methods keep their flag). After each storm the thread compares
 * what jlockdep says it holds with what the JVM says (the API's assertions), and takes locks in one consistent order.
 * Then main takes locks in orders that would close a cycle with any record of the storms' locks that jlockdep had kept
 * by mistake, and finally one real inversion, which must be the only report.
 */
public final class StackOverflowInLocks {
    static final Object SHARED = new Object();
    static final ReentrantLock LOCK = new ReentrantLock();
    static final Object FIRST = new Object();
    static final Object SECOND = new Object();
    static int overflowsLeft;

    static synchronized int syncMethod(int n) {
        return syncMethod(n + 1) + 1;
    }

    static int freshMonitors(int n) {
        Object monitor = new Object();
        synchronized (monitor) {
            return freshMonitors(n + 1) + 1;
        }
    }

    static int sharedMonitor(int n) {
        synchronized (SHARED) {
            return sharedMonitor(n + 1) + 1;
        }
    }

    static int reentrantLock(int n) {
        LOCK.lock();
        try {
            return reentrantLock(n + 1) + 1;
        } finally {
            LOCK.unlock();
        }
    }

    static int monitorAndLock(int n) {
        synchronized (SHARED) {
            LOCK.lock();
            try {
                return monitorAndLock(n + 1) + 1;
            } finally {
                LOCK.unlock();
            }
        }
    }

    /** Catches the overflow deep down and recurses once more from there, still inside the synchronized block. */
    static int overflowAgain(int n) {
        synchronized (SHARED) {
            try {
                return overflowAgain(n + 1) + 1;
            } catch (StackOverflowError e) {
                if (overflowsLeft-- > 0) {
                    return overflowAgain(n);
                }
                throw e;
            }
        }
    }

    /** StringBuffer.append(Object) calls toString, which appends the object to the same buffer again. */
    static final class Echo {
        final StringBuffer buffer = new StringBuffer();

        @Override
        public String toString() {
            buffer.append(this);
            return "";
        }
    }

    interface Recursion {
        int run();
    }

    public static void main(String[] args) throws Exception {
        storm("sync-method", () -> syncMethod(0));
        storm("fresh-monitors", () -> freshMonitors(0));
        storm("shared-monitor", () -> sharedMonitor(0));
        storm("reentrant-lock", () -> reentrantLock(0));
        storm("monitor-and-lock", () -> monitorAndLock(0));
        storm("overflow-again", () -> {
            overflowsLeft = 500;
            return overflowAgain(0);
        });
        Echo echo = new Echo();
        storm("jdk-sync-method", () -> echo.buffer.append(echo).length());
        // Orders that close a cycle with FIRST -> SHARED/LOCK (and SECOND -> ...) if a storm's record of SHARED or LOCK
        // had been kept below FIRST or SECOND by mistake.
        synchronized (FIRST) {
            synchronized (SHARED) {
                LOCK.lock();
                LOCK.unlock();
            }
        }
        synchronized (SECOND) {
            synchronized (SHARED) {
                System.out.println("consistent orders taken");
            }
        }
        // The one real inversion: the storms took FIRST then SECOND.
        synchronized (SECOND) {
            synchronized (FIRST) {
                System.out.println("second then first");
            }
        }
        System.out.println("done");
    }

    private static void storm(String name, Recursion recursion) throws InterruptedException {
        Thread t = new Thread(() -> {
            for (int round = 0; round < 20; round++) {
                try {
                    recursion.run();
                } catch (StackOverflowError e) {
                    // the program's own error: expected
                }
                checkRecords(name);
            }
            System.out.println(name + ": records agree with the JVM");
            synchronized (FIRST) {
                synchronized (SECOND) {
                    System.out.println(name + ": consistent");
                }
            }
        }, name);
        t.start();
        t.join();
    }

    /**
     * jlockdep's records agree with the JVM. A ReentrantLock the JDK left held at the overflow (its lock and unlock can
     * overflow half way too) is then given back, so that the next round does not really take the shared monitor
     * while holding it.
     */
    private static void checkRecords(String name) {
        if (Thread.holdsLock(SHARED)) {
            throw new AssertionError(name + ": the JVM still holds the shared monitor");
        }
        Lockdep.assertNotHeld(SHARED);
        if (LOCK.isHeldByCurrentThread()) {
            // The JDK's unlock can itself overflow and leave the lock held; the records must say so too.
            Lockdep.assertHeld(LOCK);
            while (LOCK.isHeldByCurrentThread()) {
                LOCK.unlock();
            }
        }
        Lockdep.assertNotHeld(LOCK);
    }
}
