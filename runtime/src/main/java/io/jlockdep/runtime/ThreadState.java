package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.LockClass;
import java.util.Arrays;

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
 *       slot seen half-filled has a null class and is skipped, and the watchdog trusts only a thread it has seen in
 *       the same wait for its whole limit: such a thread has not touched its stack since the release that published
 *       the wait, and the watchdog read that release (acquire) before reading the stack;</li>
 *   <li>{@link #deepest}, which {@code Engine.reset} sets to 0 on every thread: a lost reset only delays counting a
 *       thread's depths again (statistics only).</li>
 * </ul>
 * The engine's switches read here ({@code Engine.trackWaits}, {@code lockStat}, {@code maxDepth}) are plain fields set
 * once before the volatile {@code Engine.enabled}, which every hook reads first.
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

    /** Held-lock slots a new thread starts with. */
    static final int INITIAL_SLOTS = 4;

    /** Chain key of an empty stack; lockdep's INITIAL_CHAIN_KEY. */
    static final long INITIAL_CHAIN_KEY = -1L;

    final Thread thread = Thread.currentThread();

    // The held-lock stack: written by the owner on every push and pop, read racily by other threads (see above).
    // Starts small, as most threads never hold more than a few locks at once (each slot is an object of its own, kept
    // for the thread's life); a push past the end doubles it.
    HeldLock[] held = newSlots(INITIAL_SLOTS);
    int depth;
    /** Owner only. */
    long chainKey = INITIAL_CHAIN_KEY;

    // Owner only: the re-entry guard and the hints hooks leave for the next acquisition.
    /** Set while jlockdep itself runs on this thread, so hooks reached from its own code do nothing. */
    boolean busy;
    /**
     * A hook on this thread was cut short (a stack overflow or out-of-memory error inside it): an event may be lost or
     * half applied. The fast paths step aside, and the next slow path repairs the stack against what the JVM says the
     * thread holds ({@code Tracker.repair}).
     */
    boolean unsure;
    /**
     * The acquisition a cut-short hook was about to record (its lock, view, {@link LockType} ordinal and mode), or
     * null: the program took that lock all the same, so the repair records it if the JVM says it is held.
     */
    Object lostLock;
    Object lostView;
    int lostType;
    int lostMode;
    /** Code site of the lock call about to happen, from {@link Hooks#site}; consumed by the next acquisition. */
    int pendingSite;
    /**
     * The allocation site, and the type, of the object whose constructor is about to run, from {@link Hooks#allocating};
     * 0 and null for none. Taken by that object's first construction mark or report ({@link #takeAllocation}).
     */
    int pendingAllocation;
    Class<?> pendingAllocationType;
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
    /** The thread's side of the wait-for check: its contexts, the locks it took in them, the wait it is in. */
    final WaitForState waits = new WaitForState(thread);

    static ThreadState current() {
        return CURRENT.get();
    }

    /**
     * The objects no other thread can lock yet, innermost last: those whose constructors run on this thread (only
     * classes that lock themselves report it), and, while a class's static initializer runs here, the class itself and
     * the new objects that initializer stored into the class's static fields (JLS 12.4.2: another thread that needs the class
     * waits until its initialization ends). {@link #privateTo} tags an initializer's entries with its class (null for a
     * constructor's). A constructor that throws leaves its object here until an enclosing constructor returns or newer
     * entries push it out: at most {@link #MAX_CONSTRUCTING} are kept. Both arrays are allocated on the first entry
     * and grow to that limit: most threads never construct an object whose class locks itself.
     */
    private Object[] constructing;
    private Class<?>[] privateTo;
    /** For a constructor's entry: the allocation site hinted for its object ({@link #pendingAllocation}), or 0. */
    private int[] allocatedAt;
    private int constructingDepth;
    private static final int MAX_CONSTRUCTING = 16;
    private static final int INITIAL_CONSTRUCTING = 4;

    /** Past the {@code super(...)} call of a constructor of {@code obj}'s class. */
    void constructing(Object obj) {
        int site = takeAllocation(obj);
        mark(obj, null, true);
        allocatedAt[constructingDepth - 1] = site;
    }

    /**
     * The hinted allocation site of {@code obj}, or 0; the hint goes either way, so that it can never be applied to a
     * later object: the object it was meant for is of exactly its type, and constructed next (an object of another
     * type constructed first means the hint was left by a constructor that threw, or that this one was not hinted).
     */
    private int takeAllocation(Object obj) {
        int site = pendingAllocationType == obj.getClass() ? pendingAllocation : 0;
        pendingAllocation = 0;
        pendingAllocationType = null;
        return site;
    }

    /** The static initializer of {@code c} starts on this thread. */
    void initializing(Class<?> c) {
        mark(c, c, true);
    }

    /**
     * The static initializer of {@code c} stores {@code value} into a static field of {@code c}. Never pushes an older
     * entry out (an initializer may store hundreds of constants): when there is no room, the value is not marked.
     */
    void initializerStored(Object value, Class<?> c) {
        if (constructingDepth < MAX_CONSTRUCTING && !isConstructing(value)) {
            mark(value, c, false);
        }
    }

    private void mark(Object obj, Class<?> initializer, boolean pushOut) {
        int n = constructingDepth;
        if (n == MAX_CONSTRUCTING) {
            if (!pushOut) {
                return;
            }
            System.arraycopy(constructing, 1, constructing, 0, n - 1); // the oldest goes: it cannot block anything
            System.arraycopy(privateTo, 1, privateTo, 0, n - 1);
            System.arraycopy(allocatedAt, 1, allocatedAt, 0, n - 1);
            n--;
        } else if (constructing == null || n == constructing.length) {
            int size = constructing == null ? INITIAL_CONSTRUCTING : Math.min(2 * n, MAX_CONSTRUCTING);
            constructing = constructing == null ? new Object[size] : Arrays.copyOf(constructing, size);
            privateTo = privateTo == null ? new Class<?>[size] : Arrays.copyOf(privateTo, size);
            allocatedAt = allocatedAt == null ? new int[size] : Arrays.copyOf(allocatedAt, size);
        }
        constructing[n] = obj;
        privateTo[n] = initializer;
        allocatedAt[n] = 0;
        constructingDepth = n + 1;
    }

    /**
     * A constructor of {@code obj} returns: it is no longer being constructed, nor is anything started inside it.
     * Returns the allocation site hinted for it (kept in its construction mark, or still pending), or 0.
     */
    int constructed(Object obj) {
        int pending = takeAllocation(obj);
        for (int i = constructingDepth - 1; i >= 0; i--) {
            if (constructing[i] == obj) {
                int site = allocatedAt[i];
                unmarkFrom(i);
                return site != 0 ? site : pending;
            }
        }
        return pending;
    }

    /**
     * The static initializer of {@code c} ends (returns or throws): its entries go, with everything marked after the
     * oldest of them (all of it started inside the initializer), even when the class's own entry was pushed out.
     */
    void initialized(Class<?> c) {
        for (int i = 0; i < constructingDepth; i++) {
            if (privateTo[i] == c) {
                unmarkFrom(i);
                return;
            }
        }
    }

    private void unmarkFrom(int i) {
        for (int j = i; j < constructingDepth; j++) {
            constructing[j] = null;
            privateTo[j] = null;
        }
        constructingDepth = i;
    }

    /**
     * No other thread can lock the object yet: its constructor runs on this thread (as far as its class reports it), or
     * it is a class whose static initializer runs here or was created and stored into such a class's static field by it.
     */
    boolean isConstructing(Object obj) {
        for (int i = constructingDepth - 1; i >= 0; i--) {
            if (constructing[i] == obj) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        unmarkFrom(0);
        for (int i = 0; i < depth; i++) {
            held[i].clear();
        }
        depth = 0;
        chainKey = INITIAL_CHAIN_KEY;
        pendingSite = 0;
        pendingAllocation = 0;
        pendingAllocationType = null;
        pendingSubclass = 0;
        pendingStampLock = null;
        untracked = 0;
        unsure = false;
        lostLock = null;
        lostView = null;
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
