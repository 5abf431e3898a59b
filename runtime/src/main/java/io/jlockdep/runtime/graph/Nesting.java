package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Engine;
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
        Successors known = ORDERS.get(outerInstance);
        if (known != null && known.traceTo(inner) != null) {
            return; // this order was checked when it was first recorded
        }
        Trace trace = Trace.capture(ts.threadLabel()); // before the lock: walking a stack may load classes
        List<Object> path;
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
            afterOuter.add(inner, trace, path != null);
            if (path != null && !ORDERS.get(path.get(0)).markReported(path.get(1))) {
                path = null;
            }
        }
        if (path != null) {
            Engine.emit(Reports.instanceCycle(ts, outer, inner, c, mode, site, path, traces));
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
        }
    }

    /** The instances seen taken while one instance was held, each with the stack of the first time. */
    private static final class Successors {
        @SuppressWarnings("unchecked")
        private WeakReference<Object>[] instances = new WeakReference[2];
        private Trace[] traces = new Trace[2];
        private boolean[] reported = new boolean[2];
        private int size;

        /** One recorded order, with a strong reference to the instance for the time of a search. */
        static final class Step {
            final Object instance;
            final Trace trace;

            Step(Object instance, Trace trace) {
                this.instance = instance;
                this.trace = trace;
            }
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
                    out.add(new Step(instance, traces[i]));
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

        synchronized void add(Object instance, Trace trace, boolean alreadyReported) {
            compact();
            if (size == MAX_SUCCESSORS) {
                return; // bounded memory: a lock nested under very many siblings keeps the first ones
            }
            if (size == instances.length) {
                instances = java.util.Arrays.copyOf(instances, size * 2);
                traces = java.util.Arrays.copyOf(traces, size * 2);
                reported = java.util.Arrays.copyOf(reported, size * 2);
            }
            instances[size] = new WeakReference<>(instance);
            traces[size] = trace;
            reported[size] = alreadyReported;
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
                    kept++;
                }
            }
            for (int i = kept; i < size; i++) {
                instances[i] = null;
                traces[i] = null;
            }
            size = kept;
        }
    }
}
