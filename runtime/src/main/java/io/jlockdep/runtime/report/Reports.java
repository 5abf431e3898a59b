package io.jlockdep.runtime.report;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadRegistry;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.Watchdog;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.graph.Dependency;
import io.jlockdep.runtime.graph.WaitNotify;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Sites;
import io.jlockdep.runtime.lockclass.Trace;
import java.util.List;

/**
 * Formats findings the way lockdep prints them, section by section (see lockdep's print_circular_bug and friends).
 * Formatting reads the graph and the reporting thread's own stack only; callers print the text outside the graph lock.
 */
public final class Reports {
    public static final String CIRCULAR = "WARNING: possible circular locking dependency detected";
    public static final String RECURSIVE = "WARNING: possible recursive locking detected";
    public static final String BAD_UNLOCK = "WARNING: bad unlock balance detected!";
    public static final String DEPTH = "BUG: MAX_LOCK_DEPTH too low!";
    public static final String WAIT_NOTIFY = "WARNING: possible wait/notify deadlock detected";
    public static final String STILL_HELD_SUFFIX = " still has locks held!";
    public static final String DEADLOCK = "WARNING: deadlock detected";

    private static final String STACK_INDENT = "       ";

    private Reports() {
    }

    /**
     * The circular report. {@code path} runs from the new lock's class to the held lock's class; with the edge
     * held → new it closes the cycle.
     */
    public static Finding circular(ThreadState ts, HeldLock prev, Object nextInstance, LockClass next, int nextMode,
                            int nextSite, List<Dependency> path, Trace current) {
        return circular(Engine.identityLine(), Actor.of(ts), prev, nextInstance, next, nextMode,
                siteOf(nextSite, current), path, current);
    }

    /**
     * The circular report for any graph, live or merged from files: {@code actor} takes {@code next} (an instance,
     * or null when only its class is known) while holding {@code prev}; {@code identity} is the line under the title.
     */
    public static Finding circular(String identity, Actor actor, HeldLock prev, Object nextInstance, LockClass next,
                            int nextMode, CodeSite nextSiteAt, List<Dependency> path, Trace current) {
        Finding.Builder data = new Finding.Builder(Finding.Kind.CIRCULAR_DEPENDENCY, CIRCULAR);
        Finding.Lock wanted = data.lock(next, nextMode, nextSiteAt);
        Finding.Lock from = wanted;
        for (int i = 0; i < path.size(); i++) {
            Dependency d = path.get(i);
            // The chain ends at the lock this thread holds: name it as held, with its acquire site.
            Finding.Lock to = i == path.size() - 1 ? data.lock(prev.lockClass(), prev.mode(), prev.acquireSite())
                    : data.lock(d.to, d.toMode, d.trace.callerSite());
            data.link(from, to, d.trace);
            from = to;
        }
        data.link(from, wanted, current);
        data.party(actor, wanted, current);

        StringBuilder sb = new StringBuilder(4096);
        header(sb, CIRCULAR, identity);
        tryingAndHolding(sb, actor.label, nextInstance, next, nextMode, nextSiteAt, prev);
        sb.append("which lock already depends on the new lock.\n\n\n");

        sb.append("the existing dependency chain (in reverse order) is:\n\n");
        int n = path.size();
        for (int i = n - 1; i >= 0; i--) {
            Dependency d = path.get(i);
            sb.append("-> #").append(i + 1).append(" (").append(d.to.name()).append("){")
                    .append(d.to.type().kind(d.toMode)).append("}:\n");
            chainStack(sb, d.trace);
            sb.append('\n');
        }
        sb.append("-> #0 (").append(next.name()).append("){").append(next.type().kind(nextMode)).append("}:\n");
        chainStack(sb, current);
        sb.append('\n');

        sb.append("other info that might help us debug this:\n\n");
        if (n >= 2) {
            sb.append("Chain exists of:\n  ").append(next.name());
            for (Dependency d : path) {
                sb.append(" --> ").append(d.to.name());
            }
            sb.append("\n\n");
        }
        // Scenario in lockdep's form: source = the new lock, target = the held lock, parent = the class before target.
        Dependency intoTarget = path.get(n - 1);
        LockClass parent = intoTarget.from;
        sb.append(" Possible unsafe locking scenario:\n\n");
        sb.append("       Thread A                Thread B\n");
        sb.append("       --------                --------\n");
        scenarioLine(sb, 0, prev.mode(), prev.lockClass());
        scenarioLine(sb, 1, intoTarget.fromMode, parent);
        scenarioLine(sb, 1, intoTarget.toMode, prev.lockClass());
        scenarioLine(sb, 0, nextMode, next);
        sb.append('\n');
        String writerNote = queuedWriterNote(prev, next, nextMode, path);
        if (writerNote != null) {
            sb.append(writerNote).append("\n\n");
        }
        sb.append(" *** DEADLOCK ***\n\n");
        heldLocks(sb, actor);
        backtrace(sb, actor, current);
        return data.build(sb.toString());
    }

