package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.SeenHolds;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.report.Reports;
import java.util.HashSet;
import java.util.Set;

/**
 * Waiting while holding (beyond lockdep). A thread that waits on X while holding Y sleeps with Y held; if the code that
 * wakes it notifies X while holding Y too, the notifier blocks on Y and the waiter is never woken (nested monitor
 * lockout). No lock-order cycle exists, so lockdep cannot see it. Per lock class X, jlockdep records the classes held
 * at each wait on X and at each notify of X, with the first stack of each and the instances seen, and reports a class
 * found on both sides when the two sides meet ({@link SeenHolds}): by default the very lock of the waiter held by a
 * notifier in another thread, since threads that each hold their own lock of one class are fine and a thread never
 * wakes itself (it notified before it waits: a pool's shutdown, then its awaitTermination). A timed wait counts too: real code waits in a loop ({@code while (!ready) lock.wait(100)}), which never gives Y back
 * and is as stuck as an untimed wait; the report says the wait has a timeout, and how long it is.
 *
 * <p>The common case (nothing else held, or a hold already recorded) reads volatile arrays and takes no lock.
 */
public final class WaitNotify {
    /** The timeout of a wait that has none. */
    public static final long UNTIMED = -1L;

    private static final Object LOCK = new Object();
    /** (X id, Y id) pairs reported. */
    private static final Set<Long> REPORTED = new HashSet<>();

    private WaitNotify() {
    }

    /** One class held while waiting on, or notifying, a lock class. */
    public static final class Record {
        public final LockClass held;
        public final int heldMode;
        public final LockClass lock;
        public final int lockMode;
        public final int site;
        public final Trace trace;
        /** The wait's timeout in nanoseconds, {@link #UNTIMED} for an untimed wait (and for a notify). */
        public final long timeoutNanos;
        /** The instances of {@code held} seen on this side, and the threads that held them. */
        final SeenHolds seen;

        Record(LockClass held, int heldMode, LockClass lock, int lockMode, int site, Trace trace, long timeoutNanos,
               SeenHolds seen) {
            this.held = held;
            this.heldMode = heldMode;
            this.lock = lock;
            this.lockMode = lockMode;
            this.site = site;
            this.trace = trace;
            this.timeoutNanos = timeoutNanos;
            this.seen = seen;
        }

        /** The same record (its first stack), one more instance seen. */
        Record with(Object instance, long thread) {
            return new Record(held, heldMode, lock, lockMode, site, trace, timeoutNanos,
                    SeenHolds.of(seen, instance, thread));
        }
    }

    /**
     * The thread is about to wait on {@code instance} (already taken off its held stack), for at most
     * {@code timeoutNanos} ({@link #UNTIMED}: until it is woken).
     */
    public static void waiting(ThreadState ts, Object instance, LockClass x, int mode, long timeoutNanos, int site) {
        long me = ts.thread().getId();
        Trace trace = null;
        for (int i = 0; i < ts.depth(); i++) {
            HeldLock y = ts.held(i);
            Record old = find(x.waiters, y.lockClass());
            if (old != null && old.seen.has(y.instance(), me)) {
                continue;
            }
            if (old == null && trace == null) {
                trace = Trace.capture(ts.threadLabel());
            }
            Record waited;
            Record notified;
            synchronized (LOCK) {
                old = find(x.waiters, y.lockClass());
                if (old != null && old.seen.has(y.instance(), me)) {
                    continue;
                }
                waited = old != null ? old.with(y.instance(), me)
                        : new Record(y.lockClass(), y.mode(), x, mode, site, trace, timeoutNanos,
                                SeenHolds.of(null, y.instance(), me));
                x.waiters = replace(x.waiters, waited);
                notified = find(x.notifiers, y.lockClass());
                if (notified == null || !notified.seen.meets(y.instance(), me)
                        || !REPORTED.add(pair(x, y.lockClass()))) {
                    continue;
                }
            }
            Engine.emit(Reports.waitNotify(ts, true, y, instance, waited, notified));
        }
    }

    /** The thread is about to notify waiters of the held lock {@code notifiedHold}. */
    public static void notifying(ThreadState ts, Object instance, HeldLock notifiedHold, int site) {
        LockClass x = notifiedHold.lockClass();
        long me = ts.thread().getId();
        Trace trace = null;
        for (int i = 0; i < ts.depth(); i++) {
            HeldLock y = ts.held(i);
            if (y.instance() == instance) {
                continue;
            }
            Record old = find(x.notifiers, y.lockClass());
            if (old != null && old.seen.has(y.instance(), me)) {
                continue;
            }
            if (old == null && trace == null) {
                trace = Trace.capture(ts.threadLabel());
            }
            Record notified;
            Record waited;
            synchronized (LOCK) {
                old = find(x.notifiers, y.lockClass());
                if (old != null && old.seen.has(y.instance(), me)) {
                    continue;
                }
                notified = old != null ? old.with(y.instance(), me)
                        : new Record(y.lockClass(), y.mode(), x, notifiedHold.mode(), site, trace, UNTIMED,
                                SeenHolds.of(null, y.instance(), me));
                x.notifiers = replace(x.notifiers, notified);
                waited = find(x.waiters, y.lockClass());
                if (waited == null || !waited.seen.meets(y.instance(), me)
                        || !REPORTED.add(pair(x, y.lockClass()))) {
                    continue;
                }
            }
            Engine.emit(Reports.waitNotify(ts, false, y, instance, waited, notified));
        }
    }

    public static void reset() {
        synchronized (LOCK) {
            REPORTED.clear();
            for (LockClass c : LockClasses.all()) {
                c.waiters = LockClass.NO_RECORDS;
                c.notifiers = LockClass.NO_RECORDS;
            }
        }
    }

    private static Record find(Record[] records, LockClass held) {
        for (Record r : records) {
            if (r.held == held) {
                return r;
            }
        }
        return null;
    }

    /** The records with {@code r} in place of the one for its class, or added. */
    private static Record[] replace(Record[] records, Record r) {
        for (int i = 0; i < records.length; i++) {
            if (records[i].held == r.held) {
                Record[] copy = records.clone();
                copy[i] = r;
                return copy;
            }
        }
        Record[] grown = java.util.Arrays.copyOf(records, records.length + 1);
        grown[records.length] = r;
        return grown;
    }

    private static long pair(LockClass x, LockClass y) {
        return ((long) x.id() << 32) | y.id();
    }
}
