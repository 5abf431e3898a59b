package io.jlockdep.runtime;

import io.jlockdep.runtime.graph.ChainCache;
import io.jlockdep.runtime.graph.LockGraph;
import io.jlockdep.runtime.graph.Nesting;
import io.jlockdep.runtime.graph.Stats;
import io.jlockdep.runtime.graph.WaitNotify;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.LockStat;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.report.Reports;

/**
 * The per-thread side of an acquisition or release: re-entry, the chain key, the chain-cache fast path, and the
 * held-lock stack. Only a chain never validated before goes to {@link LockGraph}. Runs on the acquiring thread with
 * its {@link ThreadState#busy} flag set. Every acquisition is recorded before it can block, like lockdep's
 * lock_acquire: a monitor before {@code monitorenter}, a java.util.concurrent lock on entry of its lock method.
 */
final class Tracker {
    private Tracker() {
    }

    /** How an acquisition happens: it may block (checked, recorded before it can block), ... */
    static final int BLOCKING = 0;
    /** ... it cannot block (a successful try, a conversion: recorded, not checked), ... */
    static final int TRY = 1;
    /** ... or the JVM already took it (a synchronized method of a retransformed class: checked after the fact). */
    static final int TAKEN = 2;

    /**
     * An acquisition: classified, checked (unless a try), and recorded on the held-lock stack in one step, before the
     * thread can block. When waits are tracked, a blocking one is also marked as being acquired until its hook after
     * the acquisition clears it.
     */
    static void acquire(ThreadState ts, Object identity, Object view, LockType type, int mode, int site, int how) {
        acquire(ts, identity, view, type, mode, site, how, null);
    }

    /**
     * {@link #acquire}, for a monitor that may be an internal part of {@code container} (see
     * {@link LockClasses#ofPart}); null when there is none. A monitor whose object is being constructed on this thread
     * (or is a class whose static initializer runs here, or was created and stored into such a class's static field by it) is
     * recorded as a try: no other thread can hold an object that has not been published yet, so no dependency points
     * into it (later acquisitions still depend on it).
     */
    static void acquire(ThreadState ts, Object identity, Object view, LockType type, int mode, int site, int how,
                        Object container) {
        if (ts.untracked > 0) {
            ts.untracked++;
            return;
        }
        if (site == 0) {
            site = ts.takeSite();
        }
        if (how != TRY && type == LockType.MONITOR && ts.isConstructing(identity)) {
            how = TRY;
        }
        int slot = ts.depth;
        LockClass c = withSubclass(ts, classOf(ts, identity, view, type, site, container));
        if (c == null) {
            return;
        }
        if (c.noteInstance(identity)) {
            // it may have been a gate of a cycle among instances
            Nesting.secondInstance(c);
        }
        HeldLock pushed = acquireClassified(ts, identity, view, c, mode, site, how == TRY || ts.off > 0);
        WaitFor.acquired(ts, identity, c, mode, site, pushed != null && how != TRY && ts.off == 0, slot);
        if (how == BLOCKING && Engine.trackWaits) {
            WaitState w = ts.waiting;
            if (Engine.lockStat) {
                w.since = System.nanoTime();
                w.contended = false;
            }
            w.begin(identity, pushed, c, mode, site); // publishes the wait, and the stack just pushed
        } else if (pushed != null && Engine.lockStat) {
            // a try, or taken by the JVM before the hook: no wait
            pushed.heldSince = System.nanoTime();
            c.stat().of(mode).acquired(0L, false);
        }
    }

    /**
     * The blocking acquisition recorded by {@link #acquire} has got its lock (the hook after {@code monitorenter} or
     * before a lock method's return, inserted only when waits are tracked).
     */
    static void acquired(ThreadState ts) {
        WaitState w = ts.waiting;
        HeldLock h = w.hold;
        if (h != null && Engine.lockStat && h.instance == w.lock) {
            long now = System.nanoTime();
            long wait = now - w.since;
            LockClass c = h.lockClass;
            LockStat.ModeStat stat = c.stat().of(h.mode);
            boolean contended = w.contended;
            if (!contended && c.type() == LockType.MONITOR && wait >= LockStat.MONITOR_CONTENDED_NANOS) {
                contended = true;
                stat.contended();
            }
            stat.acquired(wait, contended);
            h.heldSince = now;
        }
        if (w.lock != null || h != null) {
            w.end();
        }
    }