    /** Re-acquiring a lock that can never be re-acquired by its holder (StampedLock, read→write upgrade). */
    public static void recursiveLocking(ThreadState ts, HeldLock held, Object instance, LockClass c, int mode, int site,
                                 String why) {
        Trace current = Trace.capture(ts.threadLabel());
        Finding.Builder data = new Finding.Builder(Finding.Kind.RECURSIVE_LOCKING, RECURSIVE);
        Finding.Lock wanted = data.lock(c, mode, siteOf(site, current));
        data.lock(held.lockClass(), held.mode(), held.acquireSite());
        data.party(ts, wanted, current);
        StringBuilder sb = new StringBuilder(2048);
        header(sb, RECURSIVE);
        tryingAndHolding(sb, ts.threadLabel(), instance, c, mode, siteOf(site, current), held);
        sb.append("other info that might help us debug this:\n");
        sb.append(' ').append(why).append("\n\n");
        sb.append(" Possible unsafe locking scenario:\n\n");
        sb.append("       Thread A\n");
        sb.append("       --------\n");
        scenarioLine(sb, 0, held.mode(), held.lockClass());
        scenarioLine(sb, 0, mode, c);
        sb.append("\n *** DEADLOCK ***\n\n");
        heldLocks(sb, ts);
        backtrace(sb, ts, current);
        Engine.emit(data.build(sb.toString()));
    }

    public static void badUnlock(ThreadState ts, Object instance) {
        Trace current = Trace.capture(ts.threadLabel());
        StringBuilder sb = new StringBuilder(1024);
        header(sb, BAD_UNLOCK);
        LockClass c = LockClasses.ofMonitor(instance, 0);
        Finding.Builder data = new Finding.Builder(Finding.Kind.BAD_UNLOCK_BALANCE, BAD_UNLOCK);
        if (c != null) {
            data.lock(c, Mode.EXCLUSIVE, current.callerSite());
        }
        data.party(ts, null, current);
        sb.append(ts.threadLabel()).append(" is trying to release lock (")
                .append(c == null ? instance.getClass().getName() : c.name()).append(") at:\n");
        CodeSite at = current.callerSite();
        sb.append(at == null ? "<unknown>" : at.longForm()).append('\n');
        sb.append("but there are no more locks to release!\n\n");
        sb.append("other info that might help us debug this:\n");
        heldLocks(sb, ts);
        backtrace(sb, ts, current);
        Engine.emit(data.build(sb.toString()));
    }

    public static void depthExceeded(ThreadState ts, LockClass c, int mode, int site, int limit) {
        Trace current = Trace.capture(ts.threadLabel());
        Finding.Builder data = new Finding.Builder(Finding.Kind.MAX_LOCK_DEPTH, DEPTH);
        data.party(ts, data.lock(c, mode, siteOf(site, current)), current);
        StringBuilder sb = new StringBuilder(2048);
        header(sb, DEPTH);
        sb.append(ts.threadLabel()).append(" holds ").append(limit)
                .append(" locks and is trying to acquire another; this thread is not checked until it holds fewer.\n")
                .append("Raise the limit with max-depth=<n>.\n");
        lockLine(sb, null, c, mode, siteOf(site, current)).append("\n\n");
        heldLocks(sb, ts);
        backtrace(sb, ts, current);
        Engine.emit(data.build(sb.toString()));
    }

