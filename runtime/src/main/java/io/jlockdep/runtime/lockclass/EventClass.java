package io.jlockdep.runtime.lockclass;

/**
 * An event class: what lock classes are for locks, for the things a thread waits for that are not locks (a task's
 * completion, a latch reaching zero, a queue's element, a thread's end). Every latch allocated at one site (or stored
 * into one field, {@code Service.ready}) is one class; every task of one type (a lambda: written at one place and
 * submitted at one site) is one class; so what one run saw of a producer is held against every waiter of that class.
 * Holds names only, never an application object, class or class loader (its records hold lock instances weakly).
 *
 * <p>Its records are the wait-for check's ({@code io.jlockdep.runtime.WaitFor}), which writes them under its own lock
 * and reads them without.
 */
public final class EventClass {
    final int id;
    final String key;
    final String name;
    final EventType type;
    /** Where the synchronizers of this class are allocated (or the tasks first submitted), when known. */
    final CodeSite declaredAt;

    public static final Need[] NO_NEEDS = new Need[0];
    public static final Waiter[] NO_WAITERS = new Waiter[0];
    /** The locks a producer of this event needed before producing it. */
    public volatile Need[] needs = NO_NEEDS;
    /** The locks a thread held while it waited for this event. */
    public volatile Waiter[] waiters = NO_WAITERS;

    EventClass(int id, String key, String name, EventType type, CodeSite declaredAt) {
        this.id = id;
        this.key = key;
        this.name = name;
        this.type = type;
        this.declaredAt = declaredAt;
    }

    public int id() {
        return id;
    }

    /** What identifies the class across runs and JVMs: the field, allocation site or task type it is keyed by. */
    public String key() {
        return key;
    }

    public String name() {
        return name;
    }

    public EventType type() {
        return type;
    }

    public CodeSite declaredAt() {
        return declaredAt;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * What both kinds of record share: a lock class, the strongest mode seen, the first stack that showed it, and the
     * lock instances seen with the threads that held them when they themselves waited or produced the event
     * ({@link SeenHolds}: a conflict needs the very lock, in another thread). A thread that holds a lock when it
     * produces an event and then waits for that event (arrives at a meeting, then waits for the others) does not
     * conflict with itself; another thread that needs the lock to arrive does.
     */
    public abstract static class Record {
        final LockClass lock;
        final int mode;
        final Trace trace;
        private final SeenHolds seen;

        Record(LockClass lock, int mode, Trace trace, Record old, Object instance, long thread) {
            this(lock, mode, trace, SeenHolds.of(old == null ? null : old.seen, instance, thread));
        }

        private Record(LockClass lock, int mode, Trace trace, SeenHolds seen) {
            this.lock = lock;
            this.mode = mode;
            this.trace = trace;
            this.seen = seen;
        }

        public LockClass lock() {
            return lock;
        }

        public int mode() {
            return mode;
        }

        /** The first stack that showed this record (see each kind for whose). */
        public Trace trace() {
            return trace;
        }

        SeenHolds seen() {
            return seen;
        }

        /** Whether this record has seen {@code instance} for {@code thread} already. */
        public boolean has(Object instance, long thread) {
            return seen.has(instance, thread);
        }

        /** Whether a hold (or need) of {@code instance} by {@code thread} (0: any thread) meets this record. */
        public boolean meets(Object instance, long thread) {
            return seen.meets(instance, thread);
        }
    }

    /** A lock held while waiting for an event of this class. Its trace is the wait's (the wait method first). */
    public static final class Waiter extends Record {
        final CodeSite heldAt;
        final long timeoutMillis;

        /** A record of {@code old}'s (or null) plus {@code instance}, held by {@code thread}. */
        public Waiter(LockClass lock, int mode, CodeSite heldAt, Trace trace, long timeoutMillis, Waiter old,
                      Object instance, long thread) {
            super(lock, mode, trace, old, instance, thread);
            this.heldAt = heldAt;
            this.timeoutMillis = timeoutMillis;
        }

        /** The same record, one more instance seen. */
        public Waiter with(Object instance, long thread) {
            return new Waiter(lock, mode, heldAt, trace, timeoutMillis, this, instance, thread);
        }

        /** Where the waiting thread took the lock it held. */
        public CodeSite heldAt() {
            return heldAt;
        }

        /** How long the wait gives up after, in milliseconds, or -1 when it never does. */
        public long timeoutMillis() {
            return timeoutMillis;
        }

        /** A wait adds no stack to this record: as strong a hold, and not untimed where this one is timed. */
        public boolean covers(int otherMode, long otherTimeout) {
            return (mode == Mode.EXCLUSIVE || otherMode != Mode.EXCLUSIVE) && (timeoutMillis < 0 || otherTimeout >= 0);
        }
    }

    /** A lock a producer needed before producing an event of this class. */
    public static final class Need extends Record {
        /** How the producer needed the lock, which says what the trace is. */
        public enum How {
            /** Taken in the run of the task whose completion is the event: the trace is the acquisition's. */
            TAKEN_IN_TASK,
            /** Held when the producer produced the event: the trace is the event's. */
            HELD,
            /** Taken (and given back) before the producer produced the event: the trace is the event's. */
            TAKEN_BEFORE
        }

        final How how;
        final CodeSite takenAt;
        final String context;

        public Need(LockClass lock, int mode, How how, Trace trace, CodeSite takenAt, String context, Need old,
                    Object instance, long thread) {
            super(lock, mode, trace, old, instance, thread);
            this.how = how;
            this.takenAt = takenAt;
            this.context = context;
        }

        private Need(Need old, SeenHolds seen) {
            super(old.lock, old.mode, old.trace, seen);
            this.how = old.how;
            this.takenAt = old.takenAt;
            this.context = old.context;
        }

        /** The same record, one more instance seen. */
        public Need with(Object instance, long thread) {
            return new Need(lock, mode, how, trace, takenAt, context, this, instance, thread);
        }

        /** The same record, the first {@code count} of {@code instances} seen too (in that order). */
        public Need with(Object[] instances, int count, long thread) {
            return new Need(this, SeenHolds.of(seen(), instances, count, thread));
        }

        public How how() {
            return how;
        }

        /** Where the producer took the lock, when known. */
        public CodeSite takenAt() {
            return takenAt;
        }

        /** What the producer was running ({@code task RefreshTask}), or null for a thread's own code. */
        public String context() {
            return context;
        }

        /** A need adds no stack to this record: as strong. */
        public boolean covers(int otherMode) {
            return mode == Mode.EXCLUSIVE || otherMode != Mode.EXCLUSIVE;
        }
    }
}
