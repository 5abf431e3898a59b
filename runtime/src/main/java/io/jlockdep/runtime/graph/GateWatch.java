package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.lockclass.LockClass;

/**
 * One order of a gated cycle under watch, kept on the class it leads to ({@link LockClass#gateWatches}): taking a lock
 * of that class while holding one of {@link #from} is a taking of the order, which the cycle's per-instance gate check
 * must see (see {@link GatedCycle}).
 */
public final class GateWatch {
    final LockClass from;
    final GatedCycle cycle;

    GateWatch(LockClass from, GatedCycle cycle) {
        this.from = from;
        this.cycle = cycle;
    }
}
