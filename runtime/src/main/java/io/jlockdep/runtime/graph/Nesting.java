package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.lockclass.WeakIdentityMap;
import io.jlockdep.runtime.report.Reports;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two instances of one lock class held together. Lockdep reports that at once; in Java it is common and usually fine
 * (parent and child nodes, the two accounts of a transfer), so by default jlockdep remembers the order in which
 * instances were nested and reports a cycle among instances: two taken in both orders, or more in a ring (five forks
 * of one class). With {@code nesting=strict} it reports the nesting itself, as lockdep does.
 *
 * <p>These checks cannot use the chain cache, whose keys see classes, not instances; they run only when the thread
 * already holds a lock of the class it is acquiring. An order already recorded costs one lock-free lookup; a new one
 * is checked and recorded under one lock, so two threads nesting the same pair in opposite orders at the same moment
 * cannot both miss the other.
 */
public final class Nesting {
    private static final int MAX_SUCCESSORS = 32;
    /** Instances visited at most by one search for a cycle: bounds the time spent under the lock. */
    private static final int MAX_SEARCH = 4096;
    private static final WeakIdentityMap<Successors> ORDERS = new WeakIdentityMap<>();
    private static final Object LOCK = new Object();
    /** Classes already reported in strict mode. */
    private static final Set<LockClass> STRICT_REPORTED = new HashSet<>();
    /** Instance cycles not reported because a gate serialises them (see {@link LockGraph}). */
    private static final List<GatedOrder> GATED = new ArrayList<>();
    private static volatile boolean hasGated;

    private Nesting() {
    }

    public static void check(ThreadState ts, HeldLock outer, Object inner, Object innerView, LockClass c, int mode, int site) {
        java.util.Comparator<Object> order = c.order;
        if (order != null) {
            if (order.compare(outer.view(), innerView) >= 0) {
                Engine.emit(Reports.recursiveLocking(ts, outer, inner, c, mode, site,
                        "the locks are taken against the order declared for their class with Lockdep.setOrder"));
            }
            return;
        }
        if (Engine.config().strictNesting()) {
            boolean first;
            synchronized (LOCK) {
                first = STRICT_REPORTED.add(c);
            }
            if (first) {
                Engine.emit(Reports.recursiveLocking(ts, outer, inner, c, mode, site,
                        "two locks of one class are held at once; if that is deliberate, tell jlockdep with"
                                + " Lockdep.nested(subclass) or Lockdep.setOrder(lock, comparator)"));
            }
            return;
        }
        Object outerInstance = outer.instance();
        LockClass[] gates = Gates.below(ts, Gates.indexOf(ts, outer));
        Successors known = ORDERS.get(outerInstance);
        if (known != null) {
            int narrowed = known.narrowGates(inner, gates);
            if (narrowed > 0 && hasGated) {
                recheckGated(); // taken without a gate it had so far: a cycle it gated may be real
            }
            if (narrowed >= 0) {
                return; // this order was checked when it was first recorded
            }
        }
        Trace trace = Trace.capture(ts.threadLabel()); // before the lock: walking a stack may load classes
        List<Object> path;
        LockClass gate;
        List<Trace> traces = new ArrayList<>();
        synchronized (LOCK) {
            Successors afterOuter = ORDERS.get(outerInstance);
            if (afterOuter == null) {
                afterOuter = new Successors();
                ORDERS.put(outerInstance, afterOuter);
            } else if (afterOuter.traceTo(inner) != null) {
                return;
            }
            path = pathBetween(inner, outerInstance, traces);
            // A pair whose second order closes a cycle is born reported: one report per cycle.
            afterOuter.add(inner, trace, path != null, gates);
            if (path != null && !ORDERS.get(path.get(0)).markReported(path.get(1))) {
                path = null;
            }
            gate = path == null ? null : gateOf(inner, outerInstance, gates);
        }
        if (path != null) {
            Finding f = Reports.instanceCycle(ts, outer, inner, c, mode, site, path, traces);
            if (gate == null) {
                Engine.emit(f);
            } else {
                synchronized (LOCK) {
                    GATED.add(new GatedOrder(outerInstance, inner, gate, f));
                    hasGated = true;
                }
            }
        }
    }

