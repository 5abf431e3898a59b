package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.WeakIdentityMap;
import io.jlockdep.runtime.report.Reports;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A cycle kept from being reported by a gate (see {@link LockGraph}), with the report it would have had.
 *
 * <p>The gate is checked per instance. Two threads can run opposite orders of the cycle at once only while holding
 * different instances of the gate class G; to deadlock they must also meet on the same locks of the cycle (each waits
 * for a lock the other holds). So the cycle cannot deadlock as long as every lock of the cycle's classes taken in one
 * of its orders (held as its first lock, or taken as its second) was taken each time under one and the same instance of
 * G: the outermost lock of G the thread held exclusively below the order. A class with a single instance is the case
 * where that holds trivially; several instances are fine when each owns its own locks of the cycle (a database's
 * caches, taken only inside that database's monitor).
 *
 * <p>The chain cache shows the graph one taking per context only, so once a cycle is found gated its orders are put
 * under watch: every class an order leads to gets a {@link GateWatch}, which sends its acquisitions past the chain
 * cache to {@link #taken}, and remembers (weakly, bounded) under which gate instance each lock was seen. Takings from
 * before the watch are known by the first taking of each order only ({@link Dependency#firstTaking}), plus the taking
 * that closed the cycle. Every class held under every order is a candidate gate; the cycle is reported when none is
 * left.
 */
final class GatedCycle {
    /** Locks of the cycle followed per gate; locks seen first beyond that are not followed (never a report). */
    static final int MAX_LOCKS = 1 << 16;

    /** The dependency that closed the cycle: the cycle is every path from its {@code to} back to its {@code from}. */
    final Dependency closing;
    final String signature;
    final Finding finding;
    /** Every dependency on a way from {@code closing.to} back to {@code closing.from}, and {@code closing}. */
    final List<Dependency> orders;
    private final Gate[] gates;
    /** The candidate whose loss made the cycle real, with its reason, for the report. */
    private volatile Gate lastLost;

    GatedCycle(Dependency closing, String signature, Finding finding, List<LockClass> candidates) {
        this.closing = closing;
        this.signature = signature;
        this.finding = finding;
        this.orders = ordersOf(closing);
        this.gates = new Gate[candidates.size()];
        for (int i = 0; i < gates.length; i++) {
            gates[i] = new Gate(candidates.get(i));
        }
    }

    /**
     * Checks what the recorded orders already know: the first taking of each, and the taking that closes the cycle
     * (the thread's stack, its lock {@code from} at {@code at}, about to take {@code to}). Graph lock held.
     */
    void seed(ThreadState ts, int at, Object from, Object to) {
        for (Dependency d : orders) {
            WeakReference<Object>[] first = d.firstTaking;
            if (first == null) {
                continue;
            }
            for (Gate g : gates) {
                int i = indexOf(d.firstGates, g.lockClass);
                Object gate = i < 0 ? null : first[2 + i].get();
                if (gate == null) {
                    continue; // the gate is gone: no thread holds it any more
                }
                noteTaking(g, d.from, first[0].get(), d.to, first[1].get(), gate, null, 0);
            }
        }
        taken(ts, at, closing.from, from, closing.to, to);
    }

    /**
     * A taking of one of the cycle's orders: the thread holds {@code from} (of class {@code fromClass}) at position
     * {@code at} of its stack and takes {@code to}. Returns false when no candidate gate is left: the cycle is to be
     * reported.
     */
    boolean taken(ThreadState ts, int at, LockClass fromClass, Object from, LockClass toClass, Object to) {
        for (Gate g : gates) {
            if (g.lost == null) {
                Object gate = Gates.outermost(ts, at, g.lockClass);
                if (gate == null) {
                    lose(g, Reports.takenWithout(g.lockClass));
                } else {
                    noteTaking(g, fromClass, from, toClass, to, gate, ts, at);
                }
            }
        }
        return holds();
    }

    /** {@code ts}, when not null, holds {@code gate} below position {@code at}, and maybe other instances of its class. */
    private void noteTaking(Gate g, LockClass fromClass, Object from, LockClass toClass, Object to, Object gate,
                            ThreadState ts, int at) {
        String lost = g.note(fromClass, from, gate, ts, at);
        if (lost == null) {
            lost = g.note(toClass, to, gate, ts, at);
        }
        if (lost != null) {
            lose(g, lost);
        }
    }

    /** The class-level check of each candidate, again after the graph changed (graph lock held). */
    boolean recheck(PathSearch search) {
        for (Gate g : gates) {
            if (g.lost == null && (!closing.gatedBy(g.lockClass)
                    || search.reachesWithout(closing.to, closing.from, g.lockClass))) {
                lose(g, Reports.takenWithout(g.lockClass));
            }
        }
        return holds();
    }

    boolean holds() {
        for (Gate g : gates) {
            if (g.lost == null) {
                return true;
            }
        }
        return false;
    }

    /** The gate to name: the first candidate still holding, else the last one lost. */
    LockClass gate() {
        for (Gate g : gates) {
            if (g.lost == null) {
                return g.lockClass;
            }
        }
        Gate last = lastLost;
        return last != null ? last.lockClass : gates[0].lockClass;
    }

    /**
     * The report it would have had, with why the gate no longer holds; {@code takenAt}, when known, is the taking
     * that made it so ({@code thread main, at Db.copy(Db.java:12)}).
     */
    Finding ungated(String takenAt) {
        Gate last = lastLost;
        if (last == null) {
            return finding;
        }
        return Reports.ungated(finding, last.lockClass, takenAt == null ? last.lost
                : last.lost + " That taking: " + takenAt + ".");
    }

    private void lose(Gate g, String why) {
        synchronized (g) {
            if (g.lost != null) {
                return;
            }
            g.lost = why;
        }
        lastLost = g;
    }

    private static int indexOf(LockClass[] classes, LockClass c) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The dependencies on some path from {@code closing.to} to {@code closing.from}: those leaving a class reached
     * from the one and entering a class that reaches the other. Graph lock held.
     */
    private static List<Dependency> ordersOf(Dependency closing) {
        Set<LockClass> forward = reach(closing.to, true);
        Set<LockClass> backward = reach(closing.from, false);
        List<Dependency> out = new ArrayList<>();
        for (LockClass c : forward) {
            for (Dependency d : c.after) {
                if (backward.contains(d.to)) {
                    out.add(d);
                }
            }
        }
        if (!out.contains(closing)) {
            out.add(closing);
        }
        return out;
    }

    private static Set<LockClass> reach(LockClass start, boolean forward) {
        Set<LockClass> seen = new HashSet<>();
        ArrayDeque<LockClass> queue = new ArrayDeque<>();
        seen.add(start);
        queue.add(start);
        while (!queue.isEmpty()) {
            LockClass c = queue.poll();
            for (Dependency d : forward ? c.after : c.before) {
                LockClass next = forward ? d.to : d.from;
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    /** One candidate gate class, with the instance of it each lock of the cycle was taken under. */
    static final class Gate {
        final LockClass lockClass;
        private final WeakIdentityMap<WeakReference<Object>> gateOf = new WeakIdentityMap<>();
        /** Locks recorded since the map was last counted. */
        private int recorded;
        /** {@link #MAX_LOCKS} live locks are followed: locks not seen before are no longer recorded. */
        private boolean full;
        /** Why it no longer gates the cycle, or null while it does. */
        volatile String lost;

        Gate(LockClass lockClass) {
            this.lockClass = lockClass;
        }

        /**
         * {@code lock} (of class {@code c}) was taken in an order of the cycle under the gate instance {@code gate}. Returns null while
         * each lock keeps to one gate instance, else why this gate no longer holds. Lock-free and allocation-free
         * when the lock is known under that gate instance.
         */
        String note(LockClass c, Object lock, Object gate, ThreadState ts, int at) {
            if (lock == null) {
                return null; // collected: it can take part in no deadlock
            }
            WeakReference<Object> known = gateOf.get(lock);
            if (known != null && underKnownGate(known, gate, ts, at)) {
                return null;
            }
            synchronized (this) {
                known = gateOf.get(lock);
                if (known != null && underKnownGate(known, gate, ts, at)) {
                    return null;
                }
                if (full && known == null) {
                    return null; // no longer followed: see below
                }
                if (known != null && !known.refersTo(null)) {
                    return "one of its locks of class " + c.name() + " was taken in one of its orders holding"
                            + " another " + lockClass.name() + " than before.";
                }
                // new, or its gate instance is gone (nobody can hold it any more): it belongs to this one now
                if (++recorded > MAX_LOCKS) {
                    recorded = gateOf.size();
                    if (recorded >= MAX_LOCKS) {
                        // A limit of jlockdep's, not a sign of a deadlock: the locks followed so far stay checked,
                        // new ones are taken as gated (no report from a full table).
                        full = true;
                        return null;
                    }
                }
                gateOf.put(lock, new WeakReference<>(gate));
                return null;
            }
        }

        /** The lock's recorded gate instance is {@code gate}, or one the thread ({@code ts}, if any) also holds. */
        private boolean underKnownGate(WeakReference<Object> known, Object gate, ThreadState ts, int at) {
            if (known.refersTo(gate)) {
                return true;
            }
            Object recorded = known.get();
            return recorded != null && ts != null && Gates.holdsBelow(ts, at, lockClass, recorded);
        }
    }
}
