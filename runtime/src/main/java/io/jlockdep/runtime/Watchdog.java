package io.jlockdep.runtime;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.EventClasses;
import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Sites;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds real deadlocks ({@code watchdog=<ms>}): threads that have been waiting, for longer than the limit, each for a
 * lock another of them holds, or for a task or a thread's end that another of them must produce. Unlike
 * {@code ThreadMXBean.findDeadlockedThreads} it sees what jlockdep tracks: read holds of a
 * {@code ReentrantReadWriteLock}, {@code StampedLock} holds, readers queued behind a writer, virtual threads, a
 * {@code Future.get} whose task is blocked on a lock the waiter holds, and a task of a single-thread pool waiting for
 * a task queued behind it. A wait on a latch, a semaphore or a queue names no producer, so it is not part of a cycle:
 * its producer may just be late (the wait-for report comes before, from the orders alone).
 *
 * <p>A daemon thread samples every thread's wait (what {@code Engine.trackWaits} makes threads record, in their
 * {@link WaitState}) a few times per limit. Each reading is consistent (the wait state's sequence lock); a wait counts
 * only once it has been seen unchanged (same version) across samples spanning the limit, and only threads stuck that
 * way take part in a cycle. Their held-lock stacks are read racily, but a thread stuck that long has not changed its
 * stack since the wait was published, and the reading of that publication came first (see {@link ThreadState}).
 */
final class Watchdog implements Runnable {
    private static Watchdog running;

    private final long limitNanos;
    private final long periodMillis;
    private final int limitMillis;
    /** The wait each thread was in at the last sample, with when it was first seen. */
    private Map<ThreadState, Wait> waits = new IdentityHashMap<>();
    private final Set<String> reported = new HashSet<>();
    private boolean failed;

    private Watchdog(int limitMillis) {
        this.limitMillis = limitMillis;
        this.limitNanos = limitMillis * 1_000_000L;
        this.periodMillis = Math.max(10L, Math.min(1000L, limitMillis / 4L));
    }

    /** Starts the watchdog thread once per JVM; a daemon, so it never keeps the JVM alive. */
    static synchronized void start(int limitMillis) {
        if (running != null) {
            return;
        }
        running = new Watchdog(limitMillis);
        Thread t = new Thread(running, "jlockdep-watchdog");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        Engine.enterAgentCode();
        while (true) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (Engine.enabled) {
                try {
                    sample(System.nanoTime());
                } catch (Throwable t) {
                    if (!failed && !(t instanceof VirtualMachineError)) {
                        failed = true;
                        Engine.message("watchdog: internal error, some deadlocks may go unreported: " + t);
                    }
                }
            }
        }
    }

    /** One round: record every thread's wait, then look for a cycle among the threads stuck for the whole limit. */
    void sample(long now) {
        Map<ThreadState, Wait> current = new IdentityHashMap<>();
        List<Wait> stuck = new ArrayList<>();
        for (ThreadState ts : ThreadRegistry.live()) {
            Wait w = Wait.of(ts, waits.get(ts), now);
            if (w != null) {
                current.put(ts, w);
                if (now - w.since >= limitNanos) {
                    stuck.add(w);
                }
            }
        }
        waits = current;
        if (stuck.size() > 0) {
            for (List<Blocked> cycle : cycles(stuck)) {
                report(cycle);
            }
        }
    }

    /** Each cycle of "waits for a lock held (or queued for) by" among the stuck threads, once. */
    private static List<List<Blocked>> cycles(List<Wait> stuck) {
        Map<Wait, List<Blocked>> edges = new IdentityHashMap<>();
        for (Wait w : stuck) {
            List<Blocked> out = new ArrayList<>(2);
            for (Wait other : stuck) {
                String why = blockedBy(w, other);
                if (why != null) {
                    out.add(new Blocked(w, other, why));
                }
            }
            edges.put(w, out);
        }
        List<List<Blocked>> found = new ArrayList<>();
        Set<Wait> done = java.util.Collections.newSetFromMap(new IdentityHashMap<Wait, Boolean>());
        for (Wait start : stuck) {
            List<Blocked> path = new ArrayList<>();
            findCycle(start, edges, path, done, found);
            done.add(start);
        }
        return found;
    }

    /** Depth-first from {@code at}; adds the first cycle it closes to {@code found}. */
    private static boolean findCycle(Wait at, Map<Wait, List<Blocked>> edges, List<Blocked> path, Set<Wait> done,
                                     List<List<Blocked>> found) {
        for (Blocked b : edges.get(at)) {
            if (done.contains(b.by)) {
                continue; // explored from an earlier start: any cycle through it was found then
            }
            int from = indexOnPath(path, at, b.by);
            if (from >= 0) {
                List<Blocked> cycle = new ArrayList<>(path.subList(from, path.size()));
                cycle.add(b);
                found.add(cycle);
                return true;
            }
            path.add(b);
            boolean closed = findCycle(b.by, edges, path, done, found);
            path.remove(path.size() - 1);
            if (closed) {
                return true;
            }
        }
        return false;
    }

    /** Where the path leaves node n: its index, path.size() for the current node, -1 when n is not on the path. */
    private static int indexOnPath(List<Blocked> path, Wait at, Wait n) {
        if (n == at) {
            return path.size();
        }
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i).waiter == n) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Why {@code w} cannot proceed until {@code other} does, or null: {@code other} holds the lock in a mode that
     * conflicts with the one wanted, or (for a reader) waits for it as a writer, which blocks new readers.
     */
    private static String blockedBy(Wait w, Wait other) {
        if (w.lock == null) {
            return producedBy(w, other);
        }
        ThreadState h = other.ts;
        boolean self = h == w.ts;
        // Racy reads of another thread's stack: it is stuck, so unchanged since its wait was published, and Wait.of
        // read that publication (see ThreadState). The array and depth are read once; a half-seen slot has no class.
        HeldLock[] held = h.held;
        int depth = Math.min(h.depth, held.length);
        for (int i = 0; i < depth; i++) {
            HeldLock e = held[i];
            LockClass c = e.lockClass;
            boolean beingAcquired = e == other.hold && other.lock == e.instance;
            if (e.instance != w.lock || c == null || beingAcquired || other.givenBack == w.lock) {
                continue; // not this lock, or not held: recorded while still being acquired, or given back for a wait
            }
            if (self ? blocksItself(c.type(), e.mode, w.mode) : (w.mode == Mode.EXCLUSIVE || e.mode == Mode.EXCLUSIVE)) {
                return e.mode == Mode.EXCLUSIVE ? "held by" : "held for reading by";
            }
        }
        if (!self && w.mode != Mode.EXCLUSIVE && other.lock == w.lock && other.mode == Mode.EXCLUSIVE) {
            return "queued behind the writer";
        }
        return null;
    }

    /**
     * Why {@code w}, waiting for an event, cannot proceed until {@code other} does, or null: {@code other} is running
     * the awaited task, or is the awaited thread; or {@code w} is a task of a single-thread pool waiting for a task of
     * that pool that no thread runs: the one worker that could run it is {@code w}'s own.
     */
    private static String producedBy(Wait w, Wait other) {
        if (w.event == other.thread) {
            return "which is the end of";
        }
        EventClasses.Source source = w.source;
        if (source == null) {
            return null;
        }
        if (runs(other.ts, w.event, source)) {
            return "which is run by";
        }
        EventClasses.Pool own = other == w ? EventClasses.poolOf(other.ts.waits.pool) : null;
        if (own != null && own.bound() == 1 && own.notStarted(w.event, source)
                && !runByAnyone(w.event, source)) {
            return "which can only be run by its pool's one worker,";
        }
        return null;
    }

    /**
     * Whether {@code ts} is running the task. Racy reads of another thread's contexts: a thread stuck in its wait has
     * not changed them since the release that published its wait, which Wait.of read (see {@link WaitForState}).
     */
    private static boolean runs(ThreadState ts, Object task, EventClasses.Source source) {
        WaitForState ws = ts.waits;
        int frames = Math.min(ws.frames, WaitForState.MAX_FRAMES);
        for (int f = 0; f < frames; f++) {
            if (ws.runs(f, task, source)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some thread is running the task now (a thread not stuck may be changing its contexts: then maybe). */
    private static boolean runByAnyone(Object task, EventClasses.Source source) {
        for (ThreadState ts : ThreadRegistry.live()) {
            if (runs(ts, task, source)) {
                return true;
            }
        }
        return false;
    }

    /** A thread waiting for a lock it holds itself: a read-to-write upgrade, or any StampedLock re-acquisition. */
    private static boolean blocksItself(LockType type, int heldMode, int wantedMode) {
        if (type == LockType.READ_WRITE_LOCK) {
            return heldMode != Mode.EXCLUSIVE && wantedMode == Mode.EXCLUSIVE;
        }
        if (type == LockType.STAMPED_LOCK) {
            return heldMode == Mode.EXCLUSIVE || wantedMode == Mode.EXCLUSIVE;
        }
        return false;
    }

    private void report(List<Blocked> cycle) {
        List<String> keys = new ArrayList<>();
        for (Blocked b : cycle) {
            keys.add(b.waiter.thread.getId() + "@"
                    + System.identityHashCode(b.waiter.lock != null ? b.waiter.lock : b.waiter.event));
        }
        keys.sort(null);
        if (reported.add(String.join(",", keys))) {
            List<Finding.Party> stuck = new ArrayList<>(cycle.size());
            for (Blocked b : cycle) {
                Wait w = b.waiter;
                Trace stack = Trace.of(w.thread, w.ts.threadLabel());
                Finding.Lock wanted = w.lock != null ? Finding.Lock.of(w.lockClass, w.mode, w.site, w.lock)
                        : Finding.Lock.event(w.eventClass, EventClasses.firstOutsideJdk(stack, null), w.event);
                stuck.add(Reports.party(w.ts, wanted, stack).blockedBy(b.by.ts.threadLabel(), b.why));
            }
            Engine.emit(Reports.deadlock(stuck, limitMillis));
        }
    }

    /** One thread's wait, as sampled: for a lock, or (lock null) for an event (a task, a thread's end). */
    static final class Wait {
        final ThreadState ts;
        final Thread thread;
        final Object lock;
        final int mode;
        final LockClass lockClass;
        final CodeSite site;
        /** The hold recorded for the lock, and the lock a wait gave back, at the same reading. */
        final HeldLock hold;
        final Object givenBack;
        /** For an event wait: what it waits on, its class, and its source. */
        final Object event;
        final EventClass eventClass;
        final EventClasses.Source source;
        /** The wait state's version: the same value means the same acquisition. */
        final int version;
        final long since;

        private Wait(ThreadState ts, WaitState.Seen seen, long since) {
            this.ts = ts;
            this.thread = ts.thread;
            this.lock = seen.lock;
            this.mode = seen.mode;
            this.lockClass = seen.lockClass;
            this.site = Sites.codeSite(seen.site);
            this.hold = seen.hold;
            this.givenBack = seen.givenBack;
            this.event = seen.lock == null ? seen.event : null;
            this.eventClass = seen.eventClass;
            this.source = event == null ? null : EventClasses.sourceOf(event);
            this.version = seen.version;
            this.since = since;
        }

        /** The wait {@code ts} is in now, or null if it is not waiting for a lock; keeps the start of the same wait. */
        static Wait of(ThreadState ts, Wait previous, long now) {
            Thread.State state = ts.thread.getState();
            if (state != Thread.State.BLOCKED && state != Thread.State.WAITING
                    && state != Thread.State.TIMED_WAITING) {
                return null;
            }
            WaitState.Seen seen = ts.waiting.read(); // consistent, or null while the thread keeps changing it
            if (seen == null || (seen.lock == null ? !namesItsProducer(seen) : seen.lockClass == null)) {
                return null;
            }
            boolean same = previous != null && previous.version == seen.version;
            return new Wait(ts, seen, same ? previous.since : now);
        }
    }

    /** Only a wait for a task or a thread's end names the thread that must produce its event. */
    private static boolean namesItsProducer(WaitState.Seen seen) {
        return seen.event != null && seen.eventClass != null
                && (seen.eventClass.type() == EventType.TASK || seen.eventClass.type() == EventType.THREAD_END);
    }

    /** An edge of the wait-for graph: {@code waiter} cannot go on until {@code by} does. */
    static final class Blocked {
        final Wait waiter;
        final Wait by;
        final String why;

        Blocked(Wait waiter, Wait by, String why) {
            this.waiter = waiter;
            this.by = by;
            this.why = why;
        }
    }
}