    /**
     * Instances of one class taken in a cycle (the default nesting mode): {@code path} runs from the new lock's instance
     * to the held one's, each step taken (the stack in {@code traces}) while the one before it was held.
     */
    public static void instanceCycle(ThreadState ts, HeldLock outer, Object inner, LockClass c, int mode, int site,
                              List<Object> path, List<Trace> traces) {
        Trace current = Trace.capture(ts.threadLabel());
        int k = traces.size();
        Finding.Builder data = new Finding.Builder(Finding.Kind.CIRCULAR_DEPENDENCY, CIRCULAR);
        Finding.Lock wanted = data.lock(c, mode, siteOf(site, current));
        Finding.Lock from = wanted;
        for (int i = 1; i <= k; i++) {
            Finding.Lock to = i == k ? data.lock(outer.lockClass(), outer.mode(), outer.acquireSite())
                    : data.lock(c, mode, traces.get(i - 1).callerSite());
            data.link(from, to, traces.get(i - 1));
            from = to;
        }
        data.link(from, wanted, current).party(ts, wanted, current);

        StringBuilder sb = new StringBuilder(4096);
        header(sb, CIRCULAR);
        tryingAndHolding(sb, ts.threadLabel(), inner, c, mode, siteOf(site, current), outer);
        sb.append("which lock already depends on the new lock.\n\n\n");
        sb.append("the existing dependency chain (in reverse order) is:\n\n");
        for (int i = k; i >= 1; i--) {
            sb.append("-> #").append(i).append(" (").append(instanceName(c, path.get(i))).append("){")
                    .append(c.type().kind(i == k ? outer.mode() : mode)).append("}:\n");
            frames(sb, traces.get(i - 1), STACK_INDENT);
            sb.append('\n');
        }
        String innerName = instanceName(c, inner);
        String outerName = instanceName(c, outer.instance());
        sb.append("-> #0 (").append(innerName).append("){").append(c.type().kind(mode)).append("}:\n");
        frames(sb, current, STACK_INDENT);
        sb.append('\n');
        sb.append("other info that might help us debug this:\n\n");
        if (k >= 2) {
            sb.append("Chain exists of:\n  ").append(innerName);
            for (int i = 1; i <= k; i++) {
                sb.append(" --> ").append(instanceName(c, path.get(i)));
            }
            sb.append("\n\n");
        }
        if (k == 1) {
            sb.append(" Both locks are of class ").append(c.name()).append(": two instances taken in both orders.\n");
        } else {
            sb.append(" All ").append(k + 1).append(" locks are of class ").append(c.name())
                    .append(": instances taken in a cycle.\n");
        }
        sb.append(" Take them in one order (for example by a key, and tell jlockdep with Lockdep.setOrder).\n\n");
        String parentName = k == 1 ? innerName : instanceName(c, path.get(k - 1));
        sb.append(" Possible unsafe locking scenario:\n\n");
        sb.append("       Thread A                Thread B\n");
        sb.append("       --------                --------\n");
        scenarioLine(sb, 0, outer.mode(), outerName);
        scenarioLine(sb, 1, mode, parentName);
        scenarioLine(sb, 1, outer.mode(), outerName);
        scenarioLine(sb, 0, mode, innerName);
        sb.append("\n *** DEADLOCK ***\n\n");
        heldLocks(sb, ts);
        backtrace(sb, ts, current);
        Engine.emit(data.build(sb.toString()));
    }

