package io.jlockdep.bench.process;

import io.jlockdep.bench.AgentCheck;
import java.lang.ref.Reference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Retained heap per lock instance: allocates n locks of one kind, takes and releases each once, and divides the
 * heap growth (after full collections) by n. Run with and without the agent; the difference is what jlockdep keeps
 * per tracked lock. Kinds: {@code reentrant} (ReentrantLock), {@code object} (a plain {@code new Object()} used as a
 * monitor, which the agent classes by allocation site), {@code typed} (a monitor of an application type, classed by
 * its type).
 *
 * <p>Arguments: kind, n.
 */
public final class LockMemory {
    private LockMemory() {
    }

    /** A monitor of an application type. */
    static final class Account {
        long balance;
    }

    public static void main(String[] args) {
        String kind = args[0];
        int n = Integer.parseInt(args[1]);
        long before = Results.usedHeapAfterGc();
        Object[] locks = new Object[n];
        switch (kind) {
            case "reentrant":
                for (int i = 0; i < n; i++) {
                    ReentrantLock l = new ReentrantLock();
                    locks[i] = l;
                    l.lock();
                    try {
                        if (i == 0) {
                            AgentCheck.expectTracked(0, 1, "LockMemory reentrant");
                        }
                    } finally {
                        l.unlock();
                    }
                }
                break;
            case "object":
                for (int i = 0; i < n; i++) {
                    Object o = new Object();
                    locks[i] = o;
                    enter(o, i == 0);
                }
                break;
            case "typed":
                for (int i = 0; i < n; i++) {
                    Account a = new Account();
                    locks[i] = a;
                    enter(a, i == 0);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown kind " + kind + ": reentrant, object or typed");
        }
        long after = Results.usedHeapAfterGc();
        Reference.reachabilityFence(locks);
        Results.print("bytes-per-" + kind, (double) (after - before) / n, "B");
    }

    private static void enter(Object monitor, boolean check) {
        synchronized (monitor) {
            if (check) {
                AgentCheck.expectTracked(0, 1, "LockMemory monitor of " + monitor.getClass().getSimpleName());
            }
        }
    }
}
