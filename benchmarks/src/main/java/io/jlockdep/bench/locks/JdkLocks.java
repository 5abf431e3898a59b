package io.jlockdep.bench.locks;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Eight locks of each java.util.concurrent kind, each allocated straight into a field of its own, so that under the
 * agent each is its own lock class (named after the field), as distinct locks of a real program are.
 */
final class JdkLocks {
    private JdkLocks() {
    }

    static final class Reentrant {
        final ReentrantLock l1 = new ReentrantLock();
        final ReentrantLock l2 = new ReentrantLock();
        final ReentrantLock l3 = new ReentrantLock();
        final ReentrantLock l4 = new ReentrantLock();
        final ReentrantLock l5 = new ReentrantLock();
        final ReentrantLock l6 = new ReentrantLock();
        final ReentrantLock l7 = new ReentrantLock();
        final ReentrantLock l8 = new ReentrantLock();

        ReentrantLock[] levels() {
            return new ReentrantLock[] {l1, l2, l3, l4, l5, l6, l7, l8};
        }
    }

    static final class ReadWrite {
        final ReentrantReadWriteLock l1 = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock l2 = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock l3 = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock l4 = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock l5 = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock l6 = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock l7 = new ReentrantReadWriteLock();
        final ReentrantReadWriteLock l8 = new ReentrantReadWriteLock();

        ReentrantReadWriteLock[] levels() {
            return new ReentrantReadWriteLock[] {l1, l2, l3, l4, l5, l6, l7, l8};
        }
    }

    static final class Stamped {
        final StampedLock l1 = new StampedLock();
        final StampedLock l2 = new StampedLock();
        final StampedLock l3 = new StampedLock();
        final StampedLock l4 = new StampedLock();
        final StampedLock l5 = new StampedLock();
        final StampedLock l6 = new StampedLock();
        final StampedLock l7 = new StampedLock();
        final StampedLock l8 = new StampedLock();

        StampedLock[] levels() {
            return new StampedLock[] {l1, l2, l3, l4, l5, l6, l7, l8};
        }
    }
}
