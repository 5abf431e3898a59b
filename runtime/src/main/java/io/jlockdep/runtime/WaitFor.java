package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.EventClass.Need;
import io.jlockdep.runtime.lockclass.EventClass.Waiter;
import io.jlockdep.runtime.lockclass.EventClasses;
import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.SeenHolds;
import io.jlockdep.runtime.lockclass.Sites;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.report.Reports;
import java.util.HashSet;
import java.util.Set;

/**
 * Waits that are not locks (beyond lockdep, after the kernel's DEPT). A thread that waits for an event (a task's
 * completion, a latch, a semaphore's permits, a queue's element or room, a thread's end) while holding a lock sleeps
 * with the lock held; if whatever produces that event must take the same lock first, the producer blocks on it and
 * the event never comes. No lock-order cycle exists, so lockdep cannot see it.
 *
 * <p>Per event class E, jlockdep records the locks held at each wait for E that had not happened yet when the
 * wait began ({@link Waiter}), and the locks a producer of E needed before producing it ({@link Need}): those it
 * held when it produced E, those it took in the context that led to E (all of a task's run, for the task's completion;
 * for an event the code produces itself, what it took since its task began or since it last returned from a wait). A
 * lock on both sides (the same instance; any of the class under {@code nesting=strict}) is reported, from whichever
 * side comes second, before the thread can block: a run that never hung shows the deadlock it could have had. Two read
 * holds of one lock do not conflict.
 *
 * <p>A task waiting for another task handed to its own bounded pool is reported too: if every worker waits so, no
 * worker is left to run the tasks they wait for.
 *
 * <p>Runs on the hooks' slow path only, with the thread marked busy. The common case (nothing held, a record already
 * there) reads volatile arrays and takes no lock.
 *
 * <p>A task's needs are buffered. A task (a service's request, a benchmark's whole run) takes many lock instances,
 * and a record remembers only the latest few, so publishing each new instance at once would take this class's lock
 * and allocate a record on nearly every acquisition. Instead, in a task, a need whose record exists (the first need
 * of a lock class, or a stronger mode, is published at once, with its stack) goes to the thread's buffer
 * ({@link WaitForState#pending}) and is published, one record per event class and lock class, when the thread's
 * contexts change (a task begins, ends, whether it returns or throws, or sets its result) or the buffer is full. No
 * conflict is lost or delayed:
 * <ul>
 *   <li>a waiter already there: each buffered acquisition reads the waiters (without the lock) and, if one holds
 *       that lock, publishes and reports at once, before the task can block on it;</li>
 *   <li>a waiter that comes while the task runs: besides the records, it reads the buffers not yet published of
 *       the threads working towards its event ({@link #buffered}), under the lock. A lock it holds that a running task
 *       took (and gave back, or it could not hold it) is in that task's buffer or in the records.</li>
 * </ul>
 * A thread's own code (no task) publishes at once as before: a thread's end has no hook to publish at.
 */
final class WaitFor {
    private static final Object LOCK = new Object();
    /** (event class id, lock class id) pairs reported, and (pool id, event class id) pairs. */
    private static final Set<Long> REPORTED = new HashSet<>();
    private static final Set<Long> REPORTED_POOLS = new HashSet<>();

    private WaitFor() {
    }

    // ------------------------------------------------------------------------------------------------ the waiter

