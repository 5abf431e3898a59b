package io.jlockdep.runtime.report;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadRegistry;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.Finding.Action;
import io.jlockdep.runtime.finding.Finding.Action.Verb;
import io.jlockdep.runtime.graph.Dependency;
import io.jlockdep.runtime.graph.WaitNotify;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.EventClasses;
import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Sites;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.text.LockdepText;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Finding} for each kind of problem, from the reporting thread's held locks, the graph's chain and the
 * captured stacks; the text is rendered from the finished model by {@link LockdepText}, and the caller emits it
 * ({@code Engine.emit}). Reads the graph and the reporting thread's own state only; callers emit outside the graph
 * lock.
 */
public final class Reports {
    public static final String CIRCULAR = "WARNING: possible circular locking dependency detected";
    public static final String RECURSIVE = "WARNING: possible recursive locking detected";
    public static final String BAD_UNLOCK = "WARNING: bad unlock balance detected!";
    public static final String DEPTH = "BUG: MAX_LOCK_DEPTH too low!";
    public static final String WAIT_NOTIFY = "WARNING: possible wait/notify deadlock detected";
    public static final String STILL_HELD_SUFFIX = " still has locks held!";
    public static final String DEADLOCK = "WARNING: deadlock detected";
    public static final String WAIT_FOR = "WARNING: possible wait-for deadlock detected";

