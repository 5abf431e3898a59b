package io.jlockdep.bench.locks;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * How the levels of a {@link Nest} of {@link Lock}s are taken and released. Where the locks come from (the JDK,
 * Guava's factory) is left to the concrete states, so the JDK and Guava benchmarks run exactly the same operations;
 * the measured operations call the concrete lock types directly.
 */
final class Nests {
    private Nests() {
    }

    abstract static class OfLock<L extends Lock> extends Nest<L> {
        @Override
        protected long take(L lock) {
            lock.lock();
            return 0L;
        }

        @Override
        protected void release(L lock, long stamp) {
            lock.unlock();
        }
    }

    static ReentrantReadWriteLock.ReadLock[] readLocks(ReentrantReadWriteLock[] locks) {
        ReentrantReadWriteLock.ReadLock[] views = new ReentrantReadWriteLock.ReadLock[locks.length];
        for (int i = 0; i < locks.length; i++) {
            views[i] = locks[i].readLock();
        }
        return views;
    }

    static ReentrantReadWriteLock.WriteLock[] writeLocks(ReentrantReadWriteLock[] locks) {
        ReentrantReadWriteLock.WriteLock[] views = new ReentrantReadWriteLock.WriteLock[locks.length];
        for (int i = 0; i < locks.length; i++) {
            views[i] = locks[i].writeLock();
        }
        return views;
    }
}
