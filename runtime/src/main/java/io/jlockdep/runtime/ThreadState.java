package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.LockClass;

/**
 * Per-thread (and per virtual thread) tracker state: the held-lock stack and its running chain key. Only its own
 * thread touches it, except readers that take a snapshot for a report or a dump.
 */
public final class ThreadState {
    private static final ThreadLocal<ThreadState> CURRENT = new ThreadLocal<ThreadState>() {
        @Override
        protected ThreadState initialValue() {
            ThreadState ts = new ThreadState();
            ThreadRegistry.add(ts);
            return ts;
        }
    };

    /** Chain key of an empty stack; lockdep's INITIAL_CHAIN_KEY. */
    static final long INITIAL_CHAIN_KEY = -1L;

    final Thread thread = Thread.currentThread();
    HeldLock[] held = newSlots(8);
    int depth;
    long chainKey = INITIAL_CHAIN_KEY;
    /** Set while jlockdep itself runs on this thread, so hooks reached from its own code do nothing. */
    boolean busy;
    /** Code site of the lock call about to happen, from {@link Hooks#site}; consumed by the next acquisition. */
    int pendingSite;
    /** A subclass for the next acquisition, from {@code Lockdep.nested}; 0 for none. */
    int pendingSubclass;
    /** Depth of {@code Lockdep.off()} scopes: acquisitions are recorded but neither checked nor depended on. */
    int off;
    /** The stamp a StampedLock.tryConvertTo* call is converting, and its lock. */
    long pendingStamp;
    Object pendingStampLock;
    /** The deepest this thread's stack has been, so the global maximum is only touched when it grows. */
    int deepest;
    /**
     * Acquisitions made past the depth limit and not yet released: they are not recorded, and while there are any the
     * thread is not checked (its stack is incomplete); checking resumes when they have all been released.
     */
    int untracked;
    /** The depth limit was reported for this thread (once per thread). */
    boolean depthReported;

    // What the thread waits for, kept only when waits are tracked (Engine.trackWaits), for the watchdog. Written by
    // the thread itself with plain stores; the watchdog reads them racily and trusts only what stays the same.
    /**
     * A lock this thread is acquiring and may be blocked on: set when it is recorded, cleared by the hook after the
     * acquisition ({@code monitorenter}, a lock method's return). Its class, mode and site are kept with it for a lock
     * that is not pushed (a re-entry that always hangs).
     */
    Object acquiring;
    /** When the acquisition was asked for, and whether it had to wait for another holder ({@code lockstat=true}). */
    long acquiringSince;
    boolean acquiringContended;
    /** The hold recorded for it, or null when none was (a re-entry). */
    HeldLock acquiringHold;
    LockClass acquiringClass;
    int acquiringMode;
    int acquiringSite;
    /** The lock a wait (Object.wait, Condition.await) gave back for its duration, or null. */
    Object releasedForWait;
    /** Blocking acquisitions begun: tells a thread stuck in one from one that has moved on to the next. */
    int acquisitions;

    static ThreadState current() {
        return CURRENT.get();
    }

    void clear() {
        for (int i = 0; i < depth; i++) {
            held[i].clear();
        }
        depth = 0;
        chainKey = INITIAL_CHAIN_KEY;
        pendingSite = 0;
        pendingSubclass = 0;
        pendingStampLock = null;
        untracked = 0;
        depthReported = false;
        acquiring = null;
        acquiringHold = null;
        releasedForWait = null;
    }

    /**
     * An object just given a class of its own may have been locked while it was constructed, and classed then by its
     * type: the held-lock slots that remember it forget it, so its next acquisition looks its class up again.
     */
    void forgetClassOf(Object lock) {
        for (HeldLock slot : held) {
            if (slot.lastLock == lock) {
                slot.lastLock = null;
                slot.lastClass = null;
            }
        }
    }

    int takeSite() {
        int site = pendingSite;
        pendingSite = 0;
        return site;
    }

    HeldLock top() {
        return depth == 0 ? null : held[depth - 1];
    }

    void ensureCapacity(int needed) {
        if (needed > held.length) {
            HeldLock[] grown = newSlots(Math.max(needed, held.length * 2));
            System.arraycopy(held, 0, grown, 0, depth);
            held = grown;
        }
    }

    private static HeldLock[] newSlots(int n) {
        HeldLock[] slots = new HeldLock[n];
        for (int i = 0; i < n; i++) {
            slots[i] = new HeldLock();
        }
        return slots;
    }

    // Read-only views for the slow path in other packages (graph checks, report builders, sinks); the fields stay
    // package-private, so only the hot path in this package changes them.

    public String threadLabel() {
        return Engine.threadLabel(thread);
    }

    public Thread thread() {
        return thread;
    }

    /** How many locks the thread holds. */
    public int depth() {
        return depth;
    }

    /** Entry i of the held-lock stack, 0 the bottom; valid below {@link #depth()}. */
    public HeldLock held(int i) {
        return held[i];
    }

    /** {@code h} is the lock the thread is acquiring and may be blocked on (kept only when waits are tracked). */
    public boolean isAcquiring(HeldLock h) {
        return h == acquiringHold && h.instance == acquiring;
    }

    /** {@code h} is the lock a wait of this thread gave back for its duration (kept only when waits are tracked). */
    public boolean isGivenBackForWait(HeldLock h) {
        return h.instance != null && h.instance == releasedForWait;
    }
}
