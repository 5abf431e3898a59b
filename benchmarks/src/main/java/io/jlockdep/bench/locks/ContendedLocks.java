package io.jlockdep.bench.locks;

import io.jlockdep.bench.AgentCheck;
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

/**
 * Four threads on shared locks: all on one lock, and all taking four locks in one fixed order. The score is the
 * average time of one operation as each thread sees it (waiting included).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(4)
public class ContendedLocks {

    @Benchmark
    public int reentrantLockOneLock(Shared s) {
        return Contended.oneLock(s.one, s.count);
    }

    @Benchmark
    public int reentrantLockFourInOrder(Shared s) {
        return Contended.fourLocksInOrder(s.a, s.b, s.c, s.d, s.count);
    }

    @Benchmark
    public int monitorOneLock(Shared s) {
        synchronized (s.monitor) {
            return ++s.count[0];
        }
    }

    @Benchmark
    public int monitorFourInOrder(Shared s) {
        synchronized (s.ma) {
            synchronized (s.mb) {
                synchronized (s.mc) {
                    synchronized (s.md) {
                        return ++s.count[0];
                    }
                }
            }
        }
    }

    /** Each lock allocated straight into its own field: its own lock class under the agent. */
    @State(Scope.Benchmark)
    public static class Shared {
        final ReentrantLock one = new ReentrantLock();
        final ReentrantLock a = new ReentrantLock();
        final ReentrantLock b = new ReentrantLock();
        final ReentrantLock c = new ReentrantLock();
        final ReentrantLock d = new ReentrantLock();
        final Object monitor = new Object();
        final Object ma = new Object();
        final Object mb = new Object();
        final Object mc = new Object();
        final Object md = new Object();
        final int[] count = new int[1];

        @Setup(Level.Trial)
        public void checkTracked() {
            // JMH runs this under its own lock on the state class, which the agent sees too: hence the baselines.
            Contended.checkTracked(a, b, c, d, "ContendedLocks");
            int baseline = AgentCheck.trackedNow();
            synchronized (ma) {
                synchronized (mb) {
                    AgentCheck.expectTracked(baseline, 2, "ContendedLocks monitors");
                }
            }
        }
    }
}