    /**
     * A waiter holds a lock class its notifier also holds. {@code waiterIsCurrent} says which side is this thread;
     * {@code held} is this thread's hold of the shared class.
     */
    public static void waitNotify(ThreadState ts, boolean waiterIsCurrent, HeldLock held, Object lockInstance,
                           WaitNotify.Record waited, WaitNotify.Record notified) {
        Trace current = Trace.capture(ts.threadLabel());
        LockClass x = waited.lock;
        LockClass y = waited.held;
        Finding.Builder data = new Finding.Builder(Finding.Kind.WAIT_NOTIFY, WAIT_NOTIFY);
        Finding.Lock waitedOn = data.lock(x, waited.lockMode, Sites.codeSite(waited.site));
        Finding.Lock heldLock = data.lock(y, held.mode(), held.acquireSite());
        data.link(heldLock, waitedOn, waited.trace).link(heldLock, waitedOn, notified.trace);
        data.party(ts, waiterIsCurrent ? waitedOn : null, current);
        StringBuilder sb = new StringBuilder(4096);
        header(sb, WAIT_NOTIFY);
        sb.append(ts.threadLabel()).append(waiterIsCurrent ? " is about to wait on lock:\n" : " is about to wake waiters of lock:\n");
        lockLine(sb, lockInstance, x, waiterIsCurrent ? waited.lockMode : notified.lockMode,
                siteOf(waiterIsCurrent ? waited.site : notified.site, current)).append("\n\n");
        sb.append("while holding lock:\n");
        lockLine(sb, held.instance(), y, held.mode(), held.acquireSite()).append("\n\n");
        if (waiterIsCurrent) {
            sb.append("but the lock is notified by code that holds a lock of that class:\n\n");
            sb.append("-> (").append(y.name()).append("){").append(y.type().kind(notified.heldMode))
                    .append("} held while notifying (").append(x.name()).append("):\n");
            frames(sb, notified.trace, STACK_INDENT);
        } else {
            sb.append("but a thread waits on the lock while holding a lock of that class:\n\n");
            sb.append("-> (").append(y.name()).append("){").append(y.type().kind(waited.heldMode))
                    .append("} held while waiting on (").append(x.name()).append("):\n");
            frames(sb, waited.trace, STACK_INDENT);
        }
        sb.append('\n');
        sb.append("other info that might help us debug this:\n\n");
        sb.append(" The waiter sleeps holding ").append(y.name()).append("; the notifier needs ").append(y.name())
                .append(" before it can wake it.\n");
        sb.append(" No lock-order cycle exists, so only the wait and the notify show it.\n\n");
        sb.append(" Possible unsafe locking scenario:\n\n");
        sb.append("       Waiter                  Notifier\n");
        sb.append("       ------                  --------\n");
        scenarioLine(sb, 0, waited.heldMode, y.name());
        scenarioLine(sb, 0, waited.lockMode, x.name());
        sb.append("  wait(").append(x.name()).append(");\n");
        scenarioLine(sb, 1, notified.heldMode, y.name());
        scenarioLine(sb, 1, notified.lockMode, x.name());
        sb.append("                               notify(").append(x.name()).append(");\n");
        sb.append("\n *** DEADLOCK ***\n\n");
        heldLocks(sb, ts);
        backtrace(sb, ts, current);
        Engine.emit(data.build(sb.toString()));
    }

    /** A thread ends holding locks that will now never be released. */
    public static void stillHeld(ThreadState ts) {
        Trace current = Trace.capture(ts.threadLabel());
        String title = "WARNING: " + ts.threadLabel() + STILL_HELD_SUFFIX;
        Finding.Builder data = new Finding.Builder(Finding.Kind.LOCKS_HELD_AT_THREAD_EXIT, title);
        data.party(ts, null, current);
        StringBuilder sb = new StringBuilder(2048);
        header(sb, title);
        heldLocks(sb, ts);
        backtrace(sb, ts, current);
        Engine.emit(data.build(sb.toString()));
    }

    /** An instance as lock lines show it: its identity hash in 8 hex digits, like the kernel's lock address. */
    public static String identity(Object instance) {
        String hex = Integer.toHexString(System.identityHashCode(instance));
        return "00000000".substring(hex.length()) + hex;
    }

    private static String instanceName(LockClass c, Object instance) {
        return c.name() + ' ' + identity(instance);
    }

    /** The two lock lines every conflict report opens with. */
    private static void tryingAndHolding(StringBuilder sb, String thread, Object instance, LockClass c, int mode,
                                         CodeSite site, HeldLock held) {
        sb.append(thread).append(" is trying to acquire lock:\n");
        lockLine(sb, instance, c, mode, site).append("\n\n");
        sb.append("but thread is already holding lock:\n");
        lockLine(sb, held.instance(), held.lockClass(), held.mode(), held.acquireSite()).append("\n\n");
    }

    private static void header(StringBuilder sb, String title) {
        header(sb, title, Engine.identityLine());
    }

    private static void header(StringBuilder sb, String title, String identity) {
        String rule = "=".repeat(title.length());
        sb.append('\n').append(rule).append('\n').append(title).append('\n').append(identity).append('\n')
                .append("-".repeat(title.length())).append('\n');
    }

    private static CodeSite siteOf(int site, Trace current) {
        CodeSite s = Sites.codeSite(site);
        return s != null ? s : current.callerSite();
    }

    /** {@code 0x1b6d3586 (Inode.iRwsem){ReentrantReadWriteLock write}, at Inode.write(Ntfs.java:57)}. */
    private static StringBuilder lockLine(StringBuilder sb, Object instance, LockClass c, int mode, CodeSite site) {
        if (instance != null) {
            sb.append(identity(instance)).append(' ');
        }
        sb.append('(').append(c.name()).append("){").append(c.type().kind(mode)).append("}, at ")
                .append(site == null ? "<unknown site>" : site.shortForm());
        return sb;
    }