    /**
     * The gate of the cycles closed by taking {@code inner} while holding {@code outer} with {@code gates} held below
     * it, or null: a class with a single instance among those gates, such that every chain of recorded orders from
     * {@code inner} back to {@code outer} was taken holding it (see {@link LockGraph} for gated cycles). Lock held.
     */
    private static LockClass gateOf(Object inner, Object outer, LockClass[] gates) {
        for (LockClass g : gates) {
            if (g.singleInstance() && !reachesWithout(inner, outer, g)) {
                return g;
            }
        }
        return null;
    }

    /** Whether a chain of recorded orders leads from {@code from} to {@code to} with some order not gated by g. */
    private static boolean reachesWithout(Object from, Object to, LockClass g) {
        // Two states per instance: reached with every order so far gated (dominated), or not.
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        List<Object> queue = new ArrayList<>();
        List<Boolean> allGated = new ArrayList<>();
        queue.add(from);
        allGated.add(Boolean.TRUE);
        seen.put(from, Boolean.TRUE);
        for (int head = 0; head < queue.size() && queue.size() < MAX_SEARCH; head++) {
            Successors next = ORDERS.get(queue.get(head));
            if (next == null) {
                continue;
            }
            boolean gatedSoFar = allGated.get(head);
            for (Successors.Step step : next.steps()) {
                boolean stillGated = gatedSoFar && Gates.contains(step.gates, g);
                if (step.instance == to) {
                    if (!stillGated) {
                        return true;
                    }
                    continue;
                }
                Boolean before = seen.get(step.instance);
                if (before == null || (before && !stillGated)) {
                    seen.put(step.instance, stillGated);
                    queue.add(step.instance);
                    allGated.add(stillGated);
                }
            }
        }
        return queue.size() >= MAX_SEARCH; // searched too far to be sure: not gated
    }

    /** Gated instance cycles whose gate no longer holds are reported now. */
    private static void recheckGated() {
        List<Finding> out = new ArrayList<>(0);
        synchronized (LOCK) {
            for (int i = 0; i < GATED.size(); i++) {
                GatedOrder g = GATED.get(i);
                Object outer = g.outer.get();
                Object inner = g.inner.get();
                Successors after = outer == null ? null : ORDERS.get(outer);
                LockClass[] gates = after == null || inner == null ? null : after.gatesTo(inner);
                if (gates == null) {
                    GATED.remove(i--); // a lock collected: that cycle is gone
                    continue;
                }
                LockClass gate = gateOf(inner, outer, gates);
                if (gate != null) {
                    g.gate = gate;
                } else {
                    GATED.remove(i--);
                    out.add(Reports.ungated(g.finding, g.gate, g.gate.singleInstance()
                            ? Reports.takenWithout(g.gate) : g.gate.name() + " has more than one instance."));
                }
            }
            hasGated = !GATED.isEmpty();
        }
        for (Finding f : out) {
            Engine.emit(f);
        }
    }

    /** A class got a second instance: cycles it gated are reported now. */
    public static void secondInstance(LockClass c) {
        if (hasGated) {
            recheckGated();
        }
    }

    /** The instance cycles not reported because a gate serialises them, as {@link Stats} lists them. */
    static List<String> gatedCycles() {
        synchronized (LOCK) {
            List<String> out = new ArrayList<>(GATED.size());
            for (GatedOrder g : GATED) {
                out.add(Gates.describe(g.finding, g.gate, false));
            }
            return out;
        }
    }

    /** An instance cycle kept from being reported by its gate: the order that closed it, and its report. */
    private static final class GatedOrder {
        final WeakReference<Object> outer;
        final WeakReference<Object> inner;
        LockClass gate;
        final Finding finding;

        GatedOrder(Object outer, Object inner, LockClass gate, Finding finding) {
            this.outer = new WeakReference<>(outer);
            this.inner = new WeakReference<>(inner);
            this.gate = gate;
            this.finding = finding;
        }
    }

