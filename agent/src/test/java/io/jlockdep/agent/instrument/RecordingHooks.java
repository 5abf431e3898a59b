package io.jlockdep.agent.instrument;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.Sites;

/**
 * Stands in for {@code io.jlockdep.runtime.Hooks} in rewritten classes whose hook calls the tests remap here: one
 * public static method for each hook that {@link ClassInstrumenter} emits ({@link Hook.By#CLASSES}), with the same
 * descriptor, which {@code HookTableTest} checks. It checks the protocol as the engine relies on it: a monitor hook
 * runs before the JVM takes the monitor (the thread does not hold it yet, unless re-entering), a synchronized-method
 * hook runs once it is held, an exit hook runs while still holding it, and every thread's monitor stack is empty again
 * when its code returns. The stand-ins for
 * {@code Object.wait/notify/notifyAll} run while the caller holds the monitor it entered through a hook (or else the
 * real call, which they then make, must throw), and the site of each names the caller's own class, method and line.
 */
public final class RecordingHooks {
    private static final Map<Thread, ArrayDeque<Object>> HELD = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();
    private static final List<String> PROBLEMS = new ArrayList<>();
    private static final List<String> ALLOCATED = new ArrayList<>();
    private static final List<String> MONITOR_CALLS = new ArrayList<>();
    /** When false, monitorExit tolerates monitors released out of order (unstructured code). */
    static volatile boolean strictOrder = true;
    /**
     * When true, every monitorExit call throws a StackOverflowError at once, as a call into the hook does at the edge
     * of the stack: the rewritten code must release the monitor all the same.
     */
    static volatile boolean exitsOverflow;

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

    /** Before {@code monitorenter} on a part of the method's {@code this}: as {@link #monitorEnter}. */
    public static void monitorEnterPart(Object monitor, Object container, int site) {
        increment("monitorEnterPart");
        if (container == null) {
            problem("monitorEnterPart without its container");
        }
        monitorEnter(monitor, site);
    }

    /** After {@code monitorenter}, when waits are tracked: the monitor monitorEnter recorded is now held. */
    public static void monitorEntered() {
        increment("monitorEntered");
        Object innermost = held().peek();
        if (innermost == null || !Thread.holdsLock(innermost)) {
            problem("monitorEntered while " + describe(innermost) + ", the innermost monitor entered, is not held");
        }
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
        if (exitsOverflow) {
            throw new StackOverflowError("the call into the release hook overflowed the stack");
        }
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

    public static void allocatedIn(Object owner, Object lock, int allocationSite) {
        increment("allocatedIn");
        if (owner == null) {
            problem("allocatedIn without an owner");
        }
        allocated(lock, allocationSite);
    }

    public static void storedInField(Object owner, Object lock, int fieldSite) {
        increment("storedInField");
        checkSite(fieldSite);
        if (owner == null) {
            problem("storedInField without an owner");
        }
    }

    public static void storedInField(Object lock, int fieldSite) {
        increment("storedInField");
        checkSite(fieldSite);
    }

    public static void constructing(Object obj) {
        increment("constructing");
        if (obj == null) {
            problem("constructing(null)");
        }
    }

    public static void constructed(Object obj) {
        increment("constructed");
        if (obj == null) {
            problem("constructed(null)");
        }
    }

    /** The classes whose static initializers run on each thread, innermost first. */
    private static final Map<Thread, ArrayDeque<Class<?>>> INITIALIZING = new ConcurrentHashMap<>();

    private static ArrayDeque<Class<?>> initializing() {
        return INITIALIZING.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>());
    }

    public static void initializing(Class<?> c) {
        increment("initializing");
        if (c == null) {
            problem("initializing(null)");
            return;
        }
        initializing().push(c);
    }

    public static void initializerStored(Object value, Class<?> c) {
        increment("initializerStored");
        if (initializing().peek() != c) {
            problem("initializerStored for " + c + " outside its initializer");
        }
    }

    public static void initialized(Class<?> c) {
        increment("initialized");
        if (initializing().peek() != c) {
            problem("initialized(" + c + ") but the innermost initializer is " + initializing().peek());
            return;
        }
        initializing().pop();
    }

    public static void allocating(Class<?> type, int allocationSite) {
        increment("allocating");
        if (type == null || allocationSite <= 0) {
            problem("allocating(" + type + ", " + allocationSite + ")");
        }
    }

    public static void site(int site) {
        increment("site");
        checkSite(site);
        checkCaller("site", site);
    }

    // The stand-ins for Object.wait/notify/notifyAll: record, check, then make the real call like Hooks does.

