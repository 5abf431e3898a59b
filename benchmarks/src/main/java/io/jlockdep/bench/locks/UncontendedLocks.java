package io.jlockdep.bench.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One thread, no contention: acquire and release the d-th lock of a {@link Nest} while d-1 others are held. The same
 * code runs in the plain pass and, in forks started with {@code -javaagent}, in the agent pass.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UncontendedLocks {

    @Benchmark
    public void reentrantLock(ReentrantNest s) {
        ReentrantLock l = s.measured;
        l.lock();
        l.unlock();
    }

    @Benchmark
    public void readLock(ReadNest s) {
        ReentrantReadWriteLock.ReadLock l = s.measured;
        l.lock();
        l.unlock();
    }

    @Benchmark
    public void writeLock(WriteNest s) {
        ReentrantReadWriteLock.WriteLock l = s.measured;
        l.lock();
        l.unlock();
    }

    @Benchmark
    public long stampedWriteLock(StampedWriteNest s) {
        StampedLock l = s.measured;
        long stamp = l.writeLock();
        l.unlockWrite(stamp);
        return stamp;
    }

    @Benchmark
    public long stampedReadLock(StampedReadNest s) {
        StampedLock l = s.measured;
        long stamp = l.readLock();
        l.unlockRead(stamp);
        return stamp;
    }

    @State(Scope.Thread)
    public static class ReentrantNest extends Nests.OfLock<ReentrantLock> {
        @Override
        protected ReentrantLock[] newLevels() {
            return new JdkLocks.Reentrant().levels();
        }
    }

    @State(Scope.Thread)
    public static class ReadNest extends Nests.OfLock<ReentrantReadWriteLock.ReadLock> {
        @Override
        protected ReentrantReadWriteLock.ReadLock[] newLevels() {
            return Nests.readLocks(new JdkLocks.ReadWrite().levels());
        }
    }

    @State(Scope.Thread)
    public static class WriteNest extends Nests.OfLock<ReentrantReadWriteLock.WriteLock> {
        @Override
        protected ReentrantReadWriteLock.WriteLock[] newLevels() {
            return Nests.writeLocks(new JdkLocks.ReadWrite().levels());
        }
    }

    @State(Scope.Thread)
    public static class StampedWriteNest extends Nest<StampedLock> {
        @Override
        protected StampedLock[] newLevels() {
            return new JdkLocks.Stamped().levels();
        }

        @Override
        protected long take(StampedLock lock) {
            return lock.writeLock();
        }

        @Override
        protected void release(StampedLock lock, long stamp) {
            lock.unlockWrite(stamp);
        }
    }

    @State(Scope.Thread)
    public static class StampedReadNest extends Nest<StampedLock> {
        @Override
        protected StampedLock[] newLevels() {
            return new JdkLocks.Stamped().levels();
        }

        @Override
        protected long take(StampedLock lock) {
            return lock.readLock();
        }

        @Override
        protected void release(StampedLock lock, long stamp) {
            lock.unlockRead(stamp);
        }
    }
}
