package io.jlockdep.bench.locks;

import io.jlockdep.bench.AgentCheck;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Nesting depth d for java.util.concurrent locks: the benchmark thread holds d-1 other locks, each of its own lock
 * class, taken in a fixed order outside the measured operation (before each measurement iteration, on the benchmark
 * thread), and the measured operation acquires and releases the d-th. Holding them outside isolates what one
 * acquisition costs with d-1 locks already held, which is what grows with depth in a detector (Guava's factory
 * checks every held lock) and what a deployed program pays per lock operation.
 *
 * @param <L> the lock type of one level
 */
@State(Scope.Thread)
public abstract class Nest<L> {
    static final int MAX_DEPTH = 8;

    @Param({"1", "2", "4", "8"})
    public int depth;

    /** The eight levels, outermost first. */
    L[] levels;
    /** Stamps of the held outer levels (StampedLock only). */
    private final long[] stamps = new long[MAX_DEPTH];
    /** The level the measured operation acquires and releases: the d-th. */
    public L measured;

    /** Eight locks, each of its own lock class (for the agent: allocated straight into a field of its own). */
    protected abstract L[] newLevels();

    protected abstract long take(L lock);

    protected abstract void release(L lock, long stamp);

    @Setup(Level.Trial)
    public void checkTracked() {
        levels = newLevels();
        measured = levels[depth - 1];
        int baseline = AgentCheck.trackedNow();
        holdOuter();
        stamps[depth - 1] = take(measured);
        AgentCheck.expectTracked(baseline, depth, getClass().getSimpleName() + " depth " + depth);
        release(measured, stamps[depth - 1]);
        releaseOuter();
    }

    @Setup(Level.Iteration)
    public void holdOuter() {
        for (int i = 0; i < depth - 1; i++) {
            stamps[i] = take(levels[i]);
        }
    }

    @TearDown(Level.Iteration)
    public void releaseOuter() {
        for (int i = depth - 2; i >= 0; i--) {
            release(levels[i], stamps[i]);
        }
    }
}