    /** The blocking acquisition recorded by {@link #acquire} takes its synchronizer's slow path: it is contended. */
    static void contended(ThreadState ts, Object identity) {
        WaitState w = ts.waiting; // the owner's own fields: plain reads
        if (w.lock == identity && !w.contended && w.lockClass != null) {
            w.contended = true;
            w.lockClass.stat().of(w.mode).contended();
        }
    }

    /**
     * The common acquisition, with nothing to look up and nothing to report: the lock is the one that last took this
     * depth's slot (its class is known), it is not held by this thread, no lock of its class is held, and the chain it
     * makes is already validated (or it is a try, or nothing is held). Pushes it and returns true; returns false,
     * having changed nothing, when {@link #acquire} must handle it. Allocation-free; never calls out of jlockdep.
     */
    static boolean fastAcquire(ThreadState ts, Object identity, Object view, int mode, int site, boolean trylock) {
        int depth = ts.depth;
        HeldLock[] held = ts.held;
        if (depth >= held.length || depth >= Engine.maxDepth || ts.untracked != 0 || ts.pendingSubclass != 0
                || ts.off != 0 || ts.unsure || Engine.trackWaits) { // (lock statistics track waits too)
            return false;
        }
        HeldLock slot = held[depth];
        LockClass c = slot.lastClass;
        if (slot.lastLock != view || slot.lastEpoch != LockClasses.epoch() || c.decorator() || !c.validated()
                || c.gateWatches != null) { // (an order of a gated cycle leads to it: its gate checks each taking)
            return false;
        }
        for (int i = depth - 1; i >= 0; i--) {
            HeldLock h = held[i];
            if (h.instance == identity || h.lockClass == c) {
                return false; // a re-entry, or two of one class: both need a closer look
            }
        }
        long prev = ts.chainKey;
        long key;
        if (slot.validatedAfter == prev && slot.validatedMode == mode) {
            // This lock, in this mode, after this very chain, was found validated before in this epoch: the chain
            // cache is not probed again (its key mix and table load sit right before the lock's own atomic
            // instruction, which waits for them). LockGraph.reset bumps the epoch, so no forgotten chain is trusted.
            key = slot.validatedKey;
            LockGraph.countHit();
        } else {
            key = ChainCache.extend(prev, c.id(), mode);
            if (depth > 0 && !trylock) {
                if (!LockGraph.isValidated(key)) {
                    return false;
                }
                slot.validatedAfter = prev;
                slot.validatedMode = mode;
                slot.validatedKey = key;
            }
        }
        fill(ts, slot, identity, view, c, mode, trylock, site != 0 ? site : ts.takeSite(), null, key);
        return true;
    }

    /**
     * The common release: the lock on top of the stack, held once. Pops it and returns true; returns false, having
     * changed nothing, when {@link #release} must handle it.
     */
    static boolean fastRelease(ThreadState ts, Object identity, int mode) {
        int top = ts.depth - 1;
        if (top < 0 || Engine.lockStat || ts.unsure) {
            return false;
        }
        HeldLock h = ts.held[top];
        if (h.instance != identity || h.reentries != 0 || (h.mode != mode && h.lockClass.type().hasModes())) {
            return false;
        }
        ts.depth = top;
        ts.chainKey = h.prevChainKey;
        h.instance = null;
        h.view = null;
        return true;
    }

    /**
     * The class of the lock about to be pushed. The slot it will take remembers the last lock it held and that lock's
     * class, so a lock taken again and again at the same depth (a loop) skips the lookup.
     */
    private static LockClass classOf(ThreadState ts, Object identity, Object view, LockType type, int site,
                                     Object container) {
        HeldLock slot = ts.depth < ts.held.length ? ts.held[ts.depth] : null;
        int epoch = LockClasses.epoch();
        if (slot != null && slot.lastLock == view && slot.lastEpoch == epoch) {
            return slot.lastClass;
        }
        LockClass c = type != LockType.MONITOR ? LockClasses.ofLock(identity, type, ts, site)
                : container != null ? LockClasses.ofPart(identity, container, site)
                : LockClasses.ofMonitor(identity, site);
        if (slot != null && c != null) {
            slot.lastLock = view;
            slot.lastClass = c;
            slot.lastEpoch = epoch;
            slot.validatedMode = HeldLock.NO_MODE; // its validated chain was another lock's
        }
        return c;
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
        if (c.decorator()) {
            int layer = 0;
            for (int i = 0; i < ts.depth; i++) {
                LockClass held = ts.held[i].lockClass;
                if (held.decorator()) {
                    layer++;
                }
            }
            return layer == 0 ? c : LockClasses.subclass(c, Math.min(layer, LockClasses.MAX_SUBCLASS));
        }
        return c;
    }

