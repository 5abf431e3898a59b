package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.LockClass;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one thread waits for, kept only when waits are tracked ({@code Engine.trackWaits}: the watchdog, lock
 * statistics): the lock it is acquiring and may be blocked on, the lock a wait gave back for its duration, and the
 * event (a task, a thread's end...) a wait method waits for. The
 * one part of a thread's state that other threads read while it runs (the watchdog, a dump of every thread's locks).
 *
 * <p>Concurrency: a sequence lock with one writer, the owning thread. Every change runs between two writes of
 * {@link #version}: an odd value, then (release) the next even one. A reader on another thread uses {@link #read},
 * which keeps what it read only if {@code version} was even and the same before and after, so it never mixes two
 * acquisitions (the same lock taken again is a new version). The release write also publishes everything the owner
 * did before it, in particular the held-lock stack as it was when the acquisition began: a thread blocked since then
 * writes nothing more, so the watchdog, having read its version, reads that stack as it is. No field is a
 * {@code long}, so nothing can tear.
 *
 * <p>The owner reads its own fields plainly (it is their only writer). Only the slow path writes here: when waits are
 * tracked, the fast path ({@code Tracker.fastAcquire}) is off.
 */
final class WaitState {
    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(WaitState.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Odd while the owner changes the fields below; other threads read it through VERSION only. */
    private int version;

    // Written by the owner between two version writes; read by it plainly, by others through read().
    /**
     * The lock being acquired: set when the acquisition is recorded, before it can block; cleared by the hook after it
     * got the lock ({@code monitorenter}, a lock method's return) or when it failed.
     */
    Object lock;
    /** The hold recorded for it on the stack, or null when none was (a re-entry). */
    HeldLock hold;
    /** Its class, mode and code site, kept here for a lock that is not pushed (a re-entry that always hangs). */
    LockClass lockClass;
    int mode;
    int site;
    /** The lock a wait (Object.wait, Condition.await) gave back for its duration, or null. */
    Object givenBack;
    /**
     * What a wait for an event (a future's get, a join...) waits on, and its event class; null when the thread is in
     * none. Independent of {@link #lock}: a wait method may take a lock of its own while it waits.
     */
    Object event;
    EventClass eventClass;

    // Owner only (lock statistics), never read by another thread.
    /** When the acquisition began. */
    long since;
    /** It had to wait for another holder ({@code Hooks.contended}). */
    boolean contended;

    /** Owner: a blocking acquisition begins; it also ends any wait that gave a lock back. */
    void begin(Object lock, HeldLock hold, LockClass lockClass, int mode, int site) {
        int v = beginWrite();
        this.lock = lock;
        this.hold = hold;
        this.lockClass = lockClass;
        this.mode = mode;
        this.site = site;
        this.givenBack = null;
        endWrite(v);
    }

    /** Owner: the acquisition got its lock, or failed. */
    void end() {
        int v = beginWrite();
        lock = null;
        hold = null;
        endWrite(v);
    }

    /** Owner: a wait gives {@code lock} back for its duration; null when the wait is over. */
    void giveBack(Object lock) {
        int v = beginWrite();
        givenBack = lock;
        endWrite(v);
    }

    /** Owner: a wait for an event of class {@code c} on {@code target} begins, or (null) ends. */
    void waitFor(Object target, EventClass c) {
        int v = beginWrite();
        event = target;
        eventClass = c;
        endWrite(v);
    }

    /** Owner: the thread ends, or its stack is emptied. */
    void clear() {
        int v = beginWrite();
        lock = null;
        hold = null;
        givenBack = null;
        event = null;
        eventClass = null;
        endWrite(v);
    }

    private int beginWrite() {
        int v = version; // plain: the owner is the only writer
        VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence(); // readers see the odd version before any field changes
        return v + 1;
    }

    private void endWrite(int odd) {
        VERSION.setRelease(this, odd + 1); // publishes the fields, and all the owner wrote before
    }

    /**
     * The fields as one consistent whole, from any thread; null when the owner kept changing them (a thread that is
     * running, not stuck: read it again later).
     */
    Seen read() {
        for (int attempt = 0; attempt < 4; attempt++) {
            int v = (int) VERSION.getAcquire(this);
            if ((v & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            // Racy plain reads: the owner may be changing them right now. Kept only if the version below is still v,
            // in which case no write happened in between and these are the values its release published.
            Seen seen = new Seen(v, lock, hold, lockClass, mode, site, givenBack, event, eventClass);
            VarHandle.acquireFence(); // the reads above complete before the version is read again
            if ((int) VERSION.getOpaque(this) == v) {
                return seen;
            }
        }
        return null;
    }

    /** One consistent reading of a thread's wait; {@link #version} tells one acquisition from the next. */
    static final class Seen {
        final int version;
        final Object lock;
        final HeldLock hold;
        final LockClass lockClass;
        final int mode;
        final int site;
        final Object givenBack;
        final Object event;
        final EventClass eventClass;

        Seen(int version, Object lock, HeldLock hold, LockClass lockClass, int mode, int site, Object givenBack,
             Object event, EventClass eventClass) {
            this.version = version;
            this.lock = lock;
            this.hold = hold;
            this.lockClass = lockClass;
            this.mode = mode;
            this.site = site;
            this.givenBack = givenBack;
            this.event = event;
            this.eventClass = eventClass;
        }
    }
}
