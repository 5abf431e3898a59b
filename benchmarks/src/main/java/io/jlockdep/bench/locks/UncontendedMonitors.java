package io.jlockdep.bench.locks;

import io.jlockdep.bench.AgentCheck;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One thread, no contention, monitors. A monitor cannot be held across the benchmark method's calls (there is no way
 * to enter a monitor outside a synchronized region), so unlike {@link Nest} the measured operation here is the whole
 * nest: enter d monitors of d distinct lock classes in a fixed order, then exit them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UncontendedMonitors {

    @Benchmark
    public int synchronizedBlock(Blocks s) {
        switch (s.depth) {
            case 1:
                return s.nest1();
            case 2:
                return s.nest2();
            case 4:
                return s.nest4();
            default:
                return s.nest8();
        }
    }

    @Benchmark
    public int synchronizedMethod(Methods s) {
        return s.level1.enter(s.depth, 0);
    }

    /** Eight plain objects, each allocated straight into its own field: eight lock classes under the agent. */
    @State(Scope.Thread)
    public static class Blocks {
        @Param({"1", "2", "4", "8"})
        public int depth;

        final Object m1 = new Object();
        final Object m2 = new Object();
        final Object m3 = new Object();
        final Object m4 = new Object();
        final Object m5 = new Object();
        final Object m6 = new Object();
        final Object m7 = new Object();
        final Object m8 = new Object();
        int count;

        @Setup(Level.Trial)
        public void checkTracked() {
            Object[] all = {m1, m2, m3, m4, m5, m6, m7, m8};
            checkNested(all, 0, depth, AgentCheck.trackedNow());
        }

        private static void checkNested(Object[] monitors, int at, int depth, int baseline) {
            if (at == depth) {
                AgentCheck.expectTracked(baseline, depth, "synchronizedBlock depth " + depth);
                return;
            }
            synchronized (monitors[at]) {
                checkNested(monitors, at + 1, depth, baseline);
            }
        }

        int nest1() {
            synchronized (m1) {
                return ++count;
            }
        }

        int nest2() {
            synchronized (m1) {
                synchronized (m2) {
                    return ++count;
                }
            }
        }

        int nest4() {
            synchronized (m1) {
                synchronized (m2) {
                    synchronized (m3) {
                        synchronized (m4) {
                            return ++count;
                        }
                    }
                }
            }
        }

        int nest8() {
            synchronized (m1) {
                synchronized (m2) {
                    synchronized (m3) {
                        synchronized (m4) {
                            synchronized (m5) {
                                synchronized (m6) {
                                    synchronized (m7) {
                                        synchronized (m8) {
                                            return ++count;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Eight classes with a synchronized method each, every one calling the next class's method (a static call chain
     * the JIT can inline, as in layered code); the monitors of each class are one lock class under the agent.
     * {@code left} counts the levels still to enter; {@code checkDepth} is the nest's depth while checking that the
     * agent tracks it, 0 while measuring.
     */
    @State(Scope.Thread)
    public static class Methods {
        @Param({"1", "2", "4", "8"})
        public int depth;

        final Level1 level1 = new Level1();

        @Setup(Level.Trial)
        public void checkTracked() {
            checkBaseline = AgentCheck.trackedNow();
            level1.enter(depth, depth);
        }
    }

    /** Locks tracked on the checking thread before the nest, for {@link #innermost}. */
    static int checkBaseline;

    static int innermost(int checkDepth) {
        if (checkDepth != 0) {
            AgentCheck.expectTracked(checkBaseline, checkDepth, "synchronizedMethod depth " + checkDepth);
        }
        return 1;
    }

    public static final class Level1 {
        final Level2 next = new Level2();

        synchronized int enter(int left, int checkDepth) {
            return left == 1 ? innermost(checkDepth) : next.enter(left - 1, checkDepth) + 1;
        }
    }

    public static final class Level2 {
        final Level3 next = new Level3();

        synchronized int enter(int left, int checkDepth) {
            return left == 1 ? innermost(checkDepth) : next.enter(left - 1, checkDepth) + 1;
        }
    }

    public static final class Level3 {
        final Level4 next = new Level4();

        synchronized int enter(int left, int checkDepth) {
            return left == 1 ? innermost(checkDepth) : next.enter(left - 1, checkDepth) + 1;
        }
    }

    public static final class Level4 {
        final Level5 next = new Level5();

        synchronized int enter(int left, int checkDepth) {
            return left == 1 ? innermost(checkDepth) : next.enter(left - 1, checkDepth) + 1;
        }
    }

    public static final class Level5 {
        final Level6 next = new Level6();

        synchronized int enter(int left, int checkDepth) {
            return left == 1 ? innermost(checkDepth) : next.enter(left - 1, checkDepth) + 1;
        }
    }

    public static final class Level6 {
        final Level7 next = new Level7();

        synchronized int enter(int left, int checkDepth) {
            return left == 1 ? innermost(checkDepth) : next.enter(left - 1, checkDepth) + 1;
        }
    }

    public static final class Level7 {
        final Level8 next = new Level8();

        synchronized int enter(int left, int checkDepth) {
            return left == 1 ? innermost(checkDepth) : next.enter(left - 1, checkDepth) + 1;
        }
    }

    public static final class Level8 {
        synchronized int enter(int left, int checkDepth) {
            return innermost(checkDepth);
        }
    }
}
