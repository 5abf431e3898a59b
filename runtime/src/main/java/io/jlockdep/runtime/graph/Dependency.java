package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Trace;
import java.lang.ref.WeakReference;

/**
 * An edge of the lock-order graph: a lock of class {@link #from} was held while one of class {@link #to} was
 * acquired. {@link #types} records which lockdep dependency types were seen (see {@link DepType}); {@link #trace}
 * is the stack of the acquisition that first created the edge, {@link #heldAt} where that thread had taken the held
 * lock.
 */
public final class Dependency {
    public final LockClass from;
    public final LockClass to;
    int types;
    public final Trace trace;
    /** Modes of the acquisitions that first created the edge, for the scenario table. */
    public final int fromMode;
    public final int toMode;
    /** Acquire site of the held lock when the edge was created, or null when unknown. */
    final CodeSite heldAt;
    /**
     * The classes held exclusively, below {@link #from}, every time this order was taken in a new context (the live
     * graph's candidates for a gate, see {@link LockGraph}); empty when none, or for a graph read from files.
     */
    LockClass[] gates;
    /** {@link #gates} as the order was first taken, before any narrowing. */
    final LockClass[] firstGates;
    /**
     * The locks of the taking that created this order, weakly, for the per-instance check of a gate
     * ({@link GatedCycle}): its {@code from} and {@code to} instances, then the instance of each of
     * {@link #firstGates}; null when it had no gate candidates.
     */
    final WeakReference<Object>[] firstTaking;

    Dependency(LockClass from, LockClass to, int types, Trace trace, int fromMode, int toMode, CodeSite heldAt) {
        this(from, to, types, trace, fromMode, toMode, heldAt, Gates.NONE, null);
    }

    Dependency(LockClass from, LockClass to, int types, Trace trace, int fromMode, int toMode, CodeSite heldAt,
               LockClass[] gates, WeakReference<Object>[] firstTaking) {
        this.from = from;
        this.to = to;
        this.types = types;
        this.trace = trace;
        this.fromMode = fromMode;
        this.toMode = toMode;
        this.heldAt = heldAt;
        this.gates = gates;
        this.firstGates = gates;
        this.firstTaking = firstTaking;
    }

    /** Keeps only the gates also in {@code held}; returns true when that removed any. */
    boolean keepGates(LockClass[] held) {
        LockClass[] kept = Gates.keep(gates, held);
        if (kept == gates) {
            return false;
        }
        gates = kept;
        return true;
    }

    boolean gatedBy(LockClass g) {
        return Gates.contains(gates, g);
    }
}
