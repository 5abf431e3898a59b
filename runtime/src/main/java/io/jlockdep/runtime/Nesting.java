package io.jlockdep.runtime;

import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Set;

/**
 * Two instances of one lock class held together. Lockdep reports that at once; in Java it is common and usually fine
 * (parent and child nodes, the two accounts of a transfer), so by default jlockdep remembers the order in which
 * instances were nested and reports a cycle only when two instances are taken in both orders. With
 * {@code nesting=strict} it reports the nesting itself, as lockdep does.
 *
 * <p>These checks cannot use the chain cache, whose keys see classes, not instances; they run only when the thread
 * already holds a lock of the class it is acquiring.
 */
final class Nesting {
    private static final int MAX_SUCCESSORS = 32;
    private static final WeakIdentityMap<Successors> ORDERS = new WeakIdentityMap<>();
    private static final Object LOCK = new Object();
    /** Classes already reported in strict mode. */
    private static final Set<LockClass> STRICT_REPORTED = new HashSet<>();

    private Nesting() {
    }

    static void check(ThreadState ts, HeldLock outer, Object inner, Object innerView, LockClass c, int mode, int site) {
        java.util.Comparator<Object> order = c.order;
        if (order != null) {
            if (order.compare(outer.view, innerView) >= 0) {
                Reports.recursiveLocking(ts, outer, inner, c, mode, site,
                        "the locks are taken against the order declared for their class with Lockdep.setOrder");
            }
            return;
        }
        if (Engine.config().strictNesting()) {
            boolean first;
            synchronized (LOCK) {
                first = STRICT_REPORTED.add(c);
            }
            if (first) {
                Reports.recursiveLocking(ts, outer, inner, c, mode, site,
                        "two locks of one class are held at once; if that is deliberate, tell jlockdep with"
                                + " Lockdep.nested(subclass) or Lockdep.setOrder(lock, comparator)");
            }
            return;
        }
        Object outerInstance = outer.instance;
        Successors afterInner = ORDERS.get(inner);
        boolean cycle = false;
        if (afterInner != null) {
            Trace earlier = afterInner.traceTo(outerInstance);
            cycle = earlier != null;
            if (cycle && afterInner.markReported(outerInstance)) {
                Reports.instanceCycle(ts, outer, inner, c, mode, site, earlier);
            }
        }
        Successors afterOuter = ORDERS.get(outerInstance);
        if (afterOuter == null) {
            synchronized (LOCK) {
                afterOuter = ORDERS.get(outerInstance);
                if (afterOuter == null) {
                    afterOuter = new Successors();
                    ORDERS.put(outerInstance, afterOuter);
                }
            }
        }
        if (afterOuter.traceTo(inner) == null) {
            // The pair's second order is born reported: one report per pair, whichever order comes next.
            afterOuter.add(inner, Trace.capture(ts.threadLabel()), cycle);
        }
    }

    static void reset() {
        synchronized (LOCK) {
            STRICT_REPORTED.clear();
        }
        ORDERS.clear();
    }

    /** The instances seen taken while one instance was held, each with the stack of the first time. */
    private static final class Successors {
        @SuppressWarnings("unchecked")
        private WeakReference<Object>[] instances = new WeakReference[2];
        private Trace[] traces = new Trace[2];
        private boolean[] reported = new boolean[2];
        private int size;

        synchronized Trace traceTo(Object instance) {
            for (int i = 0; i < size; i++) {
                if (instances[i].refersTo(instance)) {
                    return traces[i];
                }
            }
            return null;
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