    /**
     * The shortest chain of recorded orders from {@code from} to {@code to} (both ends included), with the stack of
     * each step in {@code traces}; null when there is none within {@link #MAX_SEARCH} instances. Graph lock held.
     */
    private static List<Object> pathBetween(Object from, Object to, List<Trace> traces) {
        Map<Object, Object> parent = new IdentityHashMap<>();
        Map<Object, Trace> via = new IdentityHashMap<>();
        List<Object> queue = new ArrayList<>();
        queue.add(from);
        parent.put(from, from);
        for (int head = 0; head < queue.size() && queue.size() < MAX_SEARCH; head++) {
            Object at = queue.get(head);
            Successors next = ORDERS.get(at);
            if (next == null) {
                continue;
            }
            for (Successors.Step step : next.steps()) {
                if (parent.containsKey(step.instance)) {
                    continue;
                }
                parent.put(step.instance, at);
                via.put(step.instance, step.trace);
                if (step.instance == to) {
                    List<Object> path = new ArrayList<>();
                    for (Object o = to; o != from; o = parent.get(o)) {
                        path.add(0, o);
                        traces.add(0, via.get(o));
                    }
                    path.add(0, from);
                    return path;
                }
                queue.add(step.instance);
            }
        }
        return null;
    }

    public static void reset() {
        synchronized (LOCK) {
            STRICT_REPORTED.clear();
            ORDERS.clear();
            GATED.clear();
            hasGated = false;
        }
    }

    /** The instances seen taken while one instance was held, each with the stack of the first time. */
    private static final class Successors {
        @SuppressWarnings("unchecked")
        private WeakReference<Object>[] instances = new WeakReference[2];
        private Trace[] traces = new Trace[2];
        private boolean[] reported = new boolean[2];
        /** For each order, its gate candidates (see {@link Gates}). */
        private LockClass[][] gates = new LockClass[2][];
        private int size;

        /** One recorded order, with a strong reference to the instance for the time of a search. */
        static final class Step {
            final Object instance;
            final Trace trace;
            final LockClass[] gates;

            Step(Object instance, Trace trace, LockClass[] gates) {
                this.instance = instance;
                this.trace = trace;
                this.gates = gates;
            }
        }

        /**
         * The order to {@code instance} taken again with {@code held} below: its gates narrowed to those. Returns -1
         * when the order is not recorded, 1 when that removed a gate, else 0.
         */
        synchronized int narrowGates(Object instance, LockClass[] held) {
            for (int i = 0; i < size; i++) {
                if (instances[i].refersTo(instance)) {
                    LockClass[] kept = gates[i].length == 0 ? gates[i] : Gates.keep(gates[i], held);
                    boolean narrowed = kept != gates[i];
                    gates[i] = kept;
                    return narrowed ? 1 : 0;
                }
            }
            return -1;
        }

        /** The gate candidates of the order to {@code instance}, or null when it is not recorded. */
        synchronized LockClass[] gatesTo(Object instance) {
            for (int i = 0; i < size; i++) {
                if (instances[i].refersTo(instance)) {
                    return gates[i];
                }
            }
            return null;
        }

        synchronized Trace traceTo(Object instance) {
            for (int i = 0; i < size; i++) {
                if (instances[i].refersTo(instance)) {
                    return traces[i];
                }
            }
            return null;
        }

        synchronized List<Step> steps() {
            List<Step> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Object instance = instances[i].get();
                if (instance != null) {
                    out.add(new Step(instance, traces[i], gates[i]));
                }
            }
            return out;
        }

        synchronized boolean markReported(Object instance) {
            for (int i = 0; i < size; i++) {
                if (instances[i].refersTo(instance)) {
                    boolean first = !reported[i];
                    reported[i] = true;
                    return first;
                }
            }
            return false;
        }

        synchronized void add(Object instance, Trace trace, boolean alreadyReported, LockClass[] orderGates) {
            compact();
            if (size == MAX_SUCCESSORS) {
                return; // bounded memory: a lock nested under very many siblings keeps the first ones
            }
            if (size == instances.length) {
                instances = java.util.Arrays.copyOf(instances, size * 2);
                traces = java.util.Arrays.copyOf(traces, size * 2);
                reported = java.util.Arrays.copyOf(reported, size * 2);
                gates = java.util.Arrays.copyOf(gates, size * 2);
            }
            instances[size] = new WeakReference<>(instance);
            traces[size] = trace;
            reported[size] = alreadyReported;
            gates[size] = orderGates;
            size++;
        }

        /** Drops entries whose instance was collected. */
        private void compact() {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (!instances[i].refersTo(null)) {
                    instances[kept] = instances[i];
                    traces[kept] = traces[i];
                    reported[kept] = reported[i];
                    gates[kept] = gates[i];
                    kept++;
                }
            }
            for (int i = kept; i < size; i++) {
                instances[i] = null;
                traces[i] = null;
                gates[i] = null;
            }
            size = kept;
        }
    }
}
