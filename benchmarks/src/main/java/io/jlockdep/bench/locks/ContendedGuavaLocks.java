package io.jlockdep.bench.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** {@link ContendedLocks}' ReentrantLock shapes on locks from Guava's CycleDetectingLockFactory (WARN policy). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(4)
public class ContendedGuavaLocks {

    @Benchmark
    public int reentrantLockOneLock(Shared s) {
        return Contended.oneLock(s.one, s.count);
    }

    @Benchmark
    public int reentrantLockFourInOrder(Shared s) {
        return Contended.fourLocksInOrder(s.a, s.b, s.c, s.d, s.count);
    }

    @State(Scope.Benchmark)
    public static class Shared {
        ReentrantLock one;
        ReentrantLock a;
        ReentrantLock b;
        ReentrantLock c;
        ReentrantLock d;
        final int[] count = new int[1];

        @Setup(Level.Trial)
        public void create() {
            ReentrantLock[] locks = UncontendedGuavaLocks.reentrantLocks(UncontendedGuavaLocks.factory());
            one = locks[0];
            a = locks[1];
            b = locks[2];
            c = locks[3];
            d = locks[4];
            Contended.checkTracked(a, b, c, d, "ContendedGuavaLocks");
        }
    }
}
