package io.jlockdep.agent.instrument;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for {@code io.jlockdep.runtime.Hooks} in rewritten classes whose hook calls the tests remap here. It checks
 * the protocol as the engine relies on it: a monitor hook runs before the JVM takes the monitor (the thread does not
 * hold it yet, unless re-entering), a synchronized-method hook runs once it is held, an exit hook runs while still
 * holding it, and every thread's monitor stack is empty again when its code returns.
 */
public final class RecordingHooks {
    private static final Map<Thread, ArrayDeque<Object>> HELD = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();
    private static final List<String> PROBLEMS = new ArrayList<>();
    private static final List<String> ALLOCATED = new ArrayList<>();
    /** When false, monitorExit tolerates monitors released out of order (unstructured code). */
    static volatile boolean strictOrder = true;

    private RecordingHooks() {
    }

    public static void monitorEnter(Object monitor, int site) {
        increment("monitorEnter");
        checkSite(site);
        if (monitor == null) {
            return; // monitorenter throws the NullPointerException
        }
        ArrayDeque<Object> held = held();
        if (!containsIdentity(held, monitor) && Thread.holdsLock(monitor)) {
            problem("monitorEnter ran after the JVM took " + describe(monitor));
        }
        held.push(monitor);
    }

    public static void syncMethodEntered(Object monitor, int site) {
        increment("syncMethodEntered");
        checkSite(site);
        if (monitor == null) {
            problem("syncMethodEntered(null)");
            return;
        }
        if (!Thread.holdsLock(monitor)) {
            problem("syncMethodEntered while " + describe(monitor) + " is not held");
        }
        held().push(monitor);
    }

    public static void monitorExit(Object monitor) {
        increment("monitorExit");
        if (monitor == null) {
            return;
        }
        if (!Thread.holdsLock(monitor)) {
            problem("monitorExit of " + describe(monitor) + ", which is not held");
        }
        ArrayDeque<Object> held = held();
        if (held.peek() != monitor && strictOrder) {
            problem("monitorExit of " + describe(monitor) + " but the innermost is " + describe(held.peek()));
        }
        for (Iterator<Object> it = held.iterator(); it.hasNext(); ) {
            if (it.next() == monitor) {
                it.remove();
                return;
            }
        }
        problem("monitorExit of " + describe(monitor) + " that no hook entered");
    }

    public static void allocated(Object lock, int allocationSite) {
        increment("allocated");
        checkSite(allocationSite);
        synchronized (ALLOCATED) {
            ALLOCATED.add(lock.getClass().getName());
        }
    }

    public static void site(int site) {
        increment("site");
        checkSite(site);
    }

    // ---------------------------------------------------------------------------------------------------------------

    static void reset() {
        HELD.clear();
        COUNTS.clear();
        synchronized (PROBLEMS) {
            PROBLEMS.clear();
        }
        synchronized (ALLOCATED) {
            ALLOCATED.clear();
        }
        strictOrder = true;
    }

    static int count(String hook) {
        AtomicInteger n = COUNTS.get(hook);
        return n == null ? 0 : n.get();
    }

    static List<String> problems() {
        synchronized (PROBLEMS) {
            return new ArrayList<>(PROBLEMS);
        }
    }

    static List<String> allocatedTypes() {
        synchronized (ALLOCATED) {
            return new ArrayList<>(ALLOCATED);
        }
    }

    /** Monitors some thread entered through a hook and has not left; empty when everything balanced. */
    static List<String> stillHeld() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Thread, ArrayDeque<Object>> e : HELD.entrySet()) {
            for (Object o : e.getValue()) {
                out.add(e.getKey().getName() + " holds " + describe(o));
            }
        }
        return out;
    }

    static void clearHeld() {
        HELD.clear();
    }

    private static ArrayDeque<Object> held() {
        return HELD.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>());
    }

    private static boolean containsIdentity(ArrayDeque<Object> held, Object o) {
        for (Object h : held) {
            if (h == o) {
                return true;
            }
        }
        return false;
    }

    private static void checkSite(int site) {
        if (site <= 0) {
            problem("site id " + site);
        }
    }

    private static void increment(String hook) {
        COUNTS.computeIfAbsent(hook, h -> new AtomicInteger()).incrementAndGet();
    }

    private static void problem(String what) {
        synchronized (PROBLEMS) {
            PROBLEMS.add(Thread.currentThread().getName() + ": " + what);
        }
    }

    private static String describe(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Class) {
            return "class " + ((Class<?>) o).getName();
        }
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }
}
