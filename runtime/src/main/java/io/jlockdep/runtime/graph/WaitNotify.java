package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.report.Reports;
import java.util.HashSet;
import java.util.Set;

/**
 * Waiting while holding (beyond lockdep). A thread that waits on X while holding Y sleeps with Y held; if the code that
 * wakes it notifies X while holding Y too, the notifier blocks on Y and the waiter is never woken (nested monitor
 * lockout). No lock-order cycle exists, so lockdep cannot see it. Per lock class X, jlockdep records the classes held
 * at each wait on X and at each notify of X, with the first stack of each, and reports a class found on both sides. A
 * timed wait counts too: real code waits in a loop ({@code while (!ready) lock.wait(100)}), which never gives Y back
 * and is as stuck as an untimed wait; the report says the wait has a timeout, and how long it is.
 *
 * <p>The common case (nothing else held, or a pair already recorded) reads two volatile arrays and takes no lock.
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

        Record(LockClass held, int heldMode, LockClass lock, int lockMode, int site, Trace trace, long timeoutNanos) {
            this.held = held;
            this.heldMode = heldMode;
            this.lock = lock;
            this.lockMode = lockMode;
            this.site = site;
            this.trace = trace;
            this.timeoutNanos = timeoutNanos;
        }
    }

    /**
     * The thread is about to wait on {@code instance} (already taken off its held stack), for at most
     * {@code timeoutNanos} ({@link #UNTIMED}: until it is woken).
     */
    public static void waiting(ThreadState ts, Object instance, LockClass x, int mode, long timeoutNanos, int site) {
        Trace trace = null;
        for (int i = 0; i < ts.depth(); i++) {
            HeldLock y = ts.held(i);
            if (find(x.waiters, y.lockClass()) != null) {
                continue;
            }
            if (trace == null) {
                trace = Trace.capture(ts.threadLabel());
            }
            Record waited = new Record(y.lockClass(), y.mode(), x, mode, site, trace, timeoutNanos);
            Record notified;
            synchronized (LOCK) {
                if (find(x.waiters, y.lockClass()) != null) {
                    continue;
                }
                x.waiters = append(x.waiters, waited);
                notified = find(x.notifiers, y.lockClass());
                if (notified == null || !REPORTED.add(pair(x, y.lockClass()))) {
                    continue;
                }
            }
            Engine.emit(Reports.waitNotify(ts, true, y, instance, waited, notified));
        }
    }

    /** The thread is about to notify waiters of the held lock {@code notifiedHold}. */
    public static void notifying(ThreadState ts, Object instance, HeldLock notifiedHold, int site) {
        LockClass x = notifiedHold.lockClass();
        Trace trace = null;
        for (int i = 0; i < ts.depth(); i++) {
            HeldLock y = ts.held(i);
            if (y.instance() == instance || find(x.notifiers, y.lockClass()) != null) {
                continue;
            }
            if (trace == null) {
                trace = Trace.capture(ts.threadLabel());
            }
            Record notified = new Record(y.lockClass(), y.mode(), x, notifiedHold.mode(), site, trace, UNTIMED);
            Record waited;
            synchronized (LOCK) {
                if (find(x.notifiers, y.lockClass()) != null) {
                    continue;
                }
                x.notifiers = append(x.notifiers, notified);
                waited = find(x.waiters, y.lockClass());
                if (waited == null || !REPORTED.add(pair(x, y.lockClass()))) {
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

    private static Record[] append(Record[] records, Record r) {
        Record[] grown = java.util.Arrays.copyOf(records, records.length + 1);
        grown[records.length] = r;
        return grown;
    }

    private static long pair(LockClass x, LockClass y) {
        return ((long) x.id() << 32) | y.id();
    }
}
