package io.jlockdep;

import io.jlockdep.runtime.Annotations;
import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.text.LockdepText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Annotations for jlockdep, lockdep's for the JVM. Every method is a no-op when the agent is not running, so the calls
 * can stay in production code.
 *
 * <p>{@code lock} arguments are the objects the program locks: a monitor object, a {@code ReentrantLock}, a
 * {@code ReentrantReadWriteLock} (or one of its views), or a {@code StampedLock}.
 *
 * <p>Programs compile against the jlockdep-api artifact, a no-op copy of this class with the same public members (its
 * SameMembersTest keeps them so). Under the agent this copy, on the boot class path, is the one every class loader
 * finds first.
 */
public final class Lockdep {
    private static final Off NO_OP = () -> { };
    private static final Off TURN_ON = Lockdep::on;

    private Lockdep() {
    }

    /** True when the agent is running and checking. */
    public static boolean isActive() {
        return Engine.isEnabled();
    }

    /**
     * True when the jlockdep agent started in this JVM, even if checking has since turned itself off (a table full,
     * an internal error); false when the program runs without the agent.
     */
    public static boolean isAttached() {
        return Engine.isStarted();
    }

    /**
     * How many findings (distinct reports) this JVM has had so far; 0 without the agent. Read it before and after a
     * piece of work: the findings numbered from the first value up to the second were reported meanwhile, by any
     * thread, and {@link #reports} gives their text. This is how the JUnit extension fails the test that was running.
     * Findings listed in the suppression file ({@code suppress=<file>}) are not counted: they fail nothing.
     */
    public static long findingCount() {
        return Engine.findingCount();
    }

    /**
     * The reports, as printed, of the findings numbered {@code from} (inclusive) to {@code to} (exclusive), counting
     * from 0 as {@link #findingCount} does. Only the latest 1024 findings are remembered, so when older ones are
     * asked for, the list is shorter and holds the newest of the range.
     */
    public static List<String> reports(long from, long to) {
        List<Finding> findings = Engine.findings(from, to);
        List<String> texts = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            texts.add(f.text());
        }
        return texts;
    }

    /**
     * The same findings as {@link #reports}, each in one line: what was found, the locks and where
     * ({@code possible circular locking dependency: Ledger.lock -> Account.lock -> Ledger.lock at
     * Bank.audit(Bank.java:50)}).
     */
    public static List<String> headlines(long from, long to) {
        List<Finding> findings = Engine.findings(from, to);
        List<String> lines = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            lines.add(LockdepText.headline(f));
        }
        return lines;
    }

    /**
     * For a test framework that shows each report in the failure of the test it belongs to (as the JUnit extension
     * does): from now on a finding is announced in one line where reports are printed, not printed whole, so the
     * report is read once, in the failure. The framework confirms each one it showed with {@link #reportShown};
     * those it never showed are printed whole when the JVM exits.
     */
    public static void deliverReportsThroughTests() {
        if (Engine.isStarted()) {
            Engine.deliverReportsThroughTests();
        }
    }

    /** The finding numbered {@code number} (as {@link #findingCount} counts) was shown in a test failure. */
    public static void reportShown(long number) {
        if (Engine.isStarted()) {
            Engine.delivered(number);
        }
    }

    /**
     * Puts the lock in the lock class {@code name} (lockdep_set_class_and_name): all locks given one name are one
     * class. Use it when the allocation site or field does not say what the lock protects.
     */
    public static void setClass(Object lock, String name) {
        if (Engine.isEnabled()) {
            Annotations.setClass(lock, name);
        }
    }

    /**
     * The next lock this thread takes gets subclass {@code subclass} (1 to 7) of its class (mutex_lock_nested):
     * deliberate nesting of two locks of one class, such as a parent node then a child, is then an order between two
     * classes, and the reverse order is reported.
     */
    public static void nested(int subclass) {
        if (subclass < 1 || subclass > 7) {
            throw new IllegalArgumentException("subclass must be 1 to 7, was " + subclass);
        }
        if (Engine.isEnabled()) {
            Annotations.nested(subclass);
        }
    }

    /** {@code nested(subclass)} then {@code lock.lock()}. */
    public static void lockNested(Lock lock, int subclass) {
        nested(subclass);
        lock.lock();
    }

    /**
     * Declares the order in which instances of this lock's class may be nested (lock_set_cmp_fn): taking {@code b}
     * while holding {@code a} of the same class is fine when {@code order.compare(a, b) < 0}, and reported otherwise.
     * The comparator receives the locks as the program uses them (the monitor, the Lock).
     */
    public static void setOrder(Object lock, Comparator<?> order) {
        if (Engine.isEnabled()) {
            Annotations.setOrder(lock, order);
        }
    }

    /** Throws an {@link AssertionError} naming the lock and the held locks unless this thread holds it. */
    public static void assertHeld(Object lock) {
        if (Engine.isEnabled()) {
            String failure = Annotations.held(lock, true);
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }
    }

    /** Throws an {@link AssertionError} if this thread holds the lock. */
    public static void assertNotHeld(Object lock) {
        if (Engine.isEnabled()) {
            String failure = Annotations.held(lock, false);
            if (failure != null) {
                throw new AssertionError(failure);
            }
        }
    }

    /**
     * Stops checking this thread's acquisitions until the returned scope is closed (lockdep_off/on); locks taken
     * meanwhile are only recorded. Scopes nest.
     * <pre>try (Lockdep.Off off = Lockdep.off()) { ... }</pre>
     */
    public static Off off() {
        if (!Engine.isEnabled()) {
            return NO_OP;
        }
        Annotations.off();
        return TURN_ON;
    }

    /** Ends the innermost {@link #off()} scope of this thread. */
    public static void on() {
        if (Engine.isEnabled()) {
            Annotations.on();
        }
    }

    /** An {@link #off()} scope. */
    @FunctionalInterface
    public interface Off extends AutoCloseable {
        @Override
        void close();
    }
}
