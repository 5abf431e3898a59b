package io.jlockdep.runtime;

/**
 * The per-thread side of an acquisition or release: re-entry, the chain key, the chain-cache fast path, and the
 * held-lock stack. Only a chain never validated before goes to {@link LockGraph}. Runs on the acquiring thread with
 * its {@link ThreadState#busy} flag set.
 */
final class Tracker {
    private Tracker() {
    }

    /** A monitor enter or a successful try-acquisition: check (unless trylock) and record in one step. */
    static void acquire(ThreadState ts, Object identity, Object view, LockType type, int mode, int site,
                        boolean trylock) {
        if (ts.overflowed) {
            return;
        }
        if (site == 0) {
            site = ts.takeSite();
        }
        LockClass c = type == LockType.MONITOR ? LockClasses.ofMonitor(identity, site)
                : LockClasses.ofLock(view, identity, type, ts, site);
        c = withSubclass(ts, c);
        if (c != null) {
            acquireClassified(ts, identity, view, c, mode, site, trylock || ts.off > 0);
        }
    }

    /**
     * A subclass asked for with {@code Lockdep.nested} applies to the next acquisition only; a JDK stream lock nested in
     * other stream locks gets the subclass of its layer (see {@link LockClass#decorator}).
     */
    private static LockClass withSubclass(ThreadState ts, LockClass c) {
        if (c == null) {
            return null;
        }
        int subclass = ts.pendingSubclass;
        if (subclass != 0) {
            ts.pendingSubclass = 0;
            return LockClasses.subclass(c, subclass);
        }
        if (c.decorator) {
            int layer = 0;
            for (int i = 0; i < ts.depth; i++) {
                LockClass held = ts.held[i].lockClass;
                if (held.decorator) {
                    layer++;
                }
            }
            return layer == 0 ? c : LockClasses.subclass(c, Math.min(layer, LockClasses.MAX_SUBCLASS));
        }
        return c;
    }

    /** {@link #acquire} once the lock class is known. */
    static void acquireClassified(ThreadState ts, Object identity, Object view, LockClass c, int mode, int site,
                                  boolean trylock) {
        HeldLock same = findHeld(ts, identity);
        if (same != null && !(trylock && c.type == LockType.STAMPED_LOCK)) {
            // A successful try on a StampedLock the thread holds is a second, separate hold: pushed below.
            String hang = hangingReentry(ts, same, c.type, mode);
            if (hang != null) {
                Reports.recursiveLocking(ts, same, identity, c, mode, site, hang);
                return;
            }
            if (reenter(ts, same, c.type, mode)) {
                return;
            }
        }
        CodeSite learnt = null;
        if (!trylock && same == null) {
            learnt = check(ts, identity, view, c, mode, site);
        }
        push(ts, identity, view, c, mode, trylock, site, learnt, keyAfter(ts.chainKey, c, mode));
    }

    /**
     * The checks of a blocking acquisition of a lock the thread does not hold: instances of one class nested, then
     * the chain cache, then (for a new chain only) the graph. Returns the acquire site learnt from a captured stack.
     */
    private static CodeSite check(ThreadState ts, Object identity, Object view, LockClass c, int mode, int site) {
        if (ts.depth == 0 || !c.validated) {
            return null;
        }
        HeldLock sameClass = findHeldOfClass(ts, c);
        if (sameClass != null) {
            Nesting.check(ts, sameClass, identity, view, c, mode, site);
        }
        long key = keyAfter(ts.chainKey, c, mode);
        return LockGraph.isValidated(key) ? null : LockGraph.validate(ts, identity, c, mode, site, key);
    }

    /** Before a blocking java.util.concurrent acquisition: check now, record in {@link #afterBlockingAcquire}. */
    static void beforeBlockingAcquire(ThreadState ts, Object identity, Object view, LockType type, int mode) {
        ts.pendingInstance = null;
        if (ts.overflowed) {
            return;
        }
        int site = ts.takeSite();
        LockClass c = withSubclass(ts, LockClasses.ofLock(view, identity, type, ts, site));
        if (c == null) {
            return;
        }
        HeldLock same = findHeld(ts, identity);
        CodeSite learnt = null;
        if (same != null) {
            String hang = hangingReentry(ts, same, type, mode);
            if (hang != null) {
                // Still recorded as pending: the watchdog then sees the thread waiting for itself.
                Reports.recursiveLocking(ts, same, identity, c, mode, site, hang);
            }
        } else if (ts.off == 0) {
            learnt = check(ts, identity, view, c, mode, site);
        }
        if (Engine.trackWaits) {
            ts.acquisitions++;
            ts.releasedForWait = null;
        }
        ts.pendingView = view;
        ts.pendingInstance = identity;
        ts.pendingClass = c;
        ts.pendingMode = mode;
        ts.pendingAcquireSite = site;
        ts.pendingLearntSite = learnt;
    }