    public static void objectWait(Object monitor, int site) throws InterruptedException {
        boolean held = beforeMonitorCall("objectWait", "()", monitor, site);
        try {
            monitor.wait();
        } finally {
            afterMonitorCall("objectWait", monitor, held);
        }
        returnedNormally("objectWait", monitor, held);
    }

    public static void objectWait(Object monitor, long millis, int site) throws InterruptedException {
        boolean held = beforeMonitorCall("objectWait", "(J)", monitor, site);
        try {
            monitor.wait(millis);
        } finally {
            afterMonitorCall("objectWait", monitor, held);
        }
        returnedNormally("objectWait", monitor, held);
    }

    public static void objectWait(Object monitor, long millis, int nanos, int site) throws InterruptedException {
        boolean held = beforeMonitorCall("objectWait", "(JI)", monitor, site);
        try {
            monitor.wait(millis, nanos);
        } finally {
            afterMonitorCall("objectWait", monitor, held);
        }
        returnedNormally("objectWait", monitor, held);
    }

    public static void objectNotify(Object monitor, int site) {
        boolean held = beforeMonitorCall("objectNotify", "()", monitor, site);
        try {
            monitor.notify();
        } finally {
            afterMonitorCall("objectNotify", monitor, held);
        }
        returnedNormally("objectNotify", monitor, held);
    }

    public static void objectNotifyAll(Object monitor, int site) {
        boolean held = beforeMonitorCall("objectNotifyAll", "()", monitor, site);
        try {
            monitor.notifyAll();
        } finally {
            afterMonitorCall("objectNotifyAll", monitor, held);
        }
        returnedNormally("objectNotifyAll", monitor, held);
    }

    /**
     * Counts the call under its hook name and under name+arguments, logs it with its site, and checks it: true when
     * the thread holds the monitor (then some hook must have entered it), false when the real call must throw.
     */
    private static boolean beforeMonitorCall(String hook, String arguments, Object monitor, int site) {
        String call = hook + arguments;
        increment(hook);
        increment(call);
        checkSite(site);
        CodeSite where = Sites.codeSite(site);
        synchronized (MONITOR_CALLS) {
            MONITOR_CALLS.add(call + " " + (where == null ? "?" : where.className() + "." + where.methodName() + ":"
                    + where.line()));
        }
        checkCaller(call, site);
        if (monitor == null) {
            increment(hook + " on null");
            return false;
        }
        if (!Thread.holdsLock(monitor)) {
            increment(hook + " without the monitor");
            return false;
        }
        if (!containsIdentity(held(), monitor)) {
            problem(call + " on " + describe(monitor) + ", held but entered through no hook");
        }
        return true;
    }

    private static void afterMonitorCall(String hook, Object monitor, boolean held) {
        if (held && !Thread.holdsLock(monitor)) {
            problem(hook + " left " + describe(monitor) + " released");
        }
        if (held && !containsIdentity(held(), monitor)) {
            problem(hook + " on " + describe(monitor) + ": the monitor stack lost it");
        }
    }

    private static void returnedNormally(String hook, Object monitor, boolean held) {
        if (!held) {
            problem(hook + " on " + describe(monitor) + " returned although the monitor was not held");
        }
    }

    /** The site must be the calling code's own: class, method and line of the frame that called the hook. */
    private static void checkCaller(String hook, int site) {
        CodeSite where = Sites.codeSite(site);
        StackWalker.StackFrame caller = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(RecordingHooks.class.getName()))
                .findFirst()).orElse(null);
        if (where == null || caller == null) {
            problem(hook + ": unknown site " + site + " or caller " + caller);
            return;
        }
        if (!where.className().equals(caller.getClassName()) || !where.methodName().equals(caller.getMethodName())
                || where.line() != caller.getLineNumber()) {
            problem(hook + ": site " + where.className() + "." + where.methodName() + ":" + where.line()
                    + " but called from " + caller);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    static void reset() {
        HELD.clear();
        INITIALIZING.clear();
        COUNTS.clear();
        synchronized (PROBLEMS) {
            PROBLEMS.clear();
        }
        synchronized (ALLOCATED) {
            ALLOCATED.clear();
        }
        synchronized (MONITOR_CALLS) {
            MONITOR_CALLS.clear();
        }
        strictOrder = true;
        exitsOverflow = false;
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

    /** The wait/notify stand-ins called, in order: e.g. {@code objectWait(J) jlfixture.X.m:12}. */
    static List<String> monitorCalls() {
        synchronized (MONITOR_CALLS) {
            return new ArrayList<>(MONITOR_CALLS);
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
        for (Map.Entry<Thread, ArrayDeque<Class<?>>> e : INITIALIZING.entrySet()) {
            for (Class<?> c : e.getValue()) {
                out.add(e.getKey().getName() + " still initializes " + c.getName());
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