    /** {@link #acquire} once the lock class is known; returns the new hold, or null when none was pushed. */
    static HeldLock acquireClassified(ThreadState ts, Object identity, Object view, LockClass c, int mode, int site,
                                      boolean trylock) {
        HeldLock same = trylock ? findHeld(ts, identity) : findStillHeld(ts, identity);
        if (same != null && !(trylock && c.type() == LockType.STAMPED_LOCK)) {
            // A successful try on a StampedLock the thread holds is a second, separate hold: pushed below.
            String hang = hangingReentry(ts, same, c.type(), mode);
            if (hang != null) {
                Engine.emit(Reports.recursiveLocking(ts, same, identity, c, mode, site, hang));
                return null;
            }
            if (reenter(ts, same, c.type(), mode)) {
                return null;
            }
        }
        CodeSite learnt = null;
        if (!trylock && same == null) {
            learnt = check(ts, identity, view, c, mode, site);
        }
        return push(ts, identity, view, c, mode, trylock, site, learnt, keyAfter(ts.chainKey, c, mode));
    }

    /**
     * The checks of a blocking acquisition of a lock the thread does not hold: instances of one class nested, then
     * the chain cache, then (for a new chain only) the graph. Returns the acquire site learnt from a captured stack.
     */
    private static CodeSite check(ThreadState ts, Object identity, Object view, LockClass c, int mode, int site) {
        if (ts.depth == 0 || !c.validated()) {
            return null;
        }
        HeldLock sameClass = findHeldOfClass(ts, c);
        long key = keyAfter(ts.chainKey, c, mode);
        boolean known = LockGraph.isValidated(key);
        if ((sameClass != null || !known) && dropStale(ts, identity)) {
            // The records were about to be trusted (a nesting, a new order), and one was of a lock no longer held.
            if (ts.depth == 0) {
                return null;
            }
            sameClass = findHeldOfClass(ts, c);
            key = keyAfter(ts.chainKey, c, mode);
            known = LockGraph.isValidated(key);
        }
        if (sameClass != null) {
            Nesting.check(ts, sameClass, identity, view, c, mode, site);
        }
        CodeSite learnt = known ? null : LockGraph.validate(ts, identity, c, mode, site, key);
        if (c.gateWatches != null) {
            LockGraph.gatedTaking(ts, identity, c);
        }
        return learnt;
    }

