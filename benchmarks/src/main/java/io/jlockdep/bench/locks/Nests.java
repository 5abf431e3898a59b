package io.jlockdep.bench.locks;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * How one level of a {@link Nest} is taken and released, per lock kind. Where the locks come from (the JDK, Guava's
 * factory) is left to the concrete states, so the JDK and Guava benchmarks run exactly the same operations.
 */
final class Nests {
    private Nests() {
    }

    abstract static class OfReentrant extends Nest<ReentrantLock> {
        @Override
        protected long take(ReentrantLock lock) {
            lock.lock();
            return 0L;
        }

        @Override
        protected void release(ReentrantLock lock, long stamp) {
            lock.unlock();
        }
    }

    abstract static class OfRead extends Nest<ReentrantReadWriteLock.ReadLock> {
        @Override
        protected long take(ReentrantReadWriteLock.ReadLock lock) {
            lock.lock();
            return 0L;
        }

        @Override
        protected void release(ReentrantReadWriteLock.ReadLock lock, long stamp) {
            lock.unlock();
        }

        static ReentrantReadWriteLock.ReadLock[] readLocks(ReentrantReadWriteLock[] locks) {
            ReentrantReadWriteLock.ReadLock[] views = new ReentrantReadWriteLock.ReadLock[locks.length];
            for (int i = 0; i < locks.length; i++) {
                views[i] = locks[i].readLock();
            }
            return views;
        }
    }

    abstract static class OfWrite extends Nest<ReentrantReadWriteLock.WriteLock> {
        @Override
        protected long take(ReentrantReadWriteLock.WriteLock lock) {
            lock.lock();
            return 0L;
        }

        @Override
        protected void release(ReentrantReadWriteLock.WriteLock lock, long stamp) {
            lock.unlock();
        }

        static ReentrantReadWriteLock.WriteLock[] writeLocks(ReentrantReadWriteLock[] locks) {
            ReentrantReadWriteLock.WriteLock[] views = new ReentrantReadWriteLock.WriteLock[locks.length];
            for (int i = 0; i < locks.length; i++) {
                views[i] = locks[i].writeLock();
            }
            return views;
        }
    }
}