    private static void scenarioLine(StringBuilder sb, int column, int mode, LockClass c) {
        scenarioLine(sb, column, mode, c.name());
    }

    private static void scenarioLine(StringBuilder sb, int column, int mode, String name) {
        sb.append(column == 0 ? "  " : "                               ");
        sb.append(mode == Mode.EXCLUSIVE ? "lock(" : "rlock(").append(name).append(");\n");
    }

    /**
     * A cycle in which some lock is both held and wanted for reading only blocks if a writer queues on that lock in
     * between: say so, since users otherwise find the read/read report surprising.
     */
    private static String queuedWriterNote(HeldLock prev, LockClass next, int nextMode, List<Dependency> path) {
        StringBuilder locks = new StringBuilder();
        // Held by Thread A, wanted by Thread B: prev, wanted through the edge into it.
        Dependency intoPrev = path.get(path.size() - 1);
        if (prev.mode() != Mode.EXCLUSIVE && intoPrev.toMode != Mode.EXCLUSIVE) {
            locks.append(prev.lockClass().name());
        }
        // Held by Thread B (first edge's from-mode), wanted by Thread A now.
        Dependency fromNext = path.get(0);
        if (nextMode != Mode.EXCLUSIVE && fromNext.fromMode != Mode.EXCLUSIVE) {
            if (locks.length() > 0) {
                locks.append(" and ");
            }
            locks.append(next.name());
        }
        for (int i = 0; i + 1 < path.size(); i++) {
            Dependency in = path.get(i);
            Dependency out = path.get(i + 1);
            if (in.toMode != Mode.EXCLUSIVE && out.fromMode != Mode.EXCLUSIVE) {
                if (locks.length() > 0) {
                    locks.append(" and ");
                }
                locks.append(in.to.name());
            }
        }
        if (locks.length() == 0) {
            return null;
        }
        return " This deadlock needs a writer queued on " + locks
                + ": a waiting writer blocks new readers, so a read held on one side stops the read wanted on the other.";
    }

    /**
     * Every lock every thread holds right now, as lockdep's debug_show_all_locks prints them. Other threads' stacks
     * are read while they change: a line may be a moment old.
     */
    public static String allHeldLocks() {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("\nShowing all locks held in the system:\n");
        for (ThreadState ts : ThreadRegistry.live()) {
            if (ts.depth() > 0 && !ts.thread().getName().startsWith("jlockdep-")) {
                int at = sb.length();
                try {
                    heldLocks(sb, ts);
                } catch (RuntimeException e) {
                    sb.setLength(at); // it changed under us: leave it out
                }
            }
        }
        sb.append("=============================================\n\n");
        return sb.toString();
    }

    /** One thread's held locks, one lock line each, as in a report's held-locks section. */
    public static List<String> heldLockLines(ThreadState ts) {
        StringBuilder sb = new StringBuilder();
        heldLocks(sb, ts);
        List<String> lines = new java.util.ArrayList<>();
        for (String line : sb.toString().split("\n")) {
            if (line.startsWith(" #")) {
                lines.add(line.substring(line.indexOf(": ") + 2));
            }
        }
        return lines;
    }

    private static void heldLocks(StringBuilder sb, ThreadState ts) {
        heldLocks(sb, Actor.of(ts));
    }