    /**
     * The thread is about to wait (the outermost wait method) on {@code target} for an event of {@code type}. Nothing is
     * recorded when the object is not followed, when the event is already there (a done task, a latch at zero...) or
     * when the wait's time limit is zero: such a wait returns at once and proves nothing.
     */
    static void waitBegin(ThreadState ts, Object target, EventType type, int permits, long timeoutMillis) {
        WaitForState ws = ts.waits;
        if (ws.waitDepth++ > 0) {
            return;
        }
        EventClasses.Source source = EventClasses.sourceOf(target);
        EventClass e = source == null ? null : source.of(type);
        if (e == null || timeoutMillis == 0 || ts.off > 0 || ts.untracked > 0 || alreadyThere(target, type, permits)) {
            return;
        }
        if (Engine.trackWaits) {
            ts.waiting.waitFor(target, e);
        }
        Trace trace = null;
        java.util.List<ThreadState> threads = null;
        long me = threadId(ts);
        if (ws.pool != null && (e.type() == EventType.TASK || e.type() == EventType.FUTURE)) {
            // a task handed to this worker's own pool that no worker has started, while every worker is busy
            EventClasses.Pool own = EventClasses.poolOf(ws.pool);
            if (own != null && own.notStarted(target, source) && own.allWorkersBusy()) {
                trace = poolWait(ts, own, e, target, timeoutMillis);
            }
        }
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            LockClass c = h.lockClass;
            if (!c.validated() || givenBackByTheWait(h.instance, target, type)) {
                continue;
            }
            Waiter old = find(e.waiters, c);
            boolean newStack = old == null || !old.covers(h.mode, timeoutMillis);
            if (!newStack && old.has(h.instance, me)) {
                continue;
            }
            if (newStack && trace == null) {
                trace = Trace.capture(ts.threadLabel());
            }
            Waiter w;
            Need conflicting;
            synchronized (LOCK) {
                old = find(e.waiters, c);
                newStack = old == null || !old.covers(h.mode, timeoutMillis);
                if (!newStack && old.has(h.instance, me)) {
                    continue;
                }
                w = newStack ? new Waiter(c, h.mode, h.acquireSite(), trace, timeoutMillis, old, h.instance, me)
                        : old.with(h.instance, me);
                e.waiters = replace(e.waiters, w);
                conflicting = find(e.needs, c);
                if (conflicting != null && !conflicting.meets(h.instance, me)) {
                    if (threads == null) {
                        threads = ThreadRegistry.live();
                    }
                    if (buffered(threads, e, c, h.instance)) { // a task still running took it: published now
                        conflicting = conflicting.with(h.instance, 0L);
                        e.needs = replace(e.needs, conflicting);
                    }
                }
                if (conflicting == null || !conflicts(h.mode, conflicting.mode()) || !conflicting.meets(h.instance, me)
                        || !REPORTED.add(pair(e.id(), c.id()))) {
                    continue;
                }
            }
            Engine.emit(Reports.waitFor(ts, e, w, conflicting, true, h, target));
        }
    }

    /**
     * Whether the wait itself gives the held lock back: a platform thread's {@code join} waits on the joined thread's
     * own monitor ({@code synchronized (this) { while (isAlive()) wait(); }}), so a hold of that monitor (a
     * synchronized method of a Thread subclass that joins its own thread) is released while the joiner sleeps.
     */
    private static boolean givenBackByTheWait(Object held, Object target, EventType type) {
        return type == EventType.THREAD_END && held == target && target instanceof Thread
                && !Engine.isVirtual((Thread) target);
    }

    /** The outermost wait method returned (or threw): what the thread produces next, it works towards from here. */
    static void waitEnd(ThreadState ts) {
        WaitForState ws = ts.waits;
        if (ws.waitDepth == 0 || --ws.waitDepth > 0) {
            return;
        }
        if (Engine.trackWaits && ts.waiting.event != null) {
            ts.waiting.waitFor(null, null);
        }
        ws.cut();
        forgetLastLocks(ts);
    }

    /** Whether the event is there already, so the wait cannot block: asked of the synchronizer itself. */
    private static boolean alreadyThere(Object target, EventType type, int permits) {
        switch (type) {
            case TASK:
            case FUTURE:
                return target instanceof java.util.concurrent.Future
                        && ((java.util.concurrent.Future<?>) target).isDone();
            case LATCH:
                return ((java.util.concurrent.CountDownLatch) target).getCount() == 0;
            case SEMAPHORE:
                return ((java.util.concurrent.Semaphore) target).availablePermits() >= permits;
            case QUEUE_ELEMENT:
                return !((java.util.Collection<?>) target).isEmpty();
            case QUEUE_SPACE:
                return ((java.util.concurrent.BlockingQueue<?>) target).remainingCapacity() > 0;
            case THREAD_END:
                return !((Thread) target).isAlive();
            case BARRIER: { // this arrival trips the barrier
                java.util.concurrent.CyclicBarrier b = (java.util.concurrent.CyclicBarrier) target;
                return b.getNumberWaiting() >= b.getParties() - 1;
            }
            case PHASER: { // permits: the phase awaited, or -1 for an arrival that then waits (the last one advances)
                java.util.concurrent.Phaser p = (java.util.concurrent.Phaser) target;
                return permits >= 0 ? p.getPhase() != permits : p.getUnarrivedParties() <= 1;
            }
            default:
                return false;
        }
    }

    /**
     * A worker of a bounded pool waits for a task handed to the same pool that no worker has started, while all of
     * them are busy: reported once per pool class and task class. Returns the stack it captured.
     */
    private static Trace poolWait(ThreadState ts, EventClasses.Pool pool, EventClass task, Object target,
                                  long timeoutMillis) {
        int bound = pool.bound();
        if (bound == 0) {
            return null;
        }
        synchronized (LOCK) {
            if (!REPORTED_POOLS.add(pair(pool.id(), task.id()))) {
                return null;
            }
        }
        Trace trace = Trace.capture(ts.threadLabel());
        Engine.emit(Reports.poolStarvation(ts, pool, bound, task, target, trace, timeoutMillis));
        return trace;
    }

    // ------------------------------------------------------------------------------------------------ the producer

    /**
     * The thread produces an event of {@code type} on {@code target} (counts down, releases, puts, completes): the
     * locks it holds and those it took since its innermost context began (or it last returned from a wait) were
     * needed for it.
     */
    static void produced(ThreadState ts, Object target, EventType type) {
        EventClass e = EventClasses.of(target, type);
        if (e == null || ts.off > 0 || ts.untracked > 0) {
            return;
        }
        WaitForState ws = ts.waits;
        Trace trace = null;
        // What the producer runs, for a task; a thread's own code needs no name (the stack shows it).
        String context = ws.frames > 1 ? contextName(ws, ws.frames - 1) : null;
        for (int i = 0; i < ts.depth; i++) {
            HeldLock h = ts.held[i];
            trace = need(ts, e, h.lockClass, h.instance, h.mode, Need.How.HELD, h.acquireSite(), context, trace, h,
                    target);
        }
        for (int i = ws.innermostStart(); i < ws.entries; i++) {
            if (!holds(ts, ws.entryInstance[i])) { // a lock still held was counted above
                trace = need(ts, e, ws.entryClass[i], ws.entryInstance[i], ws.entryMode[i], Need.How.TAKEN_BEFORE,
                        Sites.codeSite(ws.entrySite[i]), context, trace, null, target);
            }
        }
    }

    private static boolean holds(ThreadState ts, Object instance) {
        for (int i = 0; i < ts.depth; i++) {
            if (ts.held[i].instance == instance) {
                return true;
            }
        }
        return false;
    }

    /**
     * A blocking acquisition (from the tracker's slow path): the lock is needed before the event of every context the
     * thread is in, and is remembered for the events the thread produces itself. {@code blocking} is false for a try,
     * a re-entry or an acquisition under {@code Lockdep.off()}: it only makes the next acquisition at that depth take
     * the slow path again, so that none is missed.
     *
     * <p>In a task, a need whose record is there already (one more instance of a lock class the event's producers
     * needed before) is buffered rather than published at once: see the class comment.
     */
    static void acquired(ThreadState ts, Object instance, LockClass c, int mode, int site, boolean blocking,
                         int slot) {
        WaitForState ws = ts.waits;
        if (!blocking || !c.validated()) {
            if (slot < ts.held.length) {
                ts.held[slot].lastLock = null;
            }
            return;
        }
        ws.addEntry(c, instance, mode, site);
        Trace trace = null;
        boolean buffered = false;
        for (int f = ws.frames - 1; f >= 0; f--) {
            EventClass k = ws.frameClass(f);
            if (k == null) {
                continue;
            }
            Need known = ws.frames > 1 ? find(k.needs, c) : null; // a thread's own code publishes at once
            if (known != null && known.covers(mode)) {
                buffered |= !known.has(instance, 0L);
            } else {
                trace = need(ts, k, c, instance, mode, Need.How.TAKEN_IN_TASK, Sites.codeSite(site),
                        contextName(ws, f), trace, null, instance);
            }
        }
        if (!buffered) {
            return;
        }
        if (!ws.buffer(c, instance)) {
            publish(ts);
            ws.buffer(c, instance);
        }
        // A waiter already there holding this lock is reported now, before the thread can block on it. The buffer's
        // count (volatile) was written above, and each waiters array is read (volatile) after it; a waiter writes
        // its array (volatile) before it reads the count (see buffered): of two such threads at least one sees the
        // other's write, so a waiter registering at this moment is reported by one side or the other.
        for (int f = ws.frames - 1; f >= 0; f--) {
            EventClass k = ws.frameClass(f);
            Waiter w = k == null ? null : find(k.waiters, c);
            if (w != null && conflicts(w.mode(), mode) && w.meets(instance, 0L)) {
                trace = need(ts, k, c, instance, mode, Need.How.TAKEN_IN_TASK, Sites.codeSite(site),
                        contextName(ws, f), trace, null, instance);
            }
        }
    }

    /**
     * Publishes the thread's buffered needs to the records of the event classes of its contexts, one new record per
     * event class and lock class, and empties the buffer. A record gone since (the between-cases reset) takes none.
     * Conflicts were checked when each need was buffered (waiters there then) and are checked by each waiter that
     * registers later (it reads buffers not yet published), so none is looked for here. The new records are built
     * before taking the lock, which then only swaps them in (rebuilding one whose record changed meanwhile): many
     * threads publish, and the lock is the waiters' too.
     */
    private static void publish(ThreadState ts) {
        WaitForState ws = ts.waits;
        int n = ws.pending;
        if (n == 0) {
            return;
        }
        LockClass[] classes = ws.pendingClass;
        Object[] instances = ws.pendingInstance;
        java.util.List<Batch> batches = new java.util.ArrayList<>();
        for (int f = ws.frames - 1; f >= 0; f--) {
            EventClass k = ws.frameClass(f);
            if (k == null || inFramesAbove(ws, f, k)) {
                continue; // a task run inside another of its class (a caller-runs pool): one batch per event class
            }
            for (int i = 0; i < n; i++) {
                if (firstOf(classes, classes[i], i) == i) { // each class once, with its first entry
                    Batch b = Batch.of(k, classes[i], classes, instances, n);
                    if (b != null) {
                        batches.add(b);
                    }
                }
            }
        }
        synchronized (LOCK) {
            for (Batch b : batches) {
                b.swapIn();
            }
            ws.pending = 0; // under the lock: a waiter reading buffers sees it whole or empty
        }
        ws.clearPending();
    }

    /** One event class's new record of one lock class: the buffered instances it had not seen. */
    private static final class Batch {
        final EventClass e;
        final Need old;
        final Object[] added;
        final int count;
        final Need updated;

        private Batch(EventClass e, Need old, Object[] added, int count) {
            this.e = e;
            this.old = old;
            this.added = added;
            this.count = count;
            this.updated = old.with(added, count, 0L);
        }

        /**
         * The batch of the entries of class {@code c} among the first {@code n} for {@code e}, or null when its record
         * is gone or has seen them all. Only the latest a record keeps are taken, oldest first.
         */
        static Batch of(EventClass e, LockClass c, LockClass[] classes, Object[] instances, int n) {
            Need old = find(e.needs, c);
            if (old == null) {
                return null;
            }
            Object[] added = new Object[Math.min(n, SeenHolds.MAX)];
            int count = 0;
            for (int j = n - 1; j >= 0 && count < added.length; j--) {
                if (classes[j] == c && !old.has(instances[j], 0L)) {
                    added[count++] = instances[j];
                }
            }
            if (count == 0) {
                return null;
            }
            java.util.Collections.reverse(java.util.Arrays.asList(added).subList(0, count));
            return new Batch(e, old, added, count);
        }

        /**
         * Called holding {@link #LOCK}. A record changed meanwhile (another thread published) takes only the
         * instances it has not seen: a record keeps a few instances, and a repeated one would push another out.
         */
        void swapIn() {
            Need now = find(e.needs, old.lock());
            if (now == null) {
                return;
            }
            if (now == old) {
                e.needs = replace(e.needs, updated);
                return;
            }
            Object[] fresh = new Object[count];
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (!now.has(added[i], 0L)) {
                    fresh[kept++] = added[i];
                }
            }
            if (kept > 0) {
                e.needs = replace(e.needs, now.with(fresh, kept, 0L));
            }
        }
    }

    /** Whether a context after {@code f} (handled before it by publish) works towards {@code k} too. */
    private static boolean inFramesAbove(WaitForState ws, int f, EventClass k) {
        for (int g = f + 1; g < ws.frames; g++) {
            if (ws.frameClass(g) == k) {
                return true;
            }
        }
        return false;
    }

    private static int firstOf(LockClass[] classes, LockClass c, int before) {
        for (int i = 0; i < before; i++) {
            if (classes[i] == c) {
                return i;
            }
        }
        return before;
    }

    /**
     * Whether another thread (or this one) has buffered, and not yet published, a need of {@code instance} (any lock
     * of class {@code c} under {@code nesting=strict}) for an event of class {@code e}: a task still running that took
     * the lock. Called holding {@link #LOCK}, after registering the waiter: a buffer is only emptied under it, and
     * the contexts of a thread change only while its buffer is empty, so a non-empty buffer and its contexts hold
     * still while they are read. Each buffer's count is read (volatile) first: it makes the entries written before it,
     * and the contexts they were taken in, visible. A lock this waiter holds was given back by the task that took it
     * before this thread could take it, after the task buffered it: that entry is seen.
     */
    private static boolean buffered(java.util.List<ThreadState> threads, EventClass e, LockClass c, Object instance) {
        boolean anyInstance = Engine.config().strictNesting();
        for (ThreadState other : threads) {
            WaitForState ws = other.waits;
            int n = ws.pending;
            if (n == 0 || !ws.worksTowards(e)) {
                continue;
            }
            LockClass[] classes = ws.pendingClass;
            Object[] instances = ws.pendingInstance;
            for (int i = 0; i < n; i++) {
                if (anyInstance ? classes[i] == c : instances[i] == instance) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Records that producing {@code e} needed lock {@code instance} of class {@code c}, unless known, and reports a
     * waiter holding it. {@code trace} is the current stack if already captured (else null); returns it, captured if
     * it had to be.
     */
    private static Trace need(ThreadState ts, EventClass e, LockClass c, Object instance, int mode, Need.How how,
                              CodeSite takenAt, String context, Trace trace, HeldLock hold, Object target) {
        if (!c.validated()) {
            return trace;
        }
        // A lock held at the event is the producer's own: it does not conflict with its own wait for the event.
        long thread = how == Need.How.HELD ? threadId(ts) : 0L;
        Need old = find(e.needs, c);
        boolean newStack = old == null || !old.covers(mode);
        if (!newStack && old.has(instance, thread)) {
            return trace;
        }
        if (newStack && trace == null) {
            trace = Trace.capture(ts.threadLabel());
        }
        Need n;
        Waiter conflicting;
        synchronized (LOCK) {
            old = find(e.needs, c);
            newStack = old == null || !old.covers(mode);
            if (!newStack && old.has(instance, thread)) {
                return trace;
            }
            n = newStack ? new Need(c, mode, how, trace, takenAt, context, old, instance, thread)
                    : old.with(instance, thread);
            e.needs = replace(e.needs, n);
            conflicting = find(e.waiters, c);
            if (conflicting == null || !conflicts(conflicting.mode(), mode) || !conflicting.meets(instance, thread)
                    || !REPORTED.add(pair(e.id(), c.id()))) {
                return trace;
            }
        }
        Engine.emit(Reports.waitFor(ts, e, conflicting, n, false, hold, target));
        return trace;
    }

    // ------------------------------------------------------------------------------------------------ contexts

    /** The thread starts running a task ({@code FutureTask.run}, a {@code CompletableFuture}'s async task). */
    static void taskBegin(ThreadState ts, Object task) {
        EventClasses.Source source = EventClasses.sourceOf(task);
        if (source != null) {
            source.started();
        }
        publish(ts);
        ts.waits.push(task, source);
        forgetLastLocks(ts);
    }

    static void taskEnd(ThreadState ts, Object task) {
        publish(ts);
        if (ts.waits.pop(task)) {
            forgetLastLocks(ts);
        }
    }

    /** The task's result is set ({@code FutureTask.set}, a completion): what its thread does next is not needed for it. */
    static void taskDone(ThreadState ts, Object future) {
        publish(ts);
        ts.waits.done(future, EventClasses.sourceOf(future));
    }

    /**
     * The thread's held-lock slots forget which lock they last held, so the first acquisition at each depth takes the
     * slow path and is seen here; the fast path, which only re-takes the lock a slot last held, is left as it is.
     */
    private static void forgetLastLocks(ThreadState ts) {
        HeldLock[] held = ts.held;
        for (HeldLock h : held) {
            h.lastLock = null;
        }
    }

    private static String contextName(WaitForState ws, int f) {
        EventClasses.Source s = ws.frameSource[f];
        return s == null ? null : s.primary().name();
    }

    // ------------------------------------------------------------------------------------------------ records

    /** Whether a read hold and a need (or two holds) of one lock class can block each other: unless both read. */
    private static boolean conflicts(int heldMode, int neededMode) {
        return heldMode == Mode.EXCLUSIVE || neededMode == Mode.EXCLUSIVE;
    }

    /** The record of lock class {@code c}, or null. */
    private static <R extends EventClass.Record> R find(R[] records, LockClass c) {
        for (R r : records) {
            if (r.lock() == c) {
                return r;
            }
        }
        return null;
    }

    /** The records with {@code r} in place of the one of its lock class, or appended. */
    private static <R extends EventClass.Record> R[] replace(R[] records, R r) {
        for (int i = 0; i < records.length; i++) {
            if (records[i].lock() == r.lock()) {
                R[] copy = records.clone();
                copy[i] = r;
                return copy;
            }
        }
        R[] grown = java.util.Arrays.copyOf(records, records.length + 1);
        grown[records.length] = r;
        return grown;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; this code runs on 17
    private static long threadId(ThreadState ts) {
        return ts.thread.getId();
    }

    private static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    static void reset() {
        synchronized (LOCK) {
            REPORTED.clear();
            REPORTED_POOLS.clear();
        }
        EventClasses.resetRecords();
    }
}
