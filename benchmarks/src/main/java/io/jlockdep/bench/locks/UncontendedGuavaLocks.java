package io.jlockdep.bench.locks;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The peer: the same operations as {@link UncontendedLocks} on locks from Guava's
 * {@code CycleDetectingLockFactory} (WARN policy), without the agent. The fixed order never violates, so the policy
 * never fires.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UncontendedGuavaLocks {

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

    static CycleDetectingLockFactory factory() {
        return CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.WARN);
    }

    static ReentrantLock[] reentrantLocks(CycleDetectingLockFactory factory) {
        ReentrantLock[] levels = new ReentrantLock[Nest.MAX_DEPTH];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = factory.newReentrantLock("level" + (i + 1));
        }
        return levels;
    }

    static ReentrantReadWriteLock[] readWriteLocks(CycleDetectingLockFactory factory) {
        ReentrantReadWriteLock[] levels = new ReentrantReadWriteLock[Nest.MAX_DEPTH];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = factory.newReentrantReadWriteLock("level" + (i + 1));
        }
        return levels;
    }

    @State(Scope.Thread)
    public static class ReentrantNest extends Nests.OfLock<ReentrantLock> {
        @Override
        protected ReentrantLock[] newLevels() {
            return reentrantLocks(factory());
        }
    }

    @State(Scope.Thread)
    public static class ReadNest extends Nests.OfLock<ReentrantReadWriteLock.ReadLock> {
        @Override
        protected ReentrantReadWriteLock.ReadLock[] newLevels() {
            return Nests.readLocks(readWriteLocks(factory()));
        }
    }

    @State(Scope.Thread)
    public static class WriteNest extends Nests.OfLock<ReentrantReadWriteLock.WriteLock> {
        @Override
        protected ReentrantReadWriteLock.WriteLock[] newLevels() {
            return Nests.writeLocks(readWriteLocks(factory()));
        }
    }
}
