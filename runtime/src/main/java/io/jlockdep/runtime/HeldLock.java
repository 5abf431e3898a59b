package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Sites;

/** One entry of a thread's held-lock stack. Slots are preallocated and reused, so pushing allocates nothing. */
public final class HeldLock {
    /** The object that identifies the lock instance (a ReentrantReadWriteLock's read and write locks share one). */
    Object instance;
    /** The object the program called the lock method on (the monitor, the ReentrantLock, a read or write view). */
    Object view;
    LockClass lockClass;
    int mode;
    boolean trylock;
    /** Code site id of the acquisition, 0 when it happened in uninstrumented code. */
    int site;
    /** Acquire site learnt from a captured stack when {@link #site} is 0. */
    CodeSite learntSite;
    /** Re-entries on top of the first acquisition. */
    int reentries;
    /** When it was acquired, for its hold time ({@code lockstat=true}). */
    long heldSince;
    /** Chain key before this lock was pushed. */
    long prevChainKey;
    /**
     * The last lock that took this slot and its class (see {@code Tracker.classOf}); kept when the slot is freed. At
     * most one lock per slot per thread stays reachable this way.
     */
    Object lastLock;
    LockClass lastClass;
    int lastEpoch;
    /**
     * A chain the fast path found validated for {@link #lastLock} in this slot: the chain key before it
     * ({@code validatedAfter}), its mode, and the key after it. Trusted only while lastLock and lastEpoch hold.
     */
    long validatedAfter;
    long validatedKey;
    int validatedMode = NO_MODE;
    static final int NO_MODE = -1;

    /** Popped off the stack: forget the instance, so a dropped lock can be collected. */
    void release() {
        instance = null;
        view = null;
    }

    void clear() {
        instance = null;
        view = null;
        lockClass = null;
        learntSite = null;
        reentries = 0;
    }

    /**
     * A hold known only from a recording (a merged graph's cycle): its class, mode and where it was taken, no instance.
     */
    public static HeldLock recorded(LockClass c, int mode, CodeSite acquiredAt) {
        HeldLock h = new HeldLock();
        h.lockClass = c;
        h.mode = mode;
        h.learntSite = acquiredAt;
        return h;
    }

    // Read-only views for the slow path in other packages.

    public Object instance() {
        return instance;
    }

    public Object view() {
        return view;
    }

    public LockClass lockClass() {
        return lockClass;
    }

    public int mode() {
        return mode;
    }

    public boolean trylock() {
        return trylock;
    }

    public CodeSite acquireSite() {
        CodeSite s = Sites.codeSite(site);
        return s != null ? s : learntSite;
    }
}
