package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.LockClass;

/**
 * Per-thread (and per virtual thread) tracker state: the held-lock stack and its running chain key, the hints hooks
 * leave for the next acquisition, the depth limit's bookkeeping, and what the thread waits for ({@link WaitState}).
 *
 * <p>Who writes and who reads: the owning thread writes every field, with plain stores, and reads them plainly; the
 * hot path (Hooks, Tracker's fast path) touches nothing else, so it pays for no fence. Other threads read only
 * <ul>
 *   <li>{@link #waiting}, through its sequence lock ({@link WaitState#read}): consistent, published by release;</li>
 *   <li>the held-lock stack ({@link #depth}, {@link #held} and their {@link HeldLock}s), racily, by the watchdog and
 *       by dumps of every thread's locks. Safe because ints and references never tear (no {@code long} is read), a
 *       slot never filled has a null class and is skipped, and the watchdog trusts only a thread it has seen in the
 *       same wait for its whole limit: such a thread has not touched its stack since the release that published the
 *       wait, and the watchdog read that release (acquire) before reading the stack. A freed slot keeps its last
 *       lock (see {@link HeldLock}), so a dump that races a release may still list the lock just released;</li>
 *   <li>{@link #deepest}, which {@code Engine.reset} sets to 0 on every thread: a lost reset only delays counting a
 *       thread's depths again (statistics only).</li>
 * </ul>
 * The engine's switches read here ({@code Engine.trackWaits}, {@code lockStat}, {@code maxDepth}) are plain fields set
 * once before the volatile {@code Engine.enabled}, which every hook reads before them.
 */
public final class ThreadState {
    private static final ThreadLocal<ThreadState> CURRENT = new ThreadLocal<ThreadState>() {
        @Override
        protected ThreadState initialValue() {
            ThreadState ts = new ThreadState();
            ThreadRegistry.add(ts); // synchronized: readers of the registry see the state fully constructed
            return ts;
        }
    };

    /**
     * The states of live threads by their id modulo the table's size, so that a hook finds its thread's state in two
     * loads instead of a ThreadLocal's hash probe (every lock operation looks it up twice). A slot may hold another
     * thread's state (ids that collide, a racing claim, a thread that ended without its exit hook): {@link #current}
     * trusts it only when its final {@link #thread} is the current thread, else it asks the ThreadLocal, which is the
     * state's one owner. Written only when a thread's state is first looked up and when the thread ends; at most one
     * dead thread's state per slot stays reachable until the slot is taken again.
     */
    private static final ThreadState[] BY_THREAD_ID = new ThreadState[4096];
    private static final int BY_THREAD_ID_MASK = BY_THREAD_ID.length - 1;

    /** Chain key of an empty stack; lockdep's INITIAL_CHAIN_KEY. */
    static final long INITIAL_CHAIN_KEY = -1L;

    final Thread thread = Thread.currentThread();

    // The held-lock stack: written by the owner on every push and pop, read racily by other threads (see above).
    /** Four slots to begin with (most threads hold fewer locks at once); a deeper stack grows it, off the fast path. */
    HeldLock[] held = newSlots(4);
    /**
     * {@code held[i].instance} for each held lock, side by side in one array, so that the fast path's search for a
     * re-entry reads one cache line instead of one object per held lock.
     */
    Object[] heldInstances = new Object[held.length];
    /**
     * One bit per class of a held lock ({@code 1L << id}, so ids 64 apart share a bit): a class whose bit is clear is
     * certainly not held, so the fast path scans the held classes only when the bit is set.
     */
    long heldClassBits;
    int depth;
    /** Owner only. */
    long chainKey = INITIAL_CHAIN_KEY;

    // Owner only: the re-entry guard and the hints hooks leave for the next acquisition.
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

    // Owner only, but for Engine.reset's write of deepest (see above): the depth limit.
    /** The deepest this thread's stack has been, so the global maximum is only touched when it grows. */
    int deepest;
    /**
     * Acquisitions made past the depth limit and not yet released: they are not recorded, and while there are any the
     * thread is not checked (its stack is incomplete); checking resumes when they have all been released.
     */
    int untracked;
    /** The depth limit was reported for this thread (once per thread). */
    boolean depthReported;

    /** What the thread waits for, kept only when waits are tracked; the part other threads read consistently. */
    final WaitState waiting = new WaitState();

    static ThreadState current() {
        Thread t = Thread.currentThread();
        ThreadState ts = BY_THREAD_ID[(int) t.getId() & BY_THREAD_ID_MASK];
        return ts != null && ts.thread == t ? ts : currentSlowly(t);
    }

    private static ThreadState currentSlowly(Thread t) {
        ThreadState ts = CURRENT.get();
        int slot = (int) t.getId() & BY_THREAD_ID_MASK;
        if (BY_THREAD_ID[slot] == null) {
            BY_THREAD_ID[slot] = ts; // a racing thread may win the slot: either way each finds its own state
        }
        return ts;
    }

    /** The thread is ending: its slot, if it has one, is free for another thread. */
    void forgetThread() {
        int slot = (int) thread.getId() & BY_THREAD_ID_MASK;
        if (BY_THREAD_ID[slot] == this) {
            BY_THREAD_ID[slot] = null;
        }
    }

    void clear() {
        for (int i = 0; i < depth; i++) {
            held[i].clear();
            heldInstances[i] = null;
        }
        depth = 0;
        heldClassBits = 0L;
        chainKey = INITIAL_CHAIN_KEY;
        pendingSite = 0;
        pendingSubclass = 0;
        pendingStampLock = null;
        untracked = 0;
        depthReported = false;
        waiting.clear();
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
            heldInstances = java.util.Arrays.copyOf(heldInstances, grown.length);
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

    /** How many locks the thread holds. From another thread, a racy read (see the class comment). */
    public int depth() {
        return depth;
    }

    /**
     * Entry i of the held-lock stack, 0 the bottom; valid below {@link #depth()}. From another thread, a racy read of
     * a slot its owner may be refilling (see the class comment).
     */
    public HeldLock held(int i) {
        return held[i];
    }

    /**
     * {@code h} is the lock the thread is acquiring and may be blocked on (kept only when waits are tracked). From
     * another thread, false while the thread keeps changing what it waits for.
     */
    public boolean isAcquiring(HeldLock h) {
        WaitState.Seen w = waiting.read();
        // h.instance: a racy read of the held-lock stack from another thread (see the class comment)
        return w != null && h == w.hold && h.instance == w.lock;
    }

    /** {@code h} is the lock a wait of this thread gave back for its duration (kept only when waits are tracked). */
    public boolean isGivenBackForWait(HeldLock h) {
        WaitState.Seen w = waiting.read();
        // h.instance: a racy read of the held-lock stack from another thread (see the class comment)
        return w != null && h.instance != null && h.instance == w.givenBack;
    }
}
