package io.jlockdep.runtime;

import io.jlockdep.runtime.graph.WaitNotify;
import io.jlockdep.runtime.lockclass.EventClasses;
import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.sink.Management;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * The static facade that instrumented code calls. It lives on the boot class path so that any class, including
 * {@code java.base}, can call it. Every method returns quickly when the engine is off, and never re-enters itself: a
 * hook that runs while the same thread is already inside jlockdep does nothing.
 *
 * <p>A hook never lets a Throwable of its own reach the program: whatever goes wrong inside it is caught there, by a
 * handler that calls nothing that could overflow the stack again. A stack overflow or an out-of-memory error (the
 * program's, not jlockdep's) may have cut an event short: the thread's records are marked unsure, and before they are
 * used again they are checked against what the JVM says the thread holds ({@code Tracker.repair}). Any other Throwable
 * is jlockdep's own bug: it turns checking off, once, with one line. The one thing a hook cannot catch is a stack
 * overflow on the call into it, before any of its code ran: then nothing happened, exactly as if the call the program
 * was about to make had overflowed (the rewriting guards the calls after which that would matter, such as a release).
 *
 * <p>Call protocol, per lock kind:
 * <ul>
 *   <li>monitors: {@link #monitorEnter} right before {@code monitorenter} (the check runs before the thread can block),
 *       or {@link #monitorEnterPart} for an internal part of the method's {@code this}, {@link #monitorExit} right
 *       before {@code monitorexit}; a {@code synchronized} method whose flag could not be
 *       removed (a retransformed class) calls {@link #syncMethodEntered} once the JVM has taken the monitor;</li>
 *   <li>java.util.concurrent locks: {@link #beforeLock} before a blocking acquisition, {@link #afterLock} when it
 *       returned normally, {@link #afterTryLock} after a try-acquisition, {@link #lockFailed} when a blocking
 *       acquisition threw after all, {@link #afterUnlock} once a release returned;</li>
 *   <li>{@link #allocated} right after the constructor of a lock object returns, {@link #site} right before a call to
 *       a lock method, so the acquisition knows where it happened; {@link #constructing} and {@link #constructed}
 *       around the body of a constructor of a class that locks itself; {@link #initializing} and {@link #initialized}
 *       around a static initializer, {@link #initializerStored} before its stores of new objects into its class's
 *       static fields.</li>
 * </ul>
 *
 * <p>Every public static method here is a hook, listed with its descriptor in the agent's hook table
 * ({@code io.jlockdep.agent.instrument.Hook}); the agent's {@code HookTableTest} fails when the two disagree. The
 * {@code type} codes below are pushed by the instrumenter as these very constants.
 */
public final class Hooks {
    /** Lock types for the {@code type} arguments, as {@link LockType} ordinals. */
    public static final int REENTRANT_LOCK = 1;
    public static final int READ_WRITE_LOCK = 2;
    public static final int STAMPED_LOCK = 3;

    private static final LockType[] TYPES = LockType.values();
    private static final int MONITOR = LockType.MONITOR.ordinal();

    // The slow hooks' work, for run(): what to do with its arguments.
    private static final int SYNC_METHOD_ENTERED = 1;
    private static final int LOCK_FAILED = 2;
    private static final int TRY_LOCKED = 3;
    private static final int CONVERTED = 5;
    private static final int WAIT = 6;
    private static final int NOTIFY = 7;
    private static final int THREAD_EXIT = 8;
    private static final int ALLOCATED = 9;
    private static final int PLATFORM_MBEAN_SERVER = 10;
    private static final int CLASS_LOADING_LOCK = 11;
    private static final int ACQUIRE = 12;
    private static final int RELEASE = 13;
    private static final int STORED_IN_FIELD = 14;
    private static final int CONSTRUCTED = 15;
    private static final int ACQUIRE_PART = 16;
    private static final int ACQUIRED = 17;
    private static final int CONTENDED = 18;


    private Hooks() {
    }

    // Each acquisition and release hook tries the thread's fast path first (Tracker.fastAcquire/fastRelease: a
    // lock seen before at this depth, a chain already validated): small enough for the JIT to inline into the lock
    // method, and done in one step or not at all. Everything else goes to run(), out of line, with the thread marked
    // busy.

    public static void monitorEnter(Object monitor, int site) {
        enter(monitor, null, site);
    }

    /**
     * Before {@code monitorenter} on an internal part of {@code container}, the {@code this} of the instance method
     * that locks it: a monitor whose declared type there is nested in the method's class or its superclass (a
     * {@code ConcurrentHashMap}'s bin node). Classed by the container (see {@code LockClasses.ofPart}).
     */
    public static void monitorEnterPart(Object monitor, Object container, int site) {
        enter(monitor, container, site);
    }

    private static void enter(Object monitor, Object container, int site) {
        if (!Engine.enabled || monitor == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = ThreadState.current();
            if (!ts.busy && !Tracker.fastAcquire(ts, monitor, monitor, Mode.EXCLUSIVE, site, false)) {
                if (container == null) {
                    run(ACQUIRE, monitor, monitor, MONITOR, Mode.EXCLUSIVE, site, Tracker.BLOCKING);
                } else {
                    run(ACQUIRE_PART, monitor, container, MONITOR, Mode.EXCLUSIVE, site, Tracker.BLOCKING);
                }
            }
        } catch (Throwable t) {
            if (ts != null) {
                ts.unsure = true; // field stores only: in a handler, a call could overflow the stack again
                ts.lostLock = monitor;
                ts.lostView = monitor;
                ts.lostType = MONITOR;
                ts.lostMode = Mode.EXCLUSIVE;
            }
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    public static void monitorExit(Object monitor) {
        if (!Engine.enabled || monitor == null) {
            return;
        }
        try {
            ThreadState ts = ThreadState.current();
            if (!ts.busy && !Tracker.fastRelease(ts, monitor, Mode.EXCLUSIVE)) {
                run(RELEASE, monitor, null, 1, Mode.EXCLUSIVE, 0, 0);
            }
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /**
     * On entry of a blocking acquisition of a java.util.concurrent lock: checked and recorded before it can block, like
     * a monitor.
     *
     * @param identity the object that identifies the lock instance (for a ReentrantReadWriteLock view, its shared
     *                 {@code sync}, so its read and write locks are one instance)
     * @param view     the object the lock method was called on, whose allocation gives the lock class
     * @param type     {@link #REENTRANT_LOCK}, {@link #READ_WRITE_LOCK} or {@link #STAMPED_LOCK}
     * @param mode     a {@link Mode} constant
     */
    public static void beforeLock(Object identity, Object view, int type, int mode) {
        if (!Engine.enabled || identity == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = ThreadState.current();
            if (!ts.busy && !Tracker.fastAcquire(ts, identity, view, mode, 0, false)) {
                run(ACQUIRE, identity, view, type, mode, 0, Tracker.BLOCKING);
            }
        } catch (Throwable t) {
            if (ts != null) {
                ts.unsure = true; // field stores only: in a handler, a call could overflow the stack again
                ts.lostLock = identity;
                ts.lostView = view;
                ts.lostType = type;
                ts.lostMode = mode;
            }
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /** A java.util.concurrent lock's release returned: it is released (inserted before each return of unlock). */
    public static void afterUnlock(Object identity, int mode) {
        if (Engine.enabled && identity != null) {
            release(identity, mode);
        }
    }

    private static void release(Object identity, int mode) {
        try {
            ThreadState ts = ThreadState.current();
            if (!ts.busy && !Tracker.fastRelease(ts, identity, mode)) {
                run(RELEASE, identity, null, 0, mode, 0, 0);
            }
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /**
     * A fast path threw. It changes the thread's state in one step at its end, so a stack overflow or out-of-memory
     * error there changed nothing (and the slow path in {@link #run} handles its own); anything else is a bug. Called
     * inside a handler of its own: not even a stack overflow on this call leaves the hook.
     */
    private static void fastPathFailed(Throwable t) {
        if (!(t instanceof VirtualMachineError)) {
            Engine.hookFailed(t);
        }
    }

    /**
     * Every hook's slow work, with the thread marked busy; {@code what} says which, the other arguments are its own.
     * Nothing it throws leaves: the handler marks the records unsure (and, for an acquisition, the lock it was about
     * to record) with field stores alone, and reports a bug of jlockdep's (not a stack overflow or an out-of-memory
     * error) through a call guarded in turn.
     */
    private static void run(int what, Object a, Object b, int x, int y, int z, long timeout) {
        ThreadState ts = null;
        boolean entered = false;
        try {
            ts = ThreadState.current();
            if (ts.busy) {
                return;
            }
            ts.busy = true;
            entered = true;
            if (ts.unsure) {
                Tracker.repair(ts, a);
            }
            work(ts, what, a, b, x, y, z, timeout);
        } catch (Throwable t) {
            if (ts != null) {
                ts.unsure = true;
                if (what == ACQUIRE || what == ACQUIRE_PART) {
                    ts.lostLock = a;
                    ts.lostView = what == ACQUIRE ? b : a;
                    ts.lostType = x;
                    ts.lostMode = y;
                }
            }
            if (!(t instanceof VirtualMachineError)) {
                try {
                    Engine.hookFailed(t);
                } catch (Throwable again) {
                    // not even the report could run: checking is off already
                }
            }
        } finally {
            if (entered) {
                ts.busy = false;
            }
        }
    }

    private static void work(ThreadState ts, int what, Object a, Object b, int x, int y, int z, long timeout) {
        switch (what) {
            case ACQUIRE: // a = identity, b = view, x = type (a LockType ordinal), y = mode, z = site, timeout = how
                Tracker.acquire(ts, a, b, TYPES[x], y, z, (int) timeout);
                break;
            case ACQUIRE_PART: // a = monitor, b = its container, z = site, timeout = how
                Tracker.acquire(ts, a, a, LockType.MONITOR, y, z, (int) timeout, b);
                break;
            case RELEASE: // a = identity, x = 1 for a monitor, y = mode
                Tracker.release(ts, a, y, x == 1);
                break;
            case SYNC_METHOD_ENTERED: // a = monitor, z = site
                Tracker.acquire(ts, a, a, LockType.MONITOR, Mode.EXCLUSIVE, z, Tracker.TAKEN);
                break;
            case LOCK_FAILED: // a = identity, b = view, x = type, y = mode
                Tracker.acquireFailed(ts, a, b, TYPES[x], y);
                break;
            case TRY_LOCKED: // a = identity, b = view, x = type, y = mode
                Tracker.acquire(ts, a, b, TYPES[x], y, 0, Tracker.TRY);
                break;
            case CONVERTED: // a = lock, timeout = the new stamp
                if (ts.pendingStampLock == a) {
                    ts.pendingStampLock = null;
                    Tracker.convertStamp(ts, a, ts.pendingStamp, timeout);
                }
                break;
            case WAIT: // a = identity, z = site, timeout = nanoseconds or WaitNotify.UNTIMED
                Tracker.beforeWait(ts, a, timeout, z == 0 ? ts.takeSite() : z);
                break;
            case NOTIFY: // a = identity, z = site
                Tracker.beforeNotify(ts, a, z == 0 ? ts.takeSite() : z);
                break;
            case THREAD_EXIT:
                Tracker.threadExit(ts);
                break;
            case ALLOCATED: // a = lock, b = the object whose field it is stored in, or null; z = allocation site
                if (b == null) {
                    LockClasses.registerAllocation(a, z);
                } else {
                    LockClasses.registerAllocationIn(b, a, z);
                }
                ts.forgetClassOf(a);
                break;
            case STORED_IN_FIELD: // a = lock, b = the field's owner, or null for a static field; z = field site
                LockClasses.storedInField(b, a, z);
                break;
            case CONSTRUCTED: // a = the object constructed
                if (LockClasses.registerConstructed(a, ts.constructed(a))) {
                    ts.forgetClassOf(a);
                }
                break;
            case PLATFORM_MBEAN_SERVER: // a = server
                Management.register(a);
                break;
            case CLASS_LOADING_LOCK: // a = lock
                LockClasses.markClassLoadingLock(a);
                break;
            case ACQUIRED:
                Tracker.acquired(ts);
                break;
            case CONTENDED: // a = identity
                Tracker.contended(ts, a);
                break;
            default:
                throw new IllegalArgumentException("hook " + what);
        }
    }

    /**
     * Right after {@code monitorenter}, inserted only when waits are tracked (the watchdog): the monitor recorded by
     * {@link #monitorEnter} is now held.
     */
    public static void monitorEntered() {
        acquired();
    }

    /**
     * Before a blocking acquisition returns, inserted only when waits are tracked (the watchdog): the lock recorded by
     * {@link #beforeLock} is now held.
     */
    public static void afterLock() {
        acquired();
    }

    /**
     * Through {@link #run}, with the thread marked busy like every slow hook: the statistics it updates may run JDK
     * code with locks of its own (a {@code LongAdder}'s first contention links a VarHandle, which fills a
     * {@code ConcurrentHashMap}), and jlockdep never records its own locking as the program's.
     */
    private static void acquired() {
        if (Engine.enabled) {
            run(ACQUIRED, null, null, 0, 0, 0, 0L);
        }
    }

    /**
     * On entry of a synchronizer's slow path ({@code AbstractQueuedSynchronizer.acquire}, StampedLock's
     * {@code acquireWrite/acquireRead}), inserted only for lock statistics: the lock being acquired is contended.
     */
    public static void contended(Object identity) {
        if (Engine.enabled && identity != null) {
            run(CONTENDED, identity, null, 0, 0, 0, 0L); // busy: as in acquired()
        }
    }

    /**
     * For a synchronized method whose flag stayed (a retransformed class): the JVM already holds the monitor, so it is
     * recorded, and checked, after the fact.
     */
    public static void syncMethodEntered(Object monitor, int site) {
        if (Engine.enabled && monitor != null) {
            run(SYNC_METHOD_ENTERED, monitor, null, 0, 0, site, 0L);
        }
    }

    /** A blocking acquisition threw (interrupted, or an error): it is not held after all, unless the JVM says so. */
    public static void lockFailed(Object identity, Object view, int type, int mode) {
        if (Engine.enabled && identity != null) {
            run(LOCK_FAILED, identity, view, type, mode, 0, 0L);
        }
    }

    /** After a try-acquisition (tryLock, timed tryLock, tryReadLock, ...); records it as a trylock if it succeeded. */
    public static void afterTryLock(boolean acquired, Object identity, Object view, int type, int mode) {
        if (acquired && Engine.enabled && identity != null) {
            run(TRY_LOCKED, identity, view, type, mode, 0, 0L);
        }
    }

    /**
     * After a StampedLock try-acquisition ({@code tryWriteLock}, {@code tryReadLock}, timed variants), whose stamp is 0
     * when it failed.
     */
    public static void afterTryLockStamp(long stamp, Object lock, int mode) {
        if (stamp != 0L && Engine.enabled && lock != null) {
            run(TRY_LOCKED, lock, lock, STAMPED_LOCK, mode, 0, 0L);
        }
    }

    /** Before {@code StampedLock.unlock(long)}, which releases whichever mode the stamp holds. */
    public static void beforeUnlockStamp(Object lock, long stamp) {
        if (Engine.enabled && lock != null) {
            release(lock, Stamps.modeOf(stamp));
        }
    }

    /** After {@code tryUnlockRead()} / {@code tryUnlockWrite()}: a release when it returned true. */
    public static void afterTryUnlock(boolean released, Object identity, int mode) {
        if (released && Engine.enabled && identity != null) {
            release(identity, mode);
        }
    }

    /** On entry of {@code StampedLock.tryConvertTo*(long)}: remembers the stamp being converted. */
    public static void beforeConvert(Object lock, long stamp) {
        if (!Engine.enabled || lock == null) {
            return;
        }
        try {
            ThreadState ts = ThreadState.current();
            ts.pendingStamp = stamp;
            ts.pendingStampLock = lock;
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /** Before a return from {@code StampedLock.tryConvertTo*(long)}: the hold changes mode, or is released. */
    public static void afterConvert(long newStamp, Object lock) {
        if (Engine.enabled && lock != null) {
            run(CONVERTED, lock, null, 0, 0, 0, newStamp);
        }
    }

    /**
     * On entry of {@code Condition.await*}: the lock identified by {@code identity} (the condition's synchronizer) is
     * released for the wait and taken again after it. {@code timeoutNanos} is how long the wait may last,
     * {@link WaitNotify#UNTIMED} for {@code await()} and {@code awaitUninterruptibly()}.
     */
    public static void beforeWait(Object identity, long timeoutNanos) {
        beforeWait(identity, timeoutNanos, 0);
    }

    /** On entry of {@code Condition.await(time, unit)}. */
    public static void beforeWait(Object identity, long time, TimeUnit unit) {
        long nanos = WaitNotify.UNTIMED;
        if (unit != null) { // (the await itself throws for a null unit)
            nanos = Math.max(0L, unit.toNanos(time));
        }
        beforeWait(identity, nanos, 0);
    }

    /** On entry of {@code Condition.awaitUntil(deadline)}. */
    public static void beforeWaitUntil(Object identity, Date deadline) {
        long nanos = WaitNotify.UNTIMED;
        try {
            // a Date subclass may override getTime: whatever it does, the await does it too
            nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0L, deadline.getTime() - System.currentTimeMillis()));
        } catch (Throwable t) {
            // null, or an override that throws: the await throws it itself
        }
        beforeWait(identity, nanos, 0);
    }

    /** On entry of {@code Condition.signal} / {@code signalAll}. */
    public static void beforeNotify(Object identity) {
        beforeNotify(identity, 0);
    }

    /**
     * Replaces a call to {@code monitor.wait()}: the program's own call, made here. What it throws is the program's
     * (an interrupt, a monitor not held); its stack trace does not show this frame (see {@link #withoutOwnFrames}).
     */
    public static void objectWait(Object monitor, int site) throws InterruptedException {
        beforeWait(monitor, WaitNotify.UNTIMED, site);
        try {
            monitor.wait();
        } finally {
            try {
                afterWait();
            } catch (Throwable t) {
                // not even a stack overflow on this call may replace what the wait itself returned or threw
            }
        }
    }

    /** Replaces a call to {@code monitor.wait(millis)}. */
    public static void objectWait(Object monitor, long millis, int site) throws InterruptedException {
        beforeWait(monitor, millis == 0L ? WaitNotify.UNTIMED : TimeUnit.MILLISECONDS.toNanos(millis), site);
        try {
            monitor.wait(millis);
        } finally {
            try {
                afterWait();
            } catch (Throwable t) {
                // not even a stack overflow on this call may replace what the wait itself returned or threw
            }
        }
    }

    /** Replaces a call to {@code monitor.wait(millis, nanos)}. */
    public static void objectWait(Object monitor, long millis, int nanos, int site) throws InterruptedException {
        beforeWait(monitor, millis == 0L && nanos == 0 ? WaitNotify.UNTIMED
                : TimeUnit.MILLISECONDS.toNanos(millis) + nanos, site);
        try {
            monitor.wait(millis, nanos);
        } finally {
            try {
                afterWait();
            } catch (Throwable t) {
                // not even a stack overflow on this call may replace what the wait itself returned or threw
            }
        }
    }



    /** The wait is over and the monitor held again (only the watchdog and lock statistics care). */
    private static void afterWait() {
        if (Engine.trackWaits) {
            WaitState w = ThreadState.current().waiting;
            if (w.givenBack != null) {
                w.giveBack(null);
            }
        }
    }

    /** Replaces a call to {@code monitor.notify()}. */
    public static void objectNotify(Object monitor, int site) {
        beforeNotify(monitor, site);
        monitor.notify();
    }

    /** Replaces a call to {@code monitor.notifyAll()}. */
    public static void objectNotifyAll(Object monitor, int site) {
        beforeNotify(monitor, site);
        monitor.notifyAll();
    }

    /** On entry of {@code Thread.exit()}, which the JVM runs as a platform thread ends. */
    public static void threadExit() {
        if (Engine.enabled) {
            run(THREAD_EXIT, null, null, 0, 0, 0, 0L);
        }
    }

    private static void beforeWait(Object identity, long timeoutNanos, int site) {
        if (Engine.enabled && identity != null) {
            run(WAIT, identity, null, 0, 0, site, timeoutNanos);
        }
    }

    private static void beforeNotify(Object identity, int site) {
        if (Engine.enabled && identity != null) {
            run(NOTIFY, identity, null, 0, 0, site, 0L);
        }
    }

    // Waits that are not locks (see WaitFor). The JDK methods that wait, produce an event, or run a task call these;
    // a method that waits calls afterEventWait on every way out, a task's run calls taskEnd. Each goes to one
    // dispatcher, which does what every slow hook does (mark the thread busy, catch everything).

    private static final int WAIT_BEGIN = 0;
    private static final int WAIT_END = 1;
    private static final int PRODUCED = 2;
    private static final int TASK_CREATED = 3;
    private static final int TASK_BEGIN = 4;
    private static final int TASK_END = 5;
    private static final int TASK_DONE = 6;
    private static final int POOL_CREATED = 7;
    private static final int SUBMITTED = 8;
    private static final int COMPLETIONS_CREATED = 9;

    /**
     * On entry of a method that may wait for an event: {@code Future.get}, {@code CountDownLatch.await},
     * {@code Semaphore.acquire}, a blocking queue's {@code take}/{@code put}, {@code Thread.join}...
     *
     * @param target  the object waited on (the future, the latch, the queue, the thread)
     * @param type    an {@code EventType.CODE_*} constant
     * @param permits how many permits a semaphore acquisition wants; the phase a {@code Phaser.awaitAdvance} waits
     *                for (-1 for {@code arriveAndAwaitAdvance}); 1 for the other waits
     * @param timeout the time limit, in {@code unit}; -1 (with a null unit) for a wait without one; for
     *                {@code Thread.join(millis)}, milliseconds with a null unit, 0 meaning none
     * @param unit    a {@code TimeUnit}, a {@code Duration} (then {@code timeout} is ignored), or null
     */
    public static void beforeEventWait(Object target, int type, int permits, long timeout, Object unit) {
        if (Engine.enabled && target != null) {
            waits(WAIT_BEGIN, target, null, null, type, permits, timeoutMillis(type, timeout, unit));
        }
    }

    /** -1 for a wait that never gives up, 0 for one that does not wait at all, else its limit (at least 1 ms). */
    private static long timeoutMillis(int type, long timeout, Object unit) {
        if (unit instanceof java.time.Duration) {
            java.time.Duration d = (java.time.Duration) unit;
            return d.isNegative() || d.isZero() ? 0L : Math.max(1L, d.toMillis());
        }
        if (unit instanceof java.util.concurrent.TimeUnit) {
            long nanos = ((java.util.concurrent.TimeUnit) unit).toNanos(timeout);
            return nanos <= 0L ? 0L : Math.max(1L, nanos / 1_000_000L);
        }
        if (timeout < 0L || (timeout == 0L && type == EventType.CODE_THREAD_END)) {
            return -1L;
        }
        return timeout;
    }

    /** On every way out of a method that called {@link #beforeEventWait}. */
    public static void afterEventWait() {
        waits(WAIT_END, null, null, null, 0, 0, 0L);
    }

    /**
     * On entry of a method that produces an event: {@code countDown}, {@code release}, a queue's {@code put}/{@code
     * offer} (an element) or {@code take}/{@code poll} (room), {@code CompletableFuture.complete}.
     */
    public static void eventProduced(Object target, int type) {
        if (Engine.enabled && target != null) {
            waits(PRODUCED, target, null, null, type, 0, 0L);
        }
    }

    /**
     * Before a constructor of a task or a thread returns: {@code task} runs {@code body} (null: it runs itself, a
     * thread subclass) and completes {@code future} (the task itself, or the {@code CompletableFuture} an async task
     * completes).
     */
    public static void taskCreated(Object task, Object future, Object body) {
        if (Engine.enabled && task != null) {
            waits(TASK_CREATED, task, future, body, 0, 0, 0L);
        }
    }

    /** On entry of a task's run ({@code FutureTask.run}, an async task's): the task's context begins. */
    public static void taskBegin(Object task) {
        if (Engine.enabled && task != null) {
            waits(TASK_BEGIN, task, null, null, 0, 0, 0L);
        }
    }

    /** On every way out of a task's run. */
    public static void taskEnd(Object task) {
        if (task != null) {
            waits(TASK_END, task, null, null, 0, 0, 0L);
        }
    }

    /** On entry of {@code FutureTask.set/setException}, {@code CompletableFuture.postComplete}: the result is in. */
    public static void taskDone(Object future) {
        if (Engine.enabled && future != null) {
            waits(TASK_DONE, future, null, null, 0, 0, 0L);
        }
    }

    /** Before a {@code ThreadPoolExecutor} constructor returns: the pool is named after where it was created. */
    public static void poolCreated(Object pool) {
        if (Engine.enabled && pool instanceof java.util.concurrent.ThreadPoolExecutor) {
            waits(POOL_CREATED, pool, null, null, 0, 0, 0L);
        }
    }

    /** On entry of {@code ThreadPoolExecutor.execute} (and its scheduled variant): {@code task} goes to that pool. */
    public static void taskSubmitted(Object pool, Object task) {
        if (Engine.enabled && pool != null && task != null) {
            waits(SUBMITTED, pool, task, null, 0, 0, 0L);
        }
    }

    /**
     * Before an {@code ExecutorCompletionService} constructor returns: {@code queue}, where its tasks' futures arrive as
     * they complete, is named after where the program created the service ({@code invokeAny} creates one).
     */
    public static void completionServiceCreated(Object queue) {
        if (Engine.enabled && queue != null) {
            waits(COMPLETIONS_CREATED, queue, null, null, 0, 0, 0L);
        }
    }

    private static void waits(int op, Object a, Object b, Object c, int type, int permits, long timeoutMillis) {
        ThreadState ts = null;
        boolean entered = false;
        try {
            ts = ThreadState.current();
            if (ts.busy) {
                return;
            }
            ts.busy = true;
            entered = true;
            if (ts.unsure) {
                Tracker.repair(ts, null); // the wait-for check reads the locks held
            }
            switch (op) {
                case WAIT_BEGIN:
                    WaitFor.waitBegin(ts, a, EventType.ofCode(type), permits, timeoutMillis);
                    break;
                case WAIT_END:
                    WaitFor.waitEnd(ts);
                    break;
                case PRODUCED:
                    WaitFor.produced(ts, a, EventType.ofCode(type));
                    break;
                case TASK_CREATED:
                    EventClasses.taskCreated(ts, a, b, c);
                    break;
                case TASK_BEGIN:
                    WaitFor.taskBegin(ts, a);
                    break;
                case TASK_END:
                    WaitFor.taskEnd(ts, a);
                    break;
                case TASK_DONE:
                    WaitFor.taskDone(ts, a);
                    break;
                case POOL_CREATED:
                    EventClasses.poolCreated((java.util.concurrent.ThreadPoolExecutor) a, ts);
                    break;
                case COMPLETIONS_CREATED:
                    EventClasses.completionQueueCreated(a, ts);
                    break;
                default:
                    EventClasses.submitted(a, b);
                    break;
            }
        } catch (Throwable t) {
            if (ts != null) {
                ts.unsure = true; // as in run: a field store, no call
            }
            if (!(t instanceof VirtualMachineError)) {
                try {
                    Engine.hookFailed(t);
                } catch (Throwable again) {
                    // not even the report could run: checking is off already
                }
            }
        } finally {
            if (entered) {
                ts.busy = false;
            }
        }
    }

    /** On entry of {@code ThreadPoolExecutor.runWorker}: this thread is one of the pool's workers until it returns. */
    public static void workerBegin(Object pool) {
        if (!Engine.enabled) {
            return;
        }
        try {
            ThreadState.current().waits.pool = pool;
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /** On every way out of {@code ThreadPoolExecutor.runWorker}. */
    public static void workerEnd() {
        try {
            ThreadState.current().waits.pool = null;
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /**
     * Right after {@code new T(...)} of a lock type, or of a JDK type that locks itself, returned (or a factory of such
     * objects, {@code Collections.synchronizedList}): gives the instance the lock class of its allocation.
     */
    public static void allocated(Object lock, int allocationSite) {
        if (Engine.enabled && lock != null) {
            run(ALLOCATED, lock, null, 0, 0, allocationSite, 0L);
        }
    }

    /**
     * Like {@link #allocated(Object, int)} for an object stored straight into a field of {@code owner}: a field lock is
     * classed by its field and by the runtime type of the object that holds it.
     */
    public static void allocatedIn(Object owner, Object lock, int allocationSite) {
        if (Engine.enabled && lock != null && owner != null) {
            run(ALLOCATED, lock, owner, 0, 0, allocationSite, 0L);
        }
    }

    /**
     * Before a lock is stored into a field declared with a lock type, when it does not come straight from its
     * allocation ({@code this.lock = factory.newLock()}): a lock not taken yet gets that field's class.
     *
     * @param owner the object whose field it is, or null for a static field
     */
    public static void storedInField(Object owner, Object lock, int fieldSite) {
        if (owner != null) {
            stored(owner, lock, fieldSite);
        }
    }

    /** {@link #storedInField(Object, Object, int)} for a static field. */
    public static void storedInField(Object lock, int fieldSite) {
        stored(null, lock, fieldSite);
    }

    private static void stored(Object owner, Object lock, int fieldSite) {
        if (Engine.enabled && lock != null) {
            run(STORED_IN_FIELD, lock, owner, 0, 0, fieldSite, 0L);
        }
    }

    /**
     * Before each return of a constructor of a lock type (ReentrantLock, ReentrantReadWriteLock, StampedLock) and of a
     * class that locks itself: a subclass of a lock type, or an object of such a class, is classed by the site that
     * called its constructor (its {@code new} is not hooked: its type was not known to be a lock's when the allocating
     * code was rewritten). Objects of the lock types themselves are classed by their hooked {@code new}, after this.
     */
    public static void constructed(Object obj) {
        if (!Engine.enabled || obj == null) {
            return;
        }
        Class<?> type = obj.getClass();
        if (type != java.util.concurrent.locks.ReentrantLock.class
                && type != java.util.concurrent.locks.ReentrantReadWriteLock.class
                && type != java.util.concurrent.locks.StampedLock.class) {
            run(CONSTRUCTED, obj, null, 0, 0, 0, 0L);
        }
    }

    /**
     * Right after the {@code super(...)} or {@code this(...)} call of a constructor of a class that locks itself: until
     * the constructor returns ({@link #constructed}), the object is being constructed on this thread, and its monitor
     * taken there cannot block (see {@code Tracker.acquire}).
     */
    public static void constructing(Object obj) {
        if (Engine.enabled && obj != null) {
            mark(CONSTRUCTING, obj, null);
        }
    }

    /**
     * At the start of the static initializer of {@code c} (a class that is no JDK class): until it ends
     * ({@link #initialized}), no other thread can use {@code c}, so its class monitor, and the new objects the
     * initializer stores into its static fields ({@link #initializerStored}), taken on this thread cannot block (see
     * {@code Tracker.acquire}).
     */
    public static void initializing(Class<?> c) {
        if (Engine.enabled && c != null) {
            mark(INITIALIZING, c, c);
        }
    }

    /** Before the static initializer of {@code c} stores {@code value}, just created, into a static field of c. */
    public static void initializerStored(Object value, Class<?> c) {
        if (Engine.enabled && value != null && c != null) {
            mark(INITIALIZER_STORED, value, c);
        }
    }

    /** Before the static initializer of {@code c} returns or throws: see {@link #initializing}. */
    public static void initialized(Class<?> c) {
        if (Engine.enabled && c != null) {
            mark(INITIALIZED, c, c);
        }
    }

    private static final int INITIALIZING = 0;
    private static final int INITIALIZER_STORED = 1;
    private static final int INITIALIZED = 2;
    private static final int CONSTRUCTING = 3;

    /**
     * The marks of a constructor or an initializer: field stores on this thread's state only. None is made while
     * jlockdep's own code runs on the thread; an initializer's end clears its marks even then, so none outlives it.
     */
    private static void mark(int what, Object obj, Class<?> c) {
        try {
            ThreadState ts = ThreadState.current();
            if (ts.busy && what != INITIALIZED) {
                return;
            }
            if (what == CONSTRUCTING) {
                ts.constructing(obj);
            } else if (what == INITIALIZING) {
                ts.initializing(c);
            } else if (what == INITIALIZER_STORED) {
                ts.initializerStored(obj, c);
            } else {
                ts.initialized(c);
            }
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /**
     * Before {@code ManagementFactory.getPlatformMBeanServer} returns: the first time, jlockdep's MXBean is registered
     * on that server (it is created by a JMX agent or a console attaching, not by jlockdep).
     */
    public static void platformMBeanServer(Object server) {
        if (Engine.enabled && server != null) {
            run(PLATFORM_MBEAN_SERVER, server, null, 0, 0, 0, 0L);
        }
    }

    /** Before {@code ClassLoader.getClassLoadingLock} returns the lock a class is loaded under. */
    public static void classLoadingLock(Object lock) {
        if (Engine.enabled && lock != null) {
            run(CLASS_LOADING_LOCK, lock, null, 0, 0, 0, 0L);
        }
    }

    /** Right before a call to a lock method: the next acquisition by this thread happens at this code site. */
    public static void site(int site) {
        if (!Engine.enabled) {
            return;
        }
        try {
            ThreadState.current().pendingSite = site;
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /**
     * Right before the constructor call of a {@code new type} (a type that is no JDK class and gets no {@link #allocated}
     * hook): when objects of that type lock themselves, the object constructed next on this thread was allocated at this
     * site, and its constructor's report ({@link #constructed}) takes the site from here instead of walking the stack.
     * For any other type it returns at once (the site's answer is decided on its first hint).
     */
    public static void allocating(Class<?> type, int allocationSite) {
        if (!Engine.enabled) {
            return;
        }
        try {
            if (LockClasses.hintsConstruction(type, allocationSite)) {
                ThreadState ts = ThreadState.current();
                if (!ts.busy) {
                    ts.pendingAllocation = allocationSite;
                    ts.pendingAllocationType = type;
                }
            }
        } catch (Throwable t) {
            try {
                fastPathFailed(t);
            } catch (Throwable again) {
                // no stack left even to look at it
            }
        }
    }

    /**
     * Inside {@code Throwable.getOurStackTrace}, when a Throwable's stack trace is first built: the same trace without
     * jlockdep's own frames (a hook the throwable passed through, or the hook whose call overflowed the stack), so the
     * program never sees them. jlockdep's own diagnostics (a busy thread) keep them.
     */
    public static StackTraceElement[] withoutOwnFrames(StackTraceElement[] trace) {
        try {
            return Trace.hasOwnFrames(trace) && !ThreadState.current().busy ? Trace.withoutOwnFrames(trace) : trace;
        } catch (Throwable t) {
            return trace;
        }
    }
}