    private static final List<String> TWO_THREADS = List.of("Thread A", "Thread B");

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
     * or null when only its class is known) while holding {@code prev}; {@code subtitle} is the line under the title.
     */
    public static Finding circular(String subtitle, Actor actor, HeldLock prev, Object nextInstance, LockClass next,
                                   int nextMode, CodeSite nextSiteAt, List<Dependency> path, Trace current) {
        Finding.Builder data = new Finding.Builder(Finding.Kind.CIRCULAR_DEPENDENCY, CIRCULAR, subtitle);
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
        data.party(actor.party(wanted, current));
        data.acquiring(Finding.Lock.of(next, nextMode, nextSiteAt, nextInstance)).holding(held(prev));
        data.step(Finding.Lock.of(next, nextMode, null, null), current);
        for (Dependency d : path) {
            data.step(Finding.Lock.of(d.to, d.toMode, null, null), d.trace);
        }
        // Scenario in lockdep's form: source = the new lock, target = the held lock, parent = the class before target.
        Dependency intoTarget = path.get(path.size() - 1);
        String target = prev.lockClass().name();
        data.scenario(new Finding.Scenario(TWO_THREADS, List.of(
                Action.take(0, prev.mode(), target),
                Action.take(1, intoTarget.fromMode, intoTarget.from.name()),
                Action.take(1, intoTarget.toMode, target),
                Action.take(0, nextMode, next.name())), queuedWriterNote(prev, next, nextMode, path)));
        return data.build(LockdepText::render);
    }

    /**
     * A cycle kept back because every order of it was taken holding {@code gate}, reported now that the gate no longer
     * keeps it from deadlocking, for the reason {@code nowThat} completes (a sentence).
     */
    public static Finding ungated(Finding kept, LockClass gate, String nowThat) {
        return kept.withNote("Every order of this cycle was first taken holding " + gate.name()
                + ", which kept it from deadlocking; it is reported now that " + nowThat, LockdepText::render);
    }

    /** Why a gate no longer holds: an order of its cycle was taken without it. */
    public static String takenWithout(LockClass gate) {
        return "one of its orders was taken without " + gate.name() + ".";
    }

    /** Re-acquiring a lock that can never be re-acquired by its holder (StampedLock, read→write upgrade). */
    public static Finding recursiveLocking(ThreadState ts, HeldLock held, Object instance, LockClass c, int mode,
                                           int site, String why) {
        Trace current = Trace.capture(ts.threadLabel());
        Finding.Builder data = new Finding.Builder(Finding.Kind.RECURSIVE_LOCKING, RECURSIVE, Engine.identityLine());
        Finding.Lock wanted = data.lock(c, mode, siteOf(site, current));
        data.lock(held.lockClass(), held.mode(), held.acquireSite());
        data.party(Actor.of(ts).party(wanted, current));
        data.acquiring(Finding.Lock.of(c, mode, siteOf(site, current), instance)).holding(held(held)).note(why);
        data.scenario(new Finding.Scenario(List.of("Thread A"), List.of(
                Action.take(0, held.mode(), held.lockClass().name()),
                Action.take(0, mode, c.name())), null));
        return data.build(LockdepText::render);
    }

    public static Finding badUnlock(ThreadState ts, Object instance) {
        Trace current = Trace.capture(ts.threadLabel());
        LockClass c = LockClasses.ofMonitor(instance, 0);
        Finding.Builder data = new Finding.Builder(Finding.Kind.BAD_UNLOCK_BALANCE, BAD_UNLOCK, Engine.identityLine());
        CodeSite at = current.callerSite();
        data.acquiring(c == null ? Finding.Lock.unclassified(instance.getClass().getName(), at)
                : data.lock(c, Mode.EXCLUSIVE, at));
        data.party(Actor.of(ts).party(null, current));
        return data.build(LockdepText::render);
    }

    public static Finding depthExceeded(ThreadState ts, LockClass c, int mode, int site, int limit) {
        Trace current = Trace.capture(ts.threadLabel());
        Finding.Builder data = new Finding.Builder(Finding.Kind.MAX_LOCK_DEPTH, DEPTH, Engine.identityLine());
        Finding.Lock wanted = data.lock(c, mode, siteOf(site, current));
        data.party(Actor.of(ts).party(wanted, current)).acquiring(wanted).limit(limit);
        return data.build(LockdepText::render);
    }

    /**
     * Instances of one class taken in a cycle (the default nesting mode): {@code path} runs from the new lock's instance
     * to the held one's, each step taken (the stack in {@code traces}) while the one before it was held.
     */
    public static Finding instanceCycle(ThreadState ts, HeldLock outer, Object inner, LockClass c, int mode, int site,
                                        List<Object> path, List<Trace> traces) {
        Trace current = Trace.capture(ts.threadLabel());
        int k = traces.size();
        Finding.Builder data = new Finding.Builder(Finding.Kind.CIRCULAR_DEPENDENCY, CIRCULAR, Engine.identityLine());
        Finding.Lock wanted = data.lock(c, mode, siteOf(site, current));
        Finding.Lock from = wanted;
        for (int i = 1; i <= k; i++) {
            Finding.Lock to = i == k ? data.lock(outer.lockClass(), outer.mode(), outer.acquireSite())
                    : data.lock(c, mode, traces.get(i - 1).callerSite());
            data.link(from, to, traces.get(i - 1));
            from = to;
        }
        data.link(from, wanted, current).party(Actor.of(ts).party(wanted, current));
        data.acquiring(Finding.Lock.of(c, mode, siteOf(site, current), inner)).holding(held(outer));
        data.step(Finding.Lock.of(c, mode, null, inner), current);
        for (int i = 1; i <= k; i++) {
            data.step(Finding.Lock.of(c, i == k ? outer.mode() : mode, null, path.get(i)), traces.get(i - 1));
        }
        if (k == 1) {
            data.note("Both locks are of class " + c.name() + ": two instances taken in both orders.");
        } else {
            data.note("All " + (k + 1) + " locks are of class " + c.name() + ": instances taken in a cycle.");
        }
        data.note("Take them in one order (for example by a key, and tell jlockdep with Lockdep.setOrder).");
        String innerName = instanceName(c, inner);
        String outerName = instanceName(c, outer.instance());
        String parentName = k == 1 ? innerName : instanceName(c, path.get(k - 1));
        data.scenario(new Finding.Scenario(TWO_THREADS, List.of(
                Action.take(0, outer.mode(), outerName),
                Action.take(1, mode, parentName),
                Action.take(1, outer.mode(), outerName),
                Action.take(0, mode, innerName)), null));
        return data.build(LockdepText::render);
    }

    /**
     * A waiter holds a lock class its notifier also holds. {@code waiterIsCurrent} says which side is this thread;
     * {@code held} is this thread's hold of the shared class.
     */
    public static Finding waitNotify(ThreadState ts, boolean waiterIsCurrent, HeldLock held, Object lockInstance,
                                     WaitNotify.Record waited, WaitNotify.Record notified) {
        Trace current = Trace.capture(ts.threadLabel());
        LockClass x = waited.lock;
        LockClass y = waited.held;
        Finding.Builder data = new Finding.Builder(Finding.Kind.WAIT_NOTIFY, WAIT_NOTIFY, Engine.identityLine());
        Finding.Lock waitedOn = data.lock(x, waited.lockMode, Sites.codeSite(waited.site));
        Finding.Lock heldLock = data.lock(y, held.mode(), held.acquireSite());
        data.link(heldLock, waitedOn, waited.trace).link(heldLock, waitedOn, notified.trace);
        data.party(Actor.of(ts).party(waiterIsCurrent ? waitedOn : null, current));
        WaitNotify.Record mine = waiterIsCurrent ? waited : notified;
        WaitNotify.Record other = waiterIsCurrent ? notified : waited;
        data.acquiring(Finding.Lock.of(x, mine.lockMode, siteOf(mine.site, current), lockInstance))
                .holding(Finding.Lock.of(y, held.mode(), held.acquireSite(), held.instance()));
        data.step(Finding.Lock.of(y, other.heldMode, null, null), other.trace);
        data.note("The waiter sleeps holding " + y.name() + "; the notifier needs " + y.name()
                + " before it can wake it.");
        data.note("No lock-order cycle exists, so only the wait and the notify show it.");
        if (waited.timeoutNanos != WaitNotify.UNTIMED) {
            data.waitTimeout(waited.timeoutNanos);
            data.note("The wait has a timeout (" + LockdepText.duration(waited.timeoutNanos) + "), but a waiter that"
                    + " waits again until it is woken (while (!ready) wait(...)) never gives " + y.name()
                    + " back: the notifier stays blocked as surely as with an untimed wait.");
        }
        data.scenario(new Finding.Scenario(List.of("Waiter", "Notifier"), List.of(
                Action.take(0, waited.heldMode, y.name()),
                Action.take(0, waited.lockMode, x.name()),
                new Action(0, Verb.WAIT, x.name()),
                Action.take(1, notified.heldMode, y.name()),
                Action.take(1, notified.lockMode, x.name()),
                new Action(1, Verb.NOTIFY, x.name())), null));
        return data.build(LockdepText::render);
    }

    /**
     * A wait for an event of class {@code e} while holding a lock its producer needed ({@code io.jlockdep.runtime.WaitFor}):
     * {@code w} and {@code n} are the two sides' records of one lock class. The reporting thread is the waiter, or the
     * producer: then it is about to take the lock in the task whose completion is awaited ({@code n} was taken in a
     * task), or to produce the event. {@code hold} is its hold of the lock, or null; {@code target} the object it waits
     * on or produces (for a task's acquisition: the lock instance), or null.
     */
    public static Finding waitFor(ThreadState ts, EventClass e, EventClass.Waiter w, EventClass.Need n,
                                  boolean waiterIsCurrent, HeldLock hold, Object target) {
        Trace current = Trace.capture(ts.threadLabel());
        LockClass y = w.lock();
        EventType type = e.type();
        Finding.Wait.Role role = waiterIsCurrent ? Finding.Wait.Role.WAITER
                : n.how() == EventClass.Need.How.TAKEN_IN_TASK ? Finding.Wait.Role.TAKING : Finding.Wait.Role.PRODUCING;
        Finding.Builder data = new Finding.Builder(Finding.Kind.WAIT_FOR, WAIT_FOR, Engine.identityLine());
        data.lock(Finding.Lock.event(e, null, null));
        data.lock(y, n.mode(), null);
        Finding.Lock mine;
        Finding.Lock other;
        if (role == Finding.Wait.Role.TAKING) {
            mine = Finding.Lock.of(y, n.mode(), n.takenAt(), target);
            other = Finding.Lock.event(e, null, null);
            data.step(Finding.Lock.of(y, w.mode(), w.heldAt(), null), w.trace());
        } else {
            mine = Finding.Lock.event(e, callSite(current), target);
            other = hold != null ? held(hold) : Finding.Lock.of(y, n.mode(), n.takenAt(), null);
            data.step(waiterIsCurrent ? Finding.Lock.of(y, n.mode(), n.takenAt(), null)
                    : Finding.Lock.of(y, w.mode(), w.heldAt(), null), waiterIsCurrent ? n.trace() : w.trace());
        }
        data.party(Actor.of(ts).party(role == Finding.Wait.Role.PRODUCING ? null : mine, current));
        data.acquiring(mine).holding(other);
        data.note("The waiter sleeps holding " + y.name() + "; the producer needs " + y.name()
                + " before the event can happen.");
        data.note("No lock-order cycle exists, so only the wait and the event show it.");
        timeoutNote(data, w.timeoutMillis(), "event");
        data.scenario(new Finding.Scenario(List.of("Waiter", "Producer"), List.of(
                Action.take(0, w.mode(), y.name()),
                Action.call(0, type.waitVerb(), e.name()),
                Action.take(1, n.mode(), y.name()),
                Action.call(1, type.produceVerb(), e.name())), null));
        data.waitFor(new Finding.Wait(role, need(n.how()), type.waitVerb(), type.produceVerb(), n.context(),
                w.timeoutMillis()));
        return data.build(LockdepText::render);
    }

    /**
     * A worker of a bounded pool ({@code bound} threads at most) waits for a task of class {@code task} handed to the
     * same pool; {@code current} is its stack.
     */
    public static Finding poolStarvation(ThreadState ts, EventClasses.Pool pool, int bound, EventClass task,
                                         Object target, Trace current, long timeoutMillis) {
        Finding.Builder data = new Finding.Builder(Finding.Kind.WAIT_FOR, WAIT_FOR, Engine.identityLine());
        data.lock(Finding.Lock.event(task, null, null));
        Finding.Lock workers = data.lock(Finding.Lock.poolWorkers(pool.name(), pool.key(), bound));
        Finding.Lock awaited = Finding.Lock.event(task, callSite(current), target);
        data.party(Actor.of(ts).party(awaited, current));
        data.acquiring(awaited).holding(workers);
        if (bound == 1) {
            data.note("The pool runs one task at a time, and the waiting task holds its only worker:");
            data.note("the task it waits for cannot run before it ends.");
        } else {
            data.note("The pool runs at most " + bound + " tasks at a time and all " + bound + " workers are busy: the"
                    + " task waited for runs only when one of them ends its own.");
            data.note("A task that waits for another task of its pool keeps its worker; if the busy ones do so too, no"
                    + " worker is left to run the tasks they wait for.");
        }
        timeoutNote(data, timeoutMillis, "task");
        EventType type = task.type();
        data.waitFor(new Finding.Wait(Finding.Wait.Role.WAITER, Finding.Wait.Need.POOL_WORKER, type.waitVerb(),
                type.produceVerb(), null, timeoutMillis));
        return data.build(LockdepText::render);
    }

    private static void timeoutNote(Finding.Builder data, long timeoutMillis, String what) {
        if (timeoutMillis > 0) {
            data.note("The wait gives up after " + timeoutMillis + " ms: the program stalls that long, then goes on"
                    + " without the " + what + ".");
        }
    }

    private static Finding.Wait.Need need(EventClass.Need.How how) {
        switch (how) {
            case TAKEN_IN_TASK:
                return Finding.Wait.Need.TAKEN_IN_TASK;
            case HELD:
                return Finding.Wait.Need.HELD;
            default:
                return Finding.Wait.Need.TAKEN_BEFORE;
        }
    }

    /** Where the program called the JDK's wait or event method: the first frame outside the JDK. */
    private static CodeSite callSite(Trace current) {
        CodeSite s = EventClasses.firstOutsideJdk(current, null);
        return s != null ? s : current.callerSite();
    }

    /** A thread ends holding locks that will now never be released. */
    public static Finding stillHeld(ThreadState ts) {
        Trace current = Trace.capture(ts.threadLabel());
        String title = "WARNING: " + ts.threadLabel() + STILL_HELD_SUFFIX;
        Finding.Builder data = new Finding.Builder(Finding.Kind.LOCKS_HELD_AT_THREAD_EXIT, title,
                Engine.identityLine());
        data.party(Actor.of(ts).party(null, current));
        return data.build(LockdepText::render);
    }

    /**
     * A real deadlock found by the watchdog: {@code stuck} are the threads of the cycle, each waiting for a lock
     * ({@link Finding.Party#waitingFor()}) that the next one holds ({@link Finding.Party#blockedBy()}).
     */
    public static Finding deadlock(List<Finding.Party> stuck, int limitMillis) {
        Finding.Builder data = new Finding.Builder(Finding.Kind.DEADLOCK, DEADLOCK, Engine.identityLine());
        for (Finding.Party p : stuck) {
            data.lock(p.waitingFor());
            data.party(p);
        }
        return data.limit(limitMillis).build(LockdepText::render);
    }

    /** A live thread as a party of a finding: its held locks now, what it waits for (or null), {@code stack}. */
    public static Finding.Party party(ThreadState ts, Finding.Lock waitingFor, Trace stack) {
        return Actor.of(ts).party(waitingFor, stack);
    }

    /**
     * Every lock every thread holds right now, as lockdep's debug_show_all_locks prints them. Other threads' stacks
     * are read while they change: a line may be a moment old.
     */
    public static String allHeldLocks() {
        List<Finding.Party> threads = new ArrayList<>();
        for (ThreadState ts : ThreadRegistry.live()) {
            if (ts.depth() > 0 && !ts.thread().getName().startsWith("jlockdep-")) {
                try {
                    threads.add(party(ts, null, null));
                } catch (RuntimeException e) {
                    // it changed under us: leave it out
                }
            }
        }
        return LockdepText.allHeldLocks(threads);
    }

    /** One thread's held locks, one lock line each, as in a report's held-locks section. */
    public static List<String> heldLockLines(ThreadState ts) {
        return LockdepText.heldLockLines(party(ts, null, null));
    }

    /** A held lock as a finding names it: its instance, class, mode and where it was taken. */
    private static Finding.Lock held(HeldLock h) {
        return Finding.Lock.of(h.lockClass(), h.mode(), h.acquireSite(), h.instance());
    }

    private static String instanceName(LockClass c, Object instance) {
        return c.name() + ' ' + Finding.instanceId(instance);
    }

    private static CodeSite siteOf(int site, Trace current) {
        CodeSite s = Sites.codeSite(site);
        return s != null ? s : current.callerSite();
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
        return "This deadlock needs a writer queued on " + locks
                + ": a waiting writer blocks new readers, so a read held on one side stops the read wanted on the other.";
    }

    /**
     * The thread a report is about: its label, what kind of thread it is, the locks it holds (bottom first). A live
     * thread's state, or a thread recorded in a file, of which only the lock it held when it took an order is known.
     */
    public static final class Actor {
        private final String label;
        /** {@code virtual}, {@code daemon}, or null for a plain (or unknown) platform thread. */
        private final String kind;
        private final List<Finding.Held> held;
        /** False when only some of the held locks are known: the held-lock section then says "at least". */
        private final boolean allHeldKnown;

        private Actor(String label, String kind, List<Finding.Held> held, boolean allHeldKnown) {
            this.label = label;
            this.kind = kind;
            this.held = held;
            this.allHeldKnown = allHeldKnown;
        }

        /** A thread recorded in a file, known to have held {@code held} (and perhaps more) when it took an order. */
        public static Actor recorded(String label, HeldLock held) {
            return new Actor(label, null, List.of(new Finding.Held(held(held), false, Finding.Held.State.HELD)),
                    false);
        }

        /** A live thread, with a snapshot of its held locks. */
        static Actor of(ThreadState ts) {
            Thread t = ts.thread();
            String kind = Engine.isVirtual(t) ? "virtual" : t.isDaemon() ? "daemon" : null;
            // The reporting thread's own stack, or another's, read racily as ThreadState explains: the watchdog's
            // parties are stuck, so their stacks do not change; for a dump of every thread's locks, a stack that
            // changes under the loop (even past the array it sees) throws, and the dump leaves that thread out.
            int depth = ts.depth();
            List<Finding.Held> held = new ArrayList<>(depth);
            for (int i = 0; i < depth; i++) {
                HeldLock h = ts.held(i);
                Finding.Held.State state = ts.isAcquiring(h) ? Finding.Held.State.ACQUIRING
                        : ts.isGivenBackForWait(h) ? Finding.Held.State.GIVEN_BACK_FOR_WAIT : Finding.Held.State.HELD;
                held.add(new Finding.Held(held(h), h.trylock(), state));
            }
            return new Actor(ts.threadLabel(), kind, held, true);
        }

        Finding.Party party(Finding.Lock waitingFor, Trace stack) {
            return Finding.Party.of(label, kind, waitingFor, held, allHeldKnown, stack);
        }
    }
}
