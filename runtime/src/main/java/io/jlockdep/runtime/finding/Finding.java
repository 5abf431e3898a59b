package io.jlockdep.runtime.finding;

import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One report: the text as printed, and the same facts as data for the machine-readable sinks (JSON, JFR, JMX, the
 * JUnit extension). Immutable once built; holds strings only, never a lock, a thread or an application class.
 */
public final class Finding {
    /** What was found. {@link #id()} is the stable name used in JSON and JFR. */
    public enum Kind {
        CIRCULAR_DEPENDENCY("circular-dependency"),
        RECURSIVE_LOCKING("recursive-locking"),
        WAIT_NOTIFY("wait-notify"),
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

    /** A lock as a finding names it: its class, how it was taken, and where. */
    public static final class Lock {
        private final String name;
        private final String key;
        private final String lockType;
        private final String kind;
        private final String declaredAt;
        private final String acquiredAt;

        Lock(LockClass c, int mode, CodeSite acquiredAt) {
            this.name = c.name();
            this.key = c.key();
            this.lockType = c.type().displayName();
            this.kind = c.type().kind(mode);
            this.declaredAt = c.declaredAt() == null ? null : c.declaredAt().longForm();
            this.acquiredAt = acquiredAt == null ? null : acquiredAt.shortForm();
        }

        /** The lock class, e.g. {@code Inode.iRwsem} or {@code monitor of com.x.Account}. */
        public String name() {
            return name;
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
            return declaredAt;
        }

        /** Where this acquisition happened ({@code Inode.write(Ntfs.java:57)}), or null. */
        public String acquiredAt() {
            return acquiredAt;
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
        private final Lock lock;
        private final boolean trylock;

        Held(HeldLock h) {
            this.lock = new Lock(h.lockClass(), h.mode(), h.acquireSite());
            this.trylock = h.trylock();
        }

        public Lock lock() {
            return lock;
        }

        public boolean trylock() {
            return trylock;
        }
    }

    /** A thread taking part in a finding: what it holds, what it waits for (or null), its stack. */
    public static final class Party {
        private final String thread;
        private final Lock waitingFor;
        private final List<Held> held;
        private final List<String> stack;

        Party(String thread, Lock waitingFor, List<Held> held, List<String> stack) {
            this.thread = thread;
            this.waitingFor = waitingFor;
            this.held = Collections.unmodifiableList(held);
            this.stack = Collections.unmodifiableList(stack);
        }

        /** {@code name/id}. */
        public String thread() {
            return thread;
        }

        public Lock waitingFor() {
            return waitingFor;
        }

        public List<Held> held() {
            return held;
        }

        public List<String> stack() {
            return stack;
        }
    }

    private final Kind kind;
    private final String title;
    private final String text;
    private final long timeMillis;
    private final List<Lock> locks;
    private final List<Link> chain;
    private final List<Party> parties;

    private Finding(Kind kind, String title, String text, List<Lock> locks, List<Link> chain, List<Party> parties) {
        this.kind = kind;
        this.title = title;
        this.text = text;
        this.timeMillis = System.currentTimeMillis();
        this.locks = Collections.unmodifiableList(locks);
        this.chain = Collections.unmodifiableList(chain);
        this.parties = Collections.unmodifiableList(parties);
    }

    /** One of jlockdep's one-line messages, for embedding listeners. */
    public static Finding message(String text) {
        return new Finding(Kind.MESSAGE, "jlockdep", text, Collections.<Lock>emptyList(),
                Collections.<Link>emptyList(), Collections.<Party>emptyList());
    }

    public Kind kind() {
        return kind;
    }

    /** The header line, e.g. {@code WARNING: possible circular locking dependency detected}. */
    public String title() {
        return title;
    }

    /** The whole report as printed. */
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

    @Override
    public String toString() {
        return text;
    }

    public static List<String> frames(Trace trace) {
        if (trace == null) {
            return Collections.emptyList();
        }
        List<String> frames = new ArrayList<>(trace.frames.length);
        for (CodeSite f : trace.frames) {
            frames.add(f.longForm());
        }
        return Collections.unmodifiableList(frames);
    }

    /** Collects a finding's data while {@link Reports} writes its text. */
    public static final class Builder {
        private final Kind kind;
        private final String title;
        private final List<Lock> locks = new ArrayList<>(4);
        private final List<Link> chain = new ArrayList<>(4);
        private final List<Party> parties = new ArrayList<>(2);

        public Builder(Kind kind, String title) {
            this.kind = kind;
            this.title = title;
        }

        public Lock lock(LockClass c, int mode, CodeSite site) {
            Lock l = new Lock(c, mode, site);
            locks.add(l);
            return l;
        }

        public Builder link(Lock from, Lock to, Trace trace) {
            chain.add(new Link(from, to, trace));
            return this;
        }

        /** A thread with its held locks as they are now. */
        public Builder party(ThreadState ts, Lock waitingFor, Trace stack) {
            return party(Reports.Actor.of(ts), waitingFor, stack);
        }

        public Builder party(Reports.Actor actor, Lock waitingFor, Trace stack) {
            List<Held> held = new ArrayList<>(actor.depth);
            for (int i = 0; i < actor.depth; i++) {
                held.add(new Held(actor.held[i]));
            }
            parties.add(new Party(actor.label, waitingFor, held, frames(stack)));
            return this;
        }

        public Builder party(Party p) {
            parties.add(p);
            return this;
        }

        public Finding build(String text) {
            return new Finding(kind, title, text, locks, chain, parties);
        }
    }
}
