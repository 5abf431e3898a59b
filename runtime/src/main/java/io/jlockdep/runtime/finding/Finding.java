package io.jlockdep.runtime.finding;

import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * One report as data: what was found, the locks, the dependency chain, the threads involved with their held locks and
 * stacks (frames as {@link CodeSite}s), and the scenario. Every sink reads this model: the text renderer
 * ({@code io.jlockdep.runtime.text.LockdepText}) turns it into lockdep's report, which {@link #text()} keeps; JSON,
 * JFR, JMX and the JUnit extension read the same fields. Immutable once built; holds names, numbers and code sites
 * only, never a lock, a thread or an application class.
 *
 * <p>{@link #locks()}, {@link #chain()} and {@link #parties()} are what the JSON record and the other machine-readable
 * sinks carry; {@link #acquiring()}, {@link #holding()}, {@link #steps()}, {@link #notes()}, {@link #scenario()} and
 * {@link #limit()} are the rest of what the text shows.
 */
public final class Finding {
    /** What was found. {@link #id()} is the stable name used in JSON and JFR. */
    public enum Kind {
        CIRCULAR_DEPENDENCY("circular-dependency"),
        RECURSIVE_LOCKING("recursive-locking"),
        WAIT_NOTIFY("wait-notify"),
        /** A wait for an event (a task, a latch, a queue...) while holding a lock its producer needs. */
        WAIT_FOR("wait-for"),
        BAD_UNLOCK_BALANCE("bad-unlock-balance"),
        LOCKS_HELD_AT_THREAD_EXIT("locks-held-at-thread-exit"),
        MAX_LOCK_DEPTH("max-lock-depth"),
        DEADLOCK("deadlock"),
        /** Not a finding: one of jlockdep's own one-line messages, delivered to embedding listeners only. */
        MESSAGE("message");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** A lock as a finding names it: its class, how it was taken, where, and (when known) which instance. */
    public static final class Lock {
        private final String name;
        private final String fullName;
        private final String key;
        private final String lockType;
        private final String kind;
        private final boolean shared;
        private final CodeSite declaredAt;
        private final CodeSite acquiredAt;
        private final String instance;
        private final String ownerType;
        private final String ownerInstance;
        private final boolean event;

        private Lock(String name, String fullName, String key, String lockType, String kind, boolean shared,
                     CodeSite declaredAt, CodeSite acquiredAt, String instance, LockClasses.Owner owner) {
            this(name, fullName, key, lockType, kind, shared, declaredAt, acquiredAt, instance, owner, false);
        }

        private Lock(String name, String fullName, String key, String lockType, String kind, boolean shared,
                     CodeSite declaredAt, CodeSite acquiredAt, String instance, LockClasses.Owner owner,
                     boolean event) {
            this.name = name;
            this.fullName = fullName;
            this.key = key;
            this.lockType = lockType;
            this.kind = kind;
            this.shared = shared;
            this.declaredAt = declaredAt;
            this.acquiredAt = acquiredAt;
            this.instance = instance;
            this.ownerType = owner == null ? null : owner.type();
            this.ownerInstance = owner == null ? null : hex(owner.identityHash());
            this.event = event;
        }

        /**
         * A lock of class {@code c} taken in {@code mode} at {@code acquiredAt}; {@code instance} (the lock's identity)
         * may be null. For an instance held in a field of some object, the finding names that object too.
         */
        public static Lock of(LockClass c, int mode, CodeSite acquiredAt, Object instance) {
            return new Lock(c.name(), c.fullName(), c.key(), c.type().displayName(), c.type().kind(mode),
                    mode != Mode.EXCLUSIVE, c.declaredAt(), acquiredAt, instance == null ? null : instanceId(instance),
                    instance == null ? null : LockClasses.ownerOf(instance));
        }

        /**
         * What a wait is for (a task, a latch, a queue's element...), as findings name it beside locks: its event class
         * ({@code Service.ready}), whose type ({@code CountDownLatch}) is the kind; the object when known.
         */
        public static Lock event(EventClass e, CodeSite at, Object instance) {
            String type = e.type().displayName();
            return new Lock(e.name(), e.name(), e.key(), type, type, false, e.declaredAt(), at,
                    instance == null ? null : instanceId(instance), null, true);
        }

        /** The workers of a bounded pool, which a task holds one of while it runs: {@code ThreadPoolExecutor of 1 thread}. */
        public static Lock poolWorkers(String name, String key, int bound) {
            return new Lock(name, name, key, "ThreadPoolExecutor",
                    "ThreadPoolExecutor of " + bound + (bound == 1 ? " thread" : " threads"), false, null, null, null,
                    null);
        }

        /** An object that has no lock class (released without having been seen taken): named by its type. */
        public static Lock unclassified(String typeName, CodeSite at) {
            return new Lock(typeName, typeName, null, null, null, false, null, at, null, null);
        }

        /**
         * The runtime type (binary name) of the object whose field holds this instance, when it was allocated straight
         * into that field; else null.
         */
        public String ownerType() {
            return ownerType;
        }

        /** That object's identity hash in 8 hex digits, or null. */
        public String ownerInstance() {
            return ownerInstance;
        }

        /** The lock class, e.g. {@code Inode.iRwsem} or {@code monitor of Account}. */
        public String name() {
            return name;
        }

        /**
         * The lock class with nothing shortened: a type-keyed class's fully qualified type
         * ({@code monitor of com.x.Account}); for other classes the same as {@link #name()} without a {@code #n}.
         */
        public String fullName() {
            return fullName;
        }

        /**
         * What identifies the lock class across JVMs (the field, type, allocation site or explicit name it is keyed
         * by), where {@link #name()} may carry a per-JVM {@code #n} suffix.
         */
        public String key() {
            return key;
        }

        /** {@code monitor}, {@code ReentrantLock}, {@code ReentrantReadWriteLock} or {@code StampedLock}. */
        public String lockType() {
            return lockType;
        }

        /** The kind as a lock line shows it, with the mode: {@code ReentrantReadWriteLock read}. */
        public String kind() {
            return kind;
        }

        /** Where locks of this class are allocated ({@code com.x.Inode.<init>(Inode.java:12)}), or null. */
        public String declaredAt() {
            return declaredAt == null ? null : declaredAt.longForm();
        }

        /** Where this acquisition happened ({@code Inode.write(Ntfs.java:57)}), or null. */
        public String acquiredAt() {
            return acquiredAt == null ? null : acquiredAt.shortForm();
        }

        /** {@link #declaredAt()} as a code site, or null. */
        public CodeSite declaredAtSite() {
            return declaredAt;
        }

        /** {@link #acquiredAt()} as a code site, or null. */
        public CodeSite acquiredAtSite() {
            return acquiredAt;
        }

        /** An event waited for or produced (a task, a latch...; see {@link #event(EventClass, CodeSite, Object)}). */
        public boolean isEvent() {
            return event;
        }

        /** Taken for reading (a read lock, a StampedLock read), as opposed to exclusively. */
        public boolean shared() {
            return shared;
        }

        /**
         * The instance, as its identity hash in 8 hex digits (like the kernel's lock address), or null when the
         * finding is about the class only.
         */
        public String instance() {
            return instance;
        }
    }

    /** An instance as findings name it: its identity hash in 8 hex digits. */
    public static String instanceId(Object instance) {
        return hex(System.identityHashCode(instance));
    }

    private static String hex(int identityHash) {
        String hex = Integer.toHexString(identityHash);
        return "00000000".substring(hex.length()) + hex;
    }

    /** A stack: its frames, innermost first, and the thread (and, for a recording, the file) it was taken in. */
    public static final class Stack {
        static final Stack NONE = new Stack(Collections.<CodeSite>emptyList(), null, null);

        private final List<CodeSite> frames;
        private final String thread;
        private final String origin;

        private Stack(List<CodeSite> frames, String thread, String origin) {
            this.frames = frames;
            this.thread = thread;
            this.origin = origin;
        }

        public static Stack of(Trace trace) {
            return trace == null ? NONE
                    : new Stack(Collections.unmodifiableList(Arrays.asList(trace.frames.clone())), trace.threadLabel,
                    trace.origin);
        }

        public List<CodeSite> frames() {
            return frames;
        }

        /** {@code name/id}, or null. */
        public String thread() {
            return thread;
        }

        /** The recording it was read from ({@code a.json (pid 4242)}), or null for a live stack. */
        public String origin() {
            return origin;
        }

        /** The frames as stack-trace lines ({@code com.x.Inode.write(Ntfs.java:57)}). */
        public List<String> lines() {
            List<String> lines = new ArrayList<>(frames.size());
            for (CodeSite f : frames) {
                lines.add(f.longForm());
            }
            return Collections.unmodifiableList(lines);
        }
    }

    /**
     * One entry of the text's dependency chain ({@code -> #n}): a lock as the dependency recorded it, and the stack
     * that recorded it.
     */
    public static final class Step {
        private final Lock lock;
        private final Stack stack;

        Step(Lock lock, Stack stack) {
            this.lock = lock;
            this.stack = stack;
        }

        public Lock lock() {
            return lock;
        }

        public Stack stack() {
            return stack;
        }
    }

    /** The "possible unsafe locking scenario": one or two columns of lock, rlock, wait and notify lines. */
    public static final class Scenario {
        private final List<String> columns;
        private final List<Action> actions;
        private final String note;

        public Scenario(List<String> columns, List<Action> actions, String note) {
            this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
            this.actions = Collections.unmodifiableList(new ArrayList<>(actions));
            this.note = note;
        }

        /** The column headings: {@code Thread A}, {@code Thread B}; {@code Waiter}, {@code Notifier}. */
        public List<String> columns() {
            return columns;
        }

        public List<Action> actions() {
            return actions;
        }

        /** A sentence under the scenario (what else it needs to deadlock), or null. */
        public String note() {
            return note;
        }
    }

    /** One line of a scenario: which column's thread does what to which lock. */
    public static final class Action {
        /** What the thread does. */
        public enum Verb {
            LOCK("lock"), RLOCK("rlock"), WAIT("wait"), NOTIFY("notify"),
            /** A call named by the action itself ({@code get}, {@code countDown}...): a wait or an event. */
            CALL("call");

            private final String word;

            Verb(String word) {
                this.word = word;
            }

            public String word() {
                return word;
            }
        }

        private final int column;
        private final Verb verb;
        private final String word;
        private final String lock;

        public Action(int column, Verb verb, String lock) {
            this(column, verb, verb.word(), lock);
        }

        private Action(int column, Verb verb, String word, String lock) {
            this.column = column;
            this.verb = verb;
            this.word = word;
            this.lock = lock;
        }

        /** A call of a wait or event method, {@code get(task Refresh)}, {@code countDown(Service.ready)}. */
        public static Action call(int column, String method, String on) {
            return new Action(column, Verb.CALL, method, on);
        }

        /** Taking a lock in {@code mode}: {@code lock} when exclusive, {@code rlock} otherwise. */
        public static Action take(int column, int mode, String lock) {
            return new Action(column, mode == Mode.EXCLUSIVE ? Verb.LOCK : Verb.RLOCK, lock);
        }

        public int column() {
            return column;
        }

        public Verb verb() {
            return verb;
        }

        /** The word the scenario shows: the verb's, or a call's method name. */
        public String word() {
            return word;
        }

        /** The lock's name as the scenario shows it (a class, or a class and an instance). */
        public String lock() {
            return lock;
        }
    }

    /**
     * What a wait-for finding adds: which side the reporting thread is on, how the producer needed the lock, the
     * calls that wait for and produce the event, and the wait's time limit. {@link Finding#acquiring()} is what the
     * reporting thread is about to do (the event it waits for or produces, or the lock it takes in the task whose
     * completion is awaited); {@link Finding#holding()} the lock it conflicts with (the event, for that task); the one
     * {@link Finding#steps() step} the other side.
     */
    public static final class Wait {
        /** The reporting thread's side. */
        public enum Role {
            /** About to wait for the event, holding the lock. */
            WAITER,
            /** Running a task whose completion is awaited, about to take the lock. */
            TAKING,
            /** About to produce the event, holding the lock or after taking it. */
            PRODUCING
        }

        /** How the producer needed the lock (or a pool's worker). */
        public enum Need {
            /** Taken in the run of the task whose completion is the event. */
            TAKEN_IN_TASK,
            /** Held when the producer produced the event. */
            HELD,
            /** Taken, and given back, before the producer produced the event. */
            TAKEN_BEFORE,
            /** A worker of the bounded pool the awaited task was handed to, which the waiter occupies. */
            POOL_WORKER
        }

        private final Role role;
        private final Need need;
        private final String waitCall;
        private final String produceCall;
        private final String producer;
        private final long timeoutMillis;

        /**
         * @param waitCall     the call that waits ({@code get}, {@code await}...)
         * @param produceCall  the call (or what happens) that produces the event ({@code countDown}, {@code complete})
         * @param producer     what the producer was running ({@code task Refresh}), or null
         * @param timeoutMillis how long the wait gives up after, -1 when it never does
         */
        public Wait(Role role, Need need, String waitCall, String produceCall, String producer, long timeoutMillis) {
            this.role = role;
            this.need = need;
            this.waitCall = waitCall;
            this.produceCall = produceCall;
            this.producer = producer;
            this.timeoutMillis = timeoutMillis;
        }

        public Role role() {
            return role;
        }

        public Need need() {
            return need;
        }

        public String waitCall() {
            return waitCall;
        }

        public String produceCall() {
            return produceCall;
        }

        /** What the producer was running ({@code task Refresh}), or null for a thread's own code. */
        public String producer() {
            return producer;
        }

        /** How long the wait gives up after, in milliseconds; -1 when it never does. */
        public long timeoutMillis() {
            return timeoutMillis;
        }
    }

    /** One dependency of a chain: a lock of class {@code from} was held when one of class {@code to} was taken. */
    public static final class Link {
        private final Lock from;
        private final Lock to;
        private final List<String> stack;
        private final String thread;
        private final String origin;

        Link(Lock from, Lock to, Trace trace) {
            this.from = from;
            this.to = to;
            this.stack = frames(trace);
            this.thread = trace == null ? null : trace.threadLabel;
            this.origin = trace == null ? null : trace.origin;
        }

        public Lock from() {
            return from;
        }

        public Lock to() {
            return to;
        }

        /** The stack of the acquisition that first created this dependency, innermost frame first. */
        public List<String> stack() {
            return stack;
        }

        /** The thread ({@code name/id}) whose acquisition created this dependency, or null. */
        public String thread() {
            return thread;
        }

        /**
         * Where this dependency was recorded, for a chain merged from several JSON files ({@code a.json (pid 4242)});
         * null for a live finding.
         */
        public String origin() {
            return origin;
        }
    }

    /** One entry of a thread's held-lock stack. */
    public static final class Held {
        /** Whether the thread has the lock right now. */
        public enum State {
            HELD,
            /** Recorded before the thread could block, and not got yet: it may be waiting for it. */
            ACQUIRING,
            /** Given back for the duration of a wait (Object.wait, Condition.await), taken again after it. */
            GIVEN_BACK_FOR_WAIT
        }

        private final Lock lock;
        private final boolean trylock;
        private final State state;

        public Held(Lock lock, boolean trylock, State state) {
            this.lock = lock;
            this.trylock = trylock;
            this.state = state;
        }

        public Lock lock() {
            return lock;
        }

        public boolean trylock() {
            return trylock;
        }

        public State state() {
            return state;
        }
    }

    /** A thread taking part in a finding: what it holds, what it waits for (or null), its stack. */
    public static final class Party {
        private final String thread;
        private final String threadKind;
        private final Lock waitingFor;
        private final List<Held> held;
        private final boolean allHeldKnown;
        private final Stack trace;
        private final List<String> stack;
        private final String blockedBy;
        private final String blockedReason;

        private Party(String thread, String threadKind, Lock waitingFor, List<Held> held, boolean allHeldKnown,
                      Stack trace, String blockedBy, String blockedReason) {
            this.thread = thread;
            this.threadKind = threadKind;
            this.waitingFor = waitingFor;
            this.held = Collections.unmodifiableList(new ArrayList<>(held));
            this.allHeldKnown = allHeldKnown;
            this.trace = trace;
            this.stack = trace.lines();
            this.blockedBy = blockedBy;
            this.blockedReason = blockedReason;
        }

        /**
         * A thread holding {@code held} (bottom first), waiting for {@code waitingFor} (or null), at {@code trace};
         * {@code allHeldKnown} is false for a thread recorded in a file, of which only some held locks are known.
         */
        public static Party of(String thread, String threadKind, Lock waitingFor, List<Held> held,
                               boolean allHeldKnown, Trace trace) {
            return new Party(thread, threadKind, waitingFor, held, allHeldKnown, Stack.of(trace), null, null);
        }

        /** This party, stuck: {@code reason} ({@code but it is held by}) names the thread {@code by} it waits for. */
        public Party blockedBy(String by, String reason) {
            return new Party(thread, threadKind, waitingFor, held, allHeldKnown, trace, by, reason);
        }

        /** {@code name/id}. */
        public String thread() {
            return thread;
        }

        /** {@code virtual}, {@code daemon}, or null for a plain (or unknown) platform thread. */
        public String threadKind() {
            return threadKind;
        }

        public Lock waitingFor() {
            return waitingFor;
        }

        public List<Held> held() {
            return held;
        }

        /** False when only some of the held locks are known (a thread recorded in a file). */
        public boolean allHeldKnown() {
            return allHeldKnown;
        }

        /** The stack as stack-trace lines, innermost first. */
        public List<String> stack() {
            return stack;
        }

        /** The stack as frames, with the file it was recorded in, if any. */
        public Stack trace() {
            return trace;
        }

        /** For a real deadlock: the thread ({@code name/id}) this one waits for, or null. */
        public String blockedBy() {
            return blockedBy;
        }

        /** For a real deadlock: why {@link #blockedBy()} blocks it ({@code but it is held by}), or null. */
        public String blockedReason() {
            return blockedReason;
        }
    }

    private final Kind kind;
    private final String id;
    private final String suppression;
    private final String title;
    private final String subtitle;
    private final String text;
    private final long timeMillis;
    private final List<Lock> locks;
    private final List<Link> chain;
    private final List<Party> parties;
    private final Lock acquiring;
    private final Lock holding;
    private final List<Step> steps;
    private final List<String> notes;
    private final Scenario scenario;
    private final Wait wait;
    private final int limit;
    private final long waitTimeoutNanos;

    private Finding(Builder b, String id, String text) {
        this.kind = b.kind;
        this.id = id;
        this.suppression = null;
        this.title = b.title;
        this.subtitle = b.subtitle;
        this.text = text;
        this.timeMillis = b.timeMillis;
        this.locks = Collections.unmodifiableList(new ArrayList<>(b.locks));
        this.chain = Collections.unmodifiableList(new ArrayList<>(b.chain));
        this.parties = Collections.unmodifiableList(new ArrayList<>(b.parties));
        this.acquiring = b.acquiring;
        this.holding = b.holding;
        this.steps = Collections.unmodifiableList(new ArrayList<>(b.steps));
        this.notes = Collections.unmodifiableList(new ArrayList<>(b.notes));
        this.scenario = b.scenario;
        this.wait = b.wait;
        this.limit = b.limit;
        this.waitTimeoutNanos = b.waitTimeoutNanos;
    }

    /** A copy of {@code base} with these notes and this text. */
    private Finding(Finding base, List<String> notes, String text) {
        this.kind = base.kind;
        this.id = base.id;
        this.suppression = base.suppression;
        this.title = base.title;
        this.subtitle = base.subtitle;
        this.text = text;
        this.timeMillis = base.timeMillis;
        this.locks = base.locks;
        this.chain = base.chain;
        this.parties = base.parties;
        this.acquiring = base.acquiring;
        this.holding = base.holding;
        this.steps = base.steps;
        this.notes = notes;
        this.scenario = base.scenario;
        this.wait = base.wait;
        this.limit = base.limit;
        this.waitTimeoutNanos = base.waitTimeoutNanos;
    }

    /** This finding with one more sentence under "other info", its text rendered again by {@code renderer}. */
    public Finding withNote(String sentence, Function<Finding, String> renderer) {
        List<String> more = new ArrayList<>(notes);
        more.add(sentence);
        List<String> fixed = Collections.unmodifiableList(more);
        return new Finding(this, fixed, renderer.apply(new Finding(this, fixed, null)));
    }

    private Finding(Finding f, String suppression) {
        this.kind = f.kind;
        this.id = f.id;
        this.suppression = suppression;
        this.title = f.title;
        this.subtitle = f.subtitle;
        this.text = f.text;
        this.timeMillis = f.timeMillis;
        this.locks = f.locks;
        this.chain = f.chain;
        this.parties = f.parties;
        this.acquiring = f.acquiring;
        this.holding = f.holding;
        this.steps = f.steps;
        this.notes = f.notes;
        this.scenario = f.scenario;
        this.wait = f.wait;
        this.limit = f.limit;
        this.waitTimeoutNanos = f.waitTimeoutNanos;
    }

    /** One of jlockdep's one-line messages, for embedding listeners. */
    public static Finding message(String text) {
        return new Finding(new Builder(Kind.MESSAGE, "jlockdep", null), null, text);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The stable identifier ({@code circular-dependency-9f3c0a6b51d2e847}): the same for the same problem in every
     * run; see {@link FindingId} for what it is made of. Null for a {@link Kind#MESSAGE}.
     */
    public String id() {
        return id;
    }

    /** This finding, silenced by a suppression file for {@code reason}. */
    public Finding suppressed(String reason) {
        return new Finding(this, reason);
    }

    /** True when a suppression file silences it: counted and recorded, never printed, failing nothing. */
    public boolean isSuppressed() {
        return suppression != null;
    }

    /** Why it is suppressed (the reason in the suppression file), or null when it is not. */
    public String suppression() {
        return suppression;
    }

    /** The header line, e.g. {@code WARNING: possible circular locking dependency detected}. */
    public String title() {
        return title;
    }

    /** The line under the title: jlockdep's version and the JVM, or the recordings a merged finding comes from. */
    public String subtitle() {
        return subtitle;
    }

    /** The whole report as printed (lockdep's text, rendered from this model once, when it was built). */
    public String text() {
        return text;
    }

    public long timeMillis() {
        return timeMillis;
    }

    /**
     * The locks the finding is about: for a cycle, the lock being acquired first, then the classes of the chain; for
     * the other kinds, the lock acted on and the one it conflicts with.
     */
    public List<Lock> locks() {
        return locks;
    }

    /**
     * The locks the finding is about, for a summary: {@link #locks()}, or when it names none, the lock acted on, or
     * else the reporting thread's held locks (a thread that ended holding them).
     */
    public List<Lock> subjects() {
        if (!locks.isEmpty()) {
            return locks;
        }
        if (acquiring != null) {
            return List.of(acquiring);
        }
        List<Lock> held = new ArrayList<>();
        if (!parties.isEmpty()) {
            for (Held h : parties.get(0).held()) {
                held.add(h.lock());
            }
        }
        return held;
    }

    /** The dependency chain of a cycle, in order: each link's {@code to} is the next link's {@code from}. */
    public List<Link> chain() {
        return chain;
    }

    /**
     * The threads involved: the reporting thread first (its held locks and stack); for a real deadlock, each stuck
     * thread.
     */
    public List<Party> parties() {
        return parties;
    }

    /** The reporting thread ({@code name/id}), or null. */
    public String thread() {
        return parties.isEmpty() ? null : parties.get(0).thread;
    }

    /** The lock the reporting thread is acquiring, waiting on, notifying or releasing, or null. */
    public Lock acquiring() {
        return acquiring;
    }

    /** The held lock it conflicts with, or null. */
    public Lock holding() {
        return holding;
    }

    /**
     * The dependency chain as the text shows it: step 0 is the acquisition being reported, step n the n-th dependency
     * of the existing chain (for a wait/notify finding, the other side's only step).
     */
    public List<Step> steps() {
        return steps;
    }

    /** Sentences that explain the finding ("other info that might help us debug this"). */
    public List<String> notes() {
        return notes;
    }

    /** The possible unsafe locking scenario, or null. */
    public Scenario scenario() {
        return scenario;
    }

    /** For a wait-for finding, its sides and calls; else null. */
    public Wait waitFor() {
        return wait;
    }

    /** The limit involved: the depth limit for MAX_LOCK_DEPTH, the watchdog's milliseconds for DEADLOCK; else 0. */
    public int limit() {
        return limit;
    }

    /**
     * For a wait/notify finding whose wait has a timeout ({@code wait(100)}, {@code await(1, SECONDS)}): the timeout in
     * nanoseconds; -1 when the wait has none, and for every other kind.
     */
    public long waitTimeoutNanos() {
        return waitTimeoutNanos;
    }

    @Override
    public String toString() {
        return text;
    }

    /** A captured stack as stack-trace lines, innermost first; empty for null. */
    public static List<String> frames(Trace trace) {
        return Stack.of(trace).lines();
    }

    /**
     * Collects a finding's data; {@link #build} renders its text once, at the end. Internal: used by the report
     * builders and the offline merge.
     */
    public static final class Builder {
        private final Kind kind;
        private final String title;
        private final String subtitle;
        private final long timeMillis = System.currentTimeMillis();
        private final List<Lock> locks = new ArrayList<>(4);
        private final List<Link> chain = new ArrayList<>(4);
        private final List<Party> parties = new ArrayList<>(2);
        private final List<Step> steps = new ArrayList<>(4);
        private final List<String> notes = new ArrayList<>(2);
        private Lock acquiring;
        private Lock holding;
        private Scenario scenario;
        private Wait wait;
        private int limit;
        private long waitTimeoutNanos = -1L;

        public Builder(Kind kind, String title, String subtitle) {
            this.kind = kind;
            this.title = title;
            this.subtitle = subtitle;
        }

        /** A lock the finding is about ({@link Finding#locks()}). */
        public Lock lock(LockClass c, int mode, CodeSite site) {
            return lock(Lock.of(c, mode, site, null));
        }

        public Lock lock(Lock l) {
            locks.add(l);
            return l;
        }

        public Builder link(Lock from, Lock to, Trace trace) {
            chain.add(new Link(from, to, trace));
            return this;
        }

        public Builder party(Party p) {
            parties.add(p);
            return this;
        }

        public Builder acquiring(Lock l) {
            acquiring = l;
            return this;
        }

        public Builder holding(Lock l) {
            holding = l;
            return this;
        }

        public Builder step(Lock l, Trace stack) {
            steps.add(new Step(l, Stack.of(stack)));
            return this;
        }

        public Builder note(String sentence) {
            notes.add(sentence);
            return this;
        }

        public Builder scenario(Scenario s) {
            scenario = s;
            return this;
        }

        public Builder waitFor(Wait w) {
            wait = w;
            return this;
        }

        public Builder limit(int n) {
            limit = n;
            return this;
        }

        public Builder waitTimeout(long nanos) {
            waitTimeoutNanos = nanos;
            return this;
        }

        /** The finding, with its identifier and its text as {@code renderer} writes it from the finished model. */
        public Finding build(Function<Finding, String> renderer) {
            String id = FindingId.of(new Finding(this, null, null));
            return new Finding(this, id, renderer.apply(new Finding(this, id, null)));
        }
    }
}
