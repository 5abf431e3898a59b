package io.jlockdep.bench.locks;

import io.jlockdep.bench.AgentCheck;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The contended shapes over any five ReentrantLocks (one alone, four in a fixed order), so the JDK and Guava
 * benchmarks run the same code; {@code count} is the work done under the locks.
 */
final class Contended {
    private Contended() {
    }

    static int oneLock(ReentrantLock one, int[] count) {
        one.lock();
        try {
            return ++count[0];
        } finally {
            one.unlock();
        }
    }

    static int fourLocksInOrder(ReentrantLock a, ReentrantLock b, ReentrantLock c, ReentrantLock d, int[] count) {
        a.lock();
        try {
            b.lock();
            try {
                c.lock();
                try {
                    d.lock();
                    try {
                        return ++count[0];
                    } finally {
                        d.unlock();
                    }
                } finally {
                    c.unlock();
                }
            } finally {
                b.unlock();
            }
        } finally {
            a.unlock();
        }
    }

    /** Takes the four in order and checks that the agent (when expected) tracks all four. */
    static void checkTracked(ReentrantLock a, ReentrantLock b, ReentrantLock c, ReentrantLock d, String what) {
        int baseline = AgentCheck.trackedNow();
        a.lock();
        b.lock();
        c.lock();
        d.lock();
        try {
            AgentCheck.expectTracked(baseline, 4, what);
        } finally {
            d.unlock();
            c.unlock();
            b.unlock();
            a.unlock();
        }
    }
}