    private static void heldLocks(StringBuilder sb, Actor actor) {
        int depth = actor.depth;
        if (depth == 0) {
            sb.append("no locks held by ").append(actor.label).append(".\n\n");
            return;
        }
        if (!actor.allHeldKnown) {
            sb.append("at least ");
        }
        sb.append(depth).append(depth == 1 ? " lock held by " : " locks held by ").append(actor.label).append(":\n");
        for (int i = 0; i < depth; i++) {
            HeldLock h = actor.held[i];
            sb.append(" #").append(i).append(": ");
            lockLine(sb, h.instance(), h.lockClass(), h.mode(), h.acquireSite());
            if (h.trylock()) {
                sb.append(" (trylock)");
            }
            ThreadState ts = actor.live;
            if (ts == null) {
                // a thread recorded in a file: its held locks are classes only
            } else if (ts.isAcquiring(h)) {
                sb.append(" (acquiring)");
            } else if (ts.isGivenBackForWait(h)) {
                sb.append(" (given back while waiting)");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    /**
     * A real deadlock found by the watchdog: each thread of the cycle, what it waits for and who holds it, then each
     * thread's held locks and stack as it is now.
     */
    public static Finding deadlock(List<Watchdog.Blocked> cycle, int limitMillis) {
        Finding.Builder data = new Finding.Builder(Finding.Kind.DEADLOCK, DEADLOCK);
        StringBuilder sb = new StringBuilder(4096);
        header(sb, DEADLOCK);
        sb.append(cycle.size()).append(cycle.size() == 1 ? " thread has" : " threads have")
                .append(" been waiting for ").append(limitMillis)
                .append(" ms or more, each for a lock that another of them holds:\n\n");
        Trace[] stacks = new Trace[cycle.size()];
        for (int i = 0; i < cycle.size(); i++) {
            Watchdog.Blocked b = cycle.get(i);
            Watchdog.Wait w = b.waiter;
            stacks[i] = Trace.of(w.thread, w.ts.threadLabel());
            Finding.Lock wanted = data.lock(w.lockClass, w.mode, w.site);
            data.party(w.ts, wanted, stacks[i]);
            sb.append(w.ts.threadLabel()).append(" is trying to acquire lock:\n");
            lockLine(sb, w.lock, w.lockClass, w.mode, w.site).append('\n');
            sb.append(b.why).append(' ').append(b.by.ts.threadLabel())
                    .append(b.by == w ? " itself" : "").append(".\n\n");
        }
        sb.append(" *** DEADLOCK ***\n\n");
        for (int i = 0; i < cycle.size(); i++) {
            ThreadState ts = cycle.get(i).waiter.ts;
            heldLocks(sb, ts);
            backtrace(sb, ts, stacks[i]);
        }
        return data.build(sb.toString());
    }

    private static void backtrace(StringBuilder sb, ThreadState ts, Trace current) {
        backtrace(sb, Actor.of(ts), current);
    }

    private static void backtrace(StringBuilder sb, Actor actor, Trace current) {
        sb.append("stack backtrace:\n");
        sb.append("Thread: ").append(actor.label);
        if (actor.kind != null) {
            sb.append(' ').append(actor.kind);
        }
        if (current.origin != null) {
            sb.append(", recorded in ").append(current.origin);
        }
        sb.append('\n');
        frames(sb, current, " ");
        sb.append('\n');
    }

    /** A chain entry's stack; a stack read from a file first says which file, JVM and thread it comes from. */
    private static void chainStack(StringBuilder sb, Trace trace) {
        if (trace.origin != null) {
            sb.append(STACK_INDENT).append("recorded in ").append(trace.origin).append(", thread ")
                    .append(trace.threadLabel).append(":\n");
        }
        frames(sb, trace, STACK_INDENT);
    }

    private static void frames(StringBuilder sb, Trace trace, String indent) {
        for (CodeSite f : trace.frames) {
            sb.append(indent).append(f.longForm()).append('\n');
        }
    }

    /**
     * The thread a report is about: its label, what kind of thread it is, the locks it holds (bottom first). A live
     * thread's state, or a thread recorded in a file, of which only the lock it held when it took an order is known.
     */
    public static final class Actor {
        public final String label;
        /** {@code virtual}, {@code daemon}, or null for a plain (or unknown) platform thread. */
        public final String kind;
        public final HeldLock[] held;
        public final int depth;
        /** False when only some of the held locks are known: the held-lock section then says "at least". */
        public final boolean allHeldKnown;
        /** The live thread's state, or null for a thread recorded in a file. */
        public final ThreadState live;

        private Actor(String label, String kind, HeldLock[] held, int depth, boolean allHeldKnown, ThreadState live) {
            this.label = label;
            this.kind = kind;
            this.held = held;
            this.depth = depth;
            this.allHeldKnown = allHeldKnown;
            this.live = live;
        }

        /** A thread recorded in a file, known to have held {@code held} (and perhaps more) when it took an order. */
        public static Actor recorded(String label, HeldLock held) {
            return new Actor(label, null, new HeldLock[] {held}, 1, false, null);
        }

        public static Actor of(ThreadState ts) {
            Thread t = ts.thread();
            String kind = Engine.isVirtual(t) ? "virtual" : t.isDaemon() ? "daemon" : null;
            HeldLock[] held = new HeldLock[ts.depth()];
            for (int i = 0; i < held.length; i++) {
                held[i] = ts.held(i);
            }
            return new Actor(ts.threadLabel(), kind, held, held.length, true, ts);
        }
    }
}