    /**
     * Makes the held-lock stack true to what the JVM says the thread holds again, after a hook lost or half applied an
     * event ({@link ThreadState#unsure}): records of locks no longer held are dropped, the acquisition a cut-short hook
     * was about to record is recorded if its lock is held, and every chain key is recomputed from the bottom.
     * {@code inFlight} is the lock of the operation under way, if any (the JVM's count of it is about to change, or has
     * just changed): its record is left to that operation.
     */
    static void repair(ThreadState ts, Object inFlight) {
        ts.unsure = false;
        dropStale(ts, inFlight);
        Object lost = ts.lostLock;
        if (lost != null && lost != inFlight) {
            ts.lostLock = null;
            LockType type = LockType.values()[ts.lostType];
            if (Engine.verifyHolds && findHeldInMode(ts, lost, ts.lostMode) == null
                    && Ownership.holds(type, lost, ts.lostMode)) {
                acquire(ts, lost, ts.lostView, type, ts.lostMode, 0, TRY); // it blocked nothing now: no check
            }
            ts.lostView = null;
        }
        long key = ThreadState.INITIAL_CHAIN_KEY;
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            h.prevChainKey = key;
            key = keyAfter(key, h.lockClass, h.mode);
        }
        ts.chainKey = key;
    }

    /**
     * Drops the records of locks the JVM says this thread no longer holds: releases jlockdep did not see (a release
     * hook that a stack overflow kept from running, while the program's own code released the lock). Returns whether
     * any went. The JVM's count of a ReentrantLock or read/write lock replaces a record's re-entry count. The record of
     * {@code inFlight}, the lock of an operation under way, is left alone. Only when the hooks run around real locks
     * ({@link Config#verifyHolds()}).
     */
    private static boolean dropStale(ThreadState ts, Object inFlight) {
        if (!Engine.verifyHolds) {
            return false;
        }
        boolean dropped = false;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = ts.held[i];
            if (h.instance == inFlight) {
                continue;
            }
            int count = Ownership.holdCount(h.lockClass.type(), h.instance, h.mode);
            if (count > 0) {
                h.reentries = count - 1; // the JVM knows how often: a missed release or undo leaves no wrong count
            } else if (count == 0 || !Ownership.holds(h)) {
                remove(ts, i);
                dropped = true;
            }
        }
        return dropped;
    }

    /**
     * A monitor was released under records of other monitors: code that releases monitors in the order it took them
     * (javac's always does) leaves none above it, unless their releases were missed. Those the JVM says are no longer
     * held are dropped.
     */
    private static void dropStaleMonitorsFrom(ThreadState ts, int from) {
        if (!Engine.verifyHolds) {
            return;
        }
        for (int i = ts.depth - 1; i >= from; i--) {
            HeldLock h = ts.held[i];
            if (h.lockClass.type() == LockType.MONITOR && !Ownership.holds(h)) {
                remove(ts, i);
            }
        }
    }

    /**
     * The thread's record of this lock, before a blocking acquisition: a record of a java.util.concurrent lock the JVM
     * says it no longer holds is dropped first, so that a missed release never turns a new acquisition into a
     * re-entry. (Asking about a monitor costs a call into the VM on every re-entry: monitors are checked when a new
     * order is about to be trusted, and when one is released under another.)
     */
    private static HeldLock findStillHeld(ThreadState ts, Object identity) {
        HeldLock same = findHeld(ts, identity);
        while (same != null && Engine.verifyHolds && same.lockClass.type() != LockType.MONITOR
                && !Ownership.holds(same)) {
            remove(ts, indexOf(ts, same));
            same = findHeld(ts, identity);
        }
        return same;
    }

    private static int indexOf(ThreadState ts, HeldLock h) {
        for (int i = ts.depth - 1; i >= 0; i--) {
            if (ts.held[i] == h) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A blocking acquisition recorded by {@link #acquire} may not have happened: the lock method threw (an interrupt,
     * an error). Undoes the record, as a release would; where the JVM knows how often the thread holds the lock, the
     * record follows its count (the JDK's lock paths finish an acquisition they started at the edge of the stack, then
     * throw the overflow: the thread has the lock after all).
     */
    static void acquireFailed(ThreadState ts, Object identity, Object view, LockType type, int mode) {
        if (ts.waiting.lock == identity) {
            ts.waiting.end();
        }
        if (findHeldInMode(ts, identity, mode) == null) {
            if (Engine.verifyHolds && Ownership.holdCount(type, identity, mode) > 0) {
                acquire(ts, identity, view, type, mode, 0, TRY); // its record was lost with a cut-short hook
            }
            return;
        }
        release(ts, identity, mode, false);
    }

    /**
     * Release. {@code mode} selects the read or the write hold of a read/write lock; a negative mode matches any.
     * A monitor exit that matches nothing is reported as a bad unlock balance.
     */
    static void release(ThreadState ts, Object identity, int mode, boolean monitor) {
        HeldLock[] held = ts.held;
        for (int i = ts.depth - 1; i >= 0; i--) {
            HeldLock h = held[i];
            if (h.instance == identity && (mode < 0 || h.mode == mode || !h.lockClass.type().hasModes())) {
                int count = monitor || !Engine.verifyHolds ? -1
                        : Ownership.holdCount(h.lockClass.type(), identity, h.mode);
                if (count > 0) {
                    // after the operation, the JVM's count is the truth (an earlier event may have been lost)
                    h.reentries = count - 1;
                } else if (h.reentries > 0 && count < 0) {
                    h.reentries--;
                } else {
                    remove(ts, i);
                    if (monitor && i < ts.depth) {
                        dropStaleMonitorsFrom(ts, i);
                    }
                }
                return;
            }
        }
        if (ts.untracked > 0) {
            ts.untracked--; // one of the acquisitions made past the depth limit
            return;
        }
        // A monitor the thread really holds was taken where jlockdep did not see it (before a dynamic attach, in
        // code left uninstrumented, in an acquisition whose hook was dropped): only one it does not hold is a bug.
        if (monitor && !Thread.holdsLock(identity)) {
            Engine.emit(Reports.badUnlock(ts, identity));
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
            acquire(ts, lock, lock, LockType.STAMPED_LOCK, newMode, ts.takeSite(), TRY);
        }
    }

    /**
     * Before a wait on a held lock (Object.wait, Condition.await): the wait releases it, whatever its re-entry count,
     * and takes it again afterwards, above every other lock the thread holds. Both happen here, before the thread can
     * block: the re-acquisition is checked like any acquisition.
     */
    static void beforeWait(ThreadState ts, Object identity, long timeoutNanos, int site) {
        if (ts.untracked > 0) {
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
            ts.waiting.giveBack(identity);
        }
        Object view = h.view;
        remove(ts, at);
        if (ts.waits.waitDepth == 0) {
            // A condition inside a wait method the wait-for check follows (a queue's take, a latch's await) is the
            // synchronizer's own: that check reports such a wait, by the event it is for.
            WaitNotify.waiting(ts, identity, c, mode, timeoutNanos, site);
        }
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
        if (at >= 0 && ts.untracked == 0) {
            WaitNotify.notifying(ts, identity, ts.held[at], site);
        }
    }

    /** The thread is ending: locks it still holds will never be released. */
    static void threadExit(ThreadState ts) {
        dropStale(ts, null); // every monitor the thread's frames took has been released by now
        if (ts.depth > 0 && ts.untracked == 0) {
            Engine.emit(Reports.stillHeld(ts));
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

    private static HeldLock push(ThreadState ts, Object identity, Object view, LockClass c, int mode,
                                 boolean trylock, int site, CodeSite learnt, long key) {
        int depth = ts.depth;
        if (depth >= Engine.maxDepth) {
            ts.untracked = 1;
            if (!ts.depthReported) {
                ts.depthReported = true;
                Engine.emit(Reports.depthExceeded(ts, c, mode, site, Engine.maxDepth));
            }
            return null;
        }
        if (depth == ts.held.length) {
            ts.ensureCapacity(depth + 1);
        }
        HeldLock h = ts.held[depth];
        fill(ts, h, identity, view, c, mode, trylock, site, learnt, key);
        return h;
    }

    /** Fills the slot on top of the stack and makes it held: the one way a lock gets pushed. */
    private static void fill(ThreadState ts, HeldLock h, Object identity, Object view, LockClass c, int mode,
                             boolean trylock, int site, CodeSite learnt, long key) {
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
        int depth = ++ts.depth;
        if (depth > ts.deepest) {
            ts.deepest = depth;
            Stats.depthReached(depth);
        }
    }

    /**
     * The chain key once a lock of class c is pushed in this mode. Unvalidated classes leave it as it is: they are
     * invisible to the chain cache and the graph.
     */
    static long keyAfter(long key, LockClass c, int mode) {
        return c.validated() ? ChainCache.extend(key, c.id(), mode) : key;
    }

    /** Removes entry i; when it is not on top, the keys of the locks above are recomputed (lockdep's replay). */
    private static void remove(ThreadState ts, int i) {
        HeldLock[] held = ts.held;
        HeldLock removed = held[i];
        if (Engine.lockStat && removed.heldSince != 0L) {
            removed.lockClass.stat().of(removed.mode).released(System.nanoTime() - removed.heldSince);
            removed.heldSince = 0L;
        }
        // The slots move down with no call between the first move and the new depth: a stack overflow cannot leave one
        // slot twice on the stack. The keys above are recomputed after; if that is cut short the hook marks the state
        // unsure and the keys are recomputed before their next use.
        int top = ts.depth - 1;
        for (int j = i; j < top; j++) {
            held[j] = held[j + 1];
        }
        held[top] = removed;
        ts.depth = top;
        removed.instance = null;
        removed.view = null;
        long key = removed.prevChainKey;
        for (int j = i; j < top; j++) {
            HeldLock moved = held[j];
            moved.prevChainKey = key;
            key = keyAfter(key, moved.lockClass, moved.mode);
        }
        ts.chainKey = key;
    }
}
