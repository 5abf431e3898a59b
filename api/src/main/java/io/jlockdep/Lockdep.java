package io.jlockdep;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Annotations for jlockdep, lockdep's for the JVM. This is the {@code jlockdep-api} artifact's copy, for application
 * and test code: without the agent every call is a no-op (nothing checked, no finding), so the calls can stay in
 * production code. Under the agent this class is never loaded: the agent puts the runtime's
 * {@code io.jlockdep.Lockdep}, with the same public members, on the boot class path, and class loaders ask their
 * parent first, so that one is used.
 *
 * <p>{@code lock} arguments are the objects the program locks: a monitor object, a {@code ReentrantLock}, a
 * {@code ReentrantReadWriteLock} (or one of its views), or a {@code StampedLock}.
 */
public final class Lockdep {
    private static final Off NO_OP = () -> { };

    private Lockdep() {
    }

    /** True when the agent is running and checking. */
    public static boolean isActive() {
        return false;
    }

    /**
     * True when the jlockdep agent started in this JVM, even if checking has since turned itself off (a table full,
     * an internal error); false when the program runs without the agent.
     */
    public static boolean isAttached() {
        return false;
    }

    /**
     * How many findings (distinct reports) this JVM has had so far; 0 without the agent. Read it before and after a
     * piece of work: the findings numbered from the first value up to the second were reported meanwhile, by any
     * thread, and {@link #reports} gives their text. This is how the JUnit extension fails the test that was running.
     */
    public static long findingCount() {
        return 0;
    }

    /**
     * The reports, as printed, of the findings numbered {@code from} (inclusive) to {@code to} (exclusive), counting
     * from 0 as {@link #findingCount} does. Only the latest 1024 findings are remembered, so when older ones are
     * asked for, the list is shorter and holds the newest of the range.
     */
    public static List<String> reports(long from, long to) {
        return List.of();
    }

    /** The same findings as {@link #reports}, each in one line; none without the agent. */
    public static List<String> headlines(long from, long to) {
        return List.of();
    }

    /** For a test framework that shows each report in its test's failure; nothing to do without the agent. */
    public static void deliverReportsThroughTests() {
    }

    /** The finding numbered {@code number} was shown in a test failure; nothing to do without the agent. */
    public static void reportShown(long number) {
    }

    /**
     * Puts the lock in the lock class {@code name} (lockdep_set_class_and_name): all locks given one name are one
     * class. Use it when the allocation site or field does not say what the lock protects.
     */
    public static void setClass(Object lock, String name) {
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
    }

    /** Throws an {@link AssertionError} naming the lock and the held locks unless this thread holds it. */
    public static void assertHeld(Object lock) {
    }

    /** Throws an {@link AssertionError} if this thread holds the lock. */
    public static void assertNotHeld(Object lock) {
    }

    /**
     * Stops checking this thread's acquisitions until the returned scope is closed (lockdep_off/on); locks taken
     * meanwhile are only recorded. Scopes nest.
     * <pre>try (Lockdep.Off off = Lockdep.off()) { ... }</pre>
     */
    public static Off off() {
        return NO_OP;
    }

    /** Ends the innermost {@link #off()} scope of this thread. */
    public static void on() {
    }

    /** An {@link #off()} scope. */
    @FunctionalInterface
    public interface Off extends AutoCloseable {
        @Override
        void close();
    }
}