    static void afterBlockingAcquire(ThreadState ts, Object identity) {
        if (ts.pendingInstance != identity) {
            return;
        }
        ts.pendingInstance = null;
        LockClass c = ts.pendingClass;
        int mode = ts.pendingMode;
        HeldLock same = findHeld(ts, identity);
        if (same != null && (hangingReentry(ts, same, c.type, mode) != null || reenter(ts, same, c.type, mode))) {
            return;
        }
        push(ts, identity, ts.pendingView, c, mode, ts.off > 0, ts.pendingAcquireSite, ts.pendingLearntSite,
                keyAfter(ts.chainKey, c, mode));
    }

    /**
     * Release. {@code mode} selects the read or the write hold of a read/write lock; a negative mode matches any.
     * A monitor exit that matches nothing is reported as a bad unlock balance.
     */
    static void release(ThreadState ts, Object identity, int mode, boolean monitor) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == identity && (mode < 0 || h.mode == mode || !h.lockClass.type.hasModes())) {
                if (h.reentries > 0) {
                    h.reentries--;
                } else {
                    remove(ts, i);
                }
                return;
            }
        }
        // A monitor the thread really holds was taken where jlockdep did not see it (before a dynamic attach, in
        // code left uninstrumented, in an acquisition whose hook was dropped): only one it does not hold is a bug.
        if (monitor && !ts.overflowed && !Thread.holdsLock(identity)) {
            Reports.badUnlock(ts, identity);
        }
    }

    /**
     * A successful {@code StampedLock.tryConvertTo*}: the old hold (if the stamp held one) ends and the new one (if
     * the new stamp holds one) begins, as a try-acquisition: conversion never blocks.
     */
    static void convertStamp(ThreadState ts, Object lock, long oldStamp, long newStamp) {
        if (newStamp == 0L) {
            return;
        }
        int oldMode = Stamps.heldMode(oldStamp);
        int newMode = Stamps.heldMode(newStamp);
        if (oldMode == newMode) {
            return;
        }
        if (oldMode != Stamps.NOT_HELD) {
            release(ts, lock, oldMode, false);
        }
        if (newMode != Stamps.NOT_HELD) {
            acquire(ts, lock, lock, LockType.STAMPED_LOCK, newMode, ts.takeSite(), true);
        }
    }

    /**
     * Before a wait on a held lock (Object.wait, Condition.await): the wait releases it, whatever its re-entry count,
     * and takes it again afterwards, above every other lock the thread holds. Both happen here, before the thread can
     * block: the re-acquisition is checked like any acquisition.
     */
    static void beforeWait(ThreadState ts, Object identity, boolean timed, int site) {
        if (ts.overflowed) {
            return;
        }
        int at = indexOfHeld(ts, identity);
        if (at < 0) {
            return; // not held as far as jlockdep knows: the wait throws, or the lock was taken before tracking began
        }
        HeldLock h = ts.held[at];
        LockClass c = h.lockClass;
        int mode = h.mode;
        int reentries = h.reentries;
        if (Engine.trackWaits) {
            ts.releasedForWait = identity;
        }
        Object view = h.view;
        remove(ts, at);
        WaitNotify.waiting(ts, identity, c, mode, timed, site);
        CodeSite learnt = check(ts, identity, view, c, mode, site);
        push(ts, identity, view, c, mode, false, site, learnt, keyAfter(ts.chainKey, c, mode));
        HeldLock top = ts.top();
        if (top != null && top.instance == identity) {
            top.reentries = reentries;
        }
    }

    /** Before Object.notify/notifyAll or Condition.signal/signalAll on a held lock. */
    static void beforeNotify(ThreadState ts, Object identity, int site) {
        int at = indexOfHeld(ts, identity);
        if (at >= 0 && !ts.overflowed) {
            WaitNotify.notifying(ts, identity, ts.held[at], site);
        }
    }

    /** The thread is ending: locks it still holds will never be released. */
    static void threadExit(ThreadState ts) {
        if (ts.depth > 0 && !ts.overflowed) {
            Reports.stillHeld(ts);
        }
        ts.clear();
    }

    private static int indexOfHeld(ThreadState ts, Object identity) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            if (ts.held[i].instance == identity) {
                return i;
            }
        }
        return -1;
    }

    /** The nearest held lock of class c (another instance: the caller has ruled out re-entry). */
    private static HeldLock findHeldOfClass(ThreadState ts, LockClass c) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.lockClass == c) {
                return h;
            }
        }
        return null;
    }

    private static HeldLock findHeld(ThreadState ts, Object identity) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == identity) {
                return h;
            }
        }
        return null;
    }

    /**
     * The thread already holds this instance. Returns true when the acquisition was absorbed as a re-entry;
     * false when it must be pushed as a new hold (a read/write lock's read hold under its own write hold).
     */
    private static boolean reenter(ThreadState ts, HeldLock held, LockType type, int mode) {
        if (type == LockType.READ_WRITE_LOCK && held.mode != mode) {
            HeldLock sameMode = findHeldInMode(ts, held.instance, mode);
            if (sameMode == null) {
                return false;
            }
            sameMode.reentries++;
            return true;
        }
        held.reentries++;
        return true;
    }

    /**
     * Why re-acquiring a lock this thread holds always blocks, or null when it is a plain re-entry. Such an acquisition
     * is reported and never recorded as a second hold.
     */
    private static String hangingReentry(ThreadState ts, HeldLock held, LockType type, int mode) {
        if (type == LockType.STAMPED_LOCK) {
            return "StampedLock is not reentrant: this thread already holds it";
        }
        if (type == LockType.READ_WRITE_LOCK && mode == Mode.EXCLUSIVE
                && findHeldInMode(ts, held.instance, Mode.EXCLUSIVE) == null) {
            return "upgrading a read lock to a write lock always blocks: the write lock waits for this thread's own"
                    + " read hold";
        }
        return null;
    }

    private static HeldLock findHeldInMode(ThreadState ts, Object identity, int mode) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == identity && h.mode == mode) {
                return h;
            }
        }
        return null;
    }

    private static void push(ThreadState ts, Object identity, Object view, LockClass c, int mode, boolean trylock, int site,
                             CodeSite learnt, long key) {
        int limit = Engine.config().maxDepth();
        if (ts.depth >= limit) {
            ts.overflowed = true;
            Reports.depthExceeded(ts, c, mode, site, limit);
            return;
        }
        ts.ensureCapacity(ts.depth + 1);
        HeldLock h = ts.held[ts.depth];
        h.instance = identity;
        h.view = view;
        h.lockClass = c;
        h.mode = mode;
        h.trylock = trylock;
        h.site = site;
        h.learntSite = learnt;
        h.reentries = 0;
        h.prevChainKey = ts.chainKey;
        ts.chainKey = key;
        if (++ts.depth > Stats.MAX_DEPTH.get()) {
            Stats.depthReached(ts.depth);
        }
    }

    /**
     * The chain key once a lock of class c is pushed in this mode. Unvalidated classes leave it as it is: they are
     * invisible to the chain cache and the graph.
     */
    static long keyAfter(long key, LockClass c, int mode) {
        return c.validated ? ChainCache.extend(key, c.id, mode) : key;
    }

    /** Removes entry i; when it is not on top, the keys of the locks above are recomputed (lockdep's replay). */
    private static void remove(ThreadState ts, int i) {
        HeldLock[] held = ts.held;
        HeldLock removed = held[i];
        long key = removed.prevChainKey;
        for (int j = i; j < ts.depth - 1; j++) {
            HeldLock moved = held[j + 1];
            held[j] = moved;
            moved.prevChainKey = key;
            key = keyAfter(key, moved.lockClass, moved.mode);
        }
        ts.depth--;
        removed.clear();
        held[ts.depth] = removed;
        ts.chainKey = key;
    }
}
