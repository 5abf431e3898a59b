package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.sink.Management;

/**
 * The static facade that instrumented code calls. It lives on the boot class path so that any class, including
 * {@code java.base}, can call it. Every method returns quickly when the engine is off, never throws, and never
 * re-enters itself: a hook that runs while the same thread is already inside jlockdep does nothing.
 *
 * <p>Call protocol, per lock kind:
 * <ul>
 *   <li>monitors: {@link #monitorEnter} right before {@code monitorenter} (the check runs before the thread can block),
 *       {@link #monitorExit} right before {@code monitorexit}; a {@code synchronized} method whose flag could not be
 *       removed (a retransformed class) calls {@link #syncMethodEntered} once the JVM has taken the monitor;</li>
 *   <li>java.util.concurrent locks: {@link #beforeLock} before a blocking acquisition, {@link #afterLock} when it
 *       returned normally, {@link #afterTryLock} after a try-acquisition, {@link #beforeUnlock} before a release;</li>
 *   <li>{@link #allocated} right after the constructor of a lock object returns, {@link #site} right before a call to
 *       a lock method, so the acquisition knows where it happened.</li>
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

    private Hooks() {
    }

    /** The calling thread's state, marked busy; null when jlockdep is already running on this thread. */
    private static ThreadState enter() {
        ThreadState ts = ThreadState.current();
        if (ts.busy) {
            return null;
        }
        ts.busy = true;
        return ts;
    }

    private static void leave(ThreadState ts) {
        if (ts != null) {
            ts.busy = false;
        }
    }

    // Each acquisition and release hook tries the thread's fast path first (Tracker.fastAcquire/fastRelease: a
    // lock seen before at this depth, a chain already validated): small enough for the JIT to inline into the lock
    // method. Everything else goes to a slow method, out of line, with the thread marked busy.

    public static void monitorEnter(Object monitor, int site) {
        if (!Engine.enabled || monitor == null) {
            return;
        }
        try {
            ThreadState ts = ThreadState.current();
            if (!ts.busy && !Tracker.fastAcquire(ts, monitor, monitor, Mode.EXCLUSIVE, site, false)) {
                acquireSlowly(ts, monitor, monitor, LockType.MONITOR, Mode.EXCLUSIVE, site, Tracker.BLOCKING);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        }
    }

    private static void acquireSlowly(ThreadState ts, Object identity, Object view, LockType type, int mode, int site,
                                      int how) {
        if (ts.busy) {
            return;
        }
        ts.busy = true;
        try {
            Tracker.acquire(ts, identity, view, type, mode, site, how);
        } finally {
            ts.busy = false;
        }
    }

    private static void releaseSlowly(ThreadState ts, Object identity, int mode, boolean monitor) {
        if (ts.busy) {
            return;
        }
        ts.busy = true;
        try {
            Tracker.release(ts, identity, mode, monitor);
        } finally {
            ts.busy = false;
        }
    }

    /**
     * Right after {@code monitorenter}, inserted only when waits are tracked (the watchdog): the monitor recorded by
     * {@link #monitorEnter} is now held.
     */
    public static void monitorEntered() {
        acquired();
    }

    private static void acquired() {
        if (!Engine.enabled) {
            return;
        }
        try {
            Tracker.acquired(ThreadState.current());
        } catch (Throwable t) {
            Engine.hookFailed(t);
        }
    }

    /**
     * On entry of a synchronizer's slow path ({@code AbstractQueuedSynchronizer.acquire}, StampedLock's
     * {@code acquireWrite/acquireRead}), inserted only for lock statistics: the lock being acquired is contended.
     */
    public static void contended(Object identity) {
        if (!Engine.enabled) {
            return;
        }
        try {
            WaitState w = ThreadState.current().waiting; // the owner's own fields: plain reads
            if (w.lock == identity && !w.contended && w.lockClass != null) {
                w.contended = true;
                w.lockClass.stat().of(w.mode).contended();
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        }
    }

    /**
     * For a synchronized method whose flag stayed (a retransformed class): the JVM already holds the monitor, so it is
     * recorded, and checked, after the fact.
     */
    public static void syncMethodEntered(Object monitor, int site) {
        if (!Engine.enabled || monitor == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                Tracker.acquire(ts, monitor, monitor, LockType.MONITOR, Mode.EXCLUSIVE, site, Tracker.TAKEN);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    public static void monitorExit(Object monitor) {
        if (!Engine.enabled || monitor == null) {
            return;
        }
        try {
            ThreadState ts = ThreadState.current();
            if (!ts.busy && !Tracker.fastRelease(ts, monitor, Mode.EXCLUSIVE)) {
                releaseSlowly(ts, monitor, Mode.EXCLUSIVE, true);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
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
        try {
            ThreadState ts = ThreadState.current(); // before Engine.enabled: see site()
            if (!Engine.enabled || identity == null) {
                return;
            }
            if (!ts.busy && !Tracker.fastAcquire(ts, identity, view, mode, 0, false)) {
                acquireSlowly(ts, identity, view, TYPES[type], mode, 0, Tracker.BLOCKING);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        }
    }

    /**
     * Before a blocking acquisition returns, inserted only when waits are tracked (the watchdog): the lock recorded by
     * {@link #beforeLock} is now held.
     */
    public static void afterLock() {
        acquired();
    }

    /** A blocking acquisition threw (interrupted, or an error): it is not held after all. */
    public static void lockFailed(Object identity) {
        if (!Engine.enabled || identity == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                Tracker.acquireFailed(ts, identity);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    /** After a try-acquisition (tryLock, timed tryLock, tryReadLock, ...); records it as a trylock if it succeeded. */
    public static void afterTryLock(boolean acquired, Object identity, Object view, int type, int mode) {
        if (!acquired || !Engine.enabled || identity == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                Tracker.acquire(ts, identity, view, TYPES[type], mode, 0, Tracker.TRY);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    /** Before a release of a java.util.concurrent lock. */
    public static void beforeUnlock(Object identity, int mode) {
        if (!Engine.enabled || identity == null) {
            return;
        }
        try {
            ThreadState ts = ThreadState.current();
            if (!ts.busy && !Tracker.fastRelease(ts, identity, mode)) {
                releaseSlowly(ts, identity, mode, false);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        }
    }

    /**
     * After a StampedLock try-acquisition ({@code tryWriteLock}, {@code tryReadLock}, timed variants), whose stamp is 0
     * when it failed.
     */
    public static void afterTryLockStamp(long stamp, Object lock, int mode) {
        afterTryLock(stamp != 0L, lock, lock, STAMPED_LOCK, mode);
    }

    /** Before {@code StampedLock.unlock(long)}, which releases whichever mode the stamp holds. */
    public static void beforeUnlockStamp(Object lock, long stamp) {
        beforeUnlock(lock, Stamps.modeOf(stamp));
    }

    /** After {@code tryUnlockRead()} / {@code tryUnlockWrite()}: a release when it returned true. */
    public static void afterTryUnlock(boolean released, Object identity, int mode) {
        if (released) {
            beforeUnlock(identity, mode);
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
            Engine.hookFailed(t);
        }
    }

    /** Before a return from {@code StampedLock.tryConvertTo*(long)}: the hold changes mode, or is released. */
    public static void afterConvert(long newStamp, Object lock) {
        if (!Engine.enabled || lock == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null && ts.pendingStampLock == lock) {
                ts.pendingStampLock = null;
                Tracker.convertStamp(ts, lock, ts.pendingStamp, newStamp);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    /**
     * On entry of {@code Condition.await*}: the lock identified by {@code identity} (the condition's synchronizer) is
     * released for the wait and taken again after it; {@code timed} for the variants that give up.
     */
    public static void beforeWait(Object identity, boolean timed) {
        beforeWait(identity, timed, 0);
    }

    /** On entry of {@code Condition.signal} / {@code signalAll}. */
    public static void beforeNotify(Object identity) {
        beforeNotify(identity, 0);
    }

    /** Replaces a call to {@code monitor.wait()}. */
    public static void objectWait(Object monitor, int site) throws InterruptedException {
        beforeWait(monitor, false, site);
        try {
            monitor.wait();
        } finally {
            afterWait();
        }
    }

    /** Replaces a call to {@code monitor.wait(millis)}. */
    public static void objectWait(Object monitor, long millis, int site) throws InterruptedException {
        beforeWait(monitor, millis != 0L, site);
        try {
            monitor.wait(millis);
        } finally {
            afterWait();
        }
    }

    /** Replaces a call to {@code monitor.wait(millis, nanos)}. */
    public static void objectWait(Object monitor, long millis, int nanos, int site) throws InterruptedException {
        beforeWait(monitor, millis != 0L || nanos != 0, site);
        try {
            monitor.wait(millis, nanos);
        } finally {
            afterWait();
        }
    }

    /** The wait is over and the monitor held again. */
    private static void afterWait() {
        if (Engine.trackWaits) {
            try {
                WaitState w = ThreadState.current().waiting;
                if (w.givenBack != null) {
                    w.giveBack(null);
                }
            } catch (Throwable t) {
                Engine.hookFailed(t);
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
        if (!Engine.enabled) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                Tracker.threadExit(ts);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    private static void beforeWait(Object identity, boolean timed, int site) {
        if (!Engine.enabled || identity == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                Tracker.beforeWait(ts, identity, timed, site == 0 ? ts.takeSite() : site);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    private static void beforeNotify(Object identity, int site) {
        if (!Engine.enabled || identity == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                Tracker.beforeNotify(ts, identity, site == 0 ? ts.takeSite() : site);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    /**
     * Right after {@code new T(...)} of a lock type, or of a JDK type that locks itself, returned (or a factory of such
     * objects, {@code Collections.synchronizedList}): gives the instance the lock class of its allocation.
     */
    public static void allocated(Object lock, int allocationSite) {
        allocated(null, lock, allocationSite);
    }

    /**
     * Like {@link #allocated(Object, int)} for an object stored straight into a field of {@code owner}: a field lock is
     * classed by its field and by the runtime type of the object that holds it.
     */
    public static void allocatedIn(Object owner, Object lock, int allocationSite) {
        if (owner != null) {
            allocated(owner, lock, allocationSite);
        }
    }

    private static void allocated(Object owner, Object lock, int allocationSite) {
        if (!Engine.enabled || lock == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                if (owner == null) {
                    LockClasses.registerAllocation(lock, allocationSite);
                } else {
                    LockClasses.registerAllocationIn(owner, lock, allocationSite);
                }
                ts.forgetClassOf(lock);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
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
        if (!Engine.enabled || lock == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                LockClasses.storedInField(owner, lock, fieldSite);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
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
        if (type == java.util.concurrent.locks.ReentrantLock.class
                || type == java.util.concurrent.locks.ReentrantReadWriteLock.class
                || type == java.util.concurrent.locks.StampedLock.class) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null && LockClasses.registerConstructed(obj)) {
                ts.forgetClassOf(obj);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    /**
     * Before {@code ManagementFactory.getPlatformMBeanServer} returns: the first time, jlockdep's MXBean is registered
     * on that server (it is created by a JMX agent or a console attaching, not by jlockdep).
     */
    public static void platformMBeanServer(Object server) {
        if (!Engine.enabled || server == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                Management.register(server);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    /** Before {@code ClassLoader.getClassLoadingLock} returns the lock a class is loaded under. */
    public static void classLoadingLock(Object lock) {
        if (!Engine.enabled || lock == null) {
            return;
        }
        ThreadState ts = null;
        try {
            ts = enter();
            if (ts != null) {
                LockClasses.markClassLoadingLock(lock);
            }
        } catch (Throwable t) {
            Engine.hookFailed(t);
        } finally {
            leave(ts);
        }
    }

    /**
     * Right before a call to a lock method: the next acquisition by this thread happens at this code site. It reads no
     * volatile field, not even {@code Engine.enabled} (a hint left while the engine is off is simply never used), and
     * the lock method's {@link #beforeLock} fetches the thread's state before reading one: so when the JIT inlines both
     * into the caller nothing stops it from fetching the state once for the two.
     */
    public static void site(int site) {
        try {
            ThreadState.current().pendingSite = site;
        } catch (Throwable t) {
            Engine.hookFailed(t);
        }
    }
}
