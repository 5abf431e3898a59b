package io.jlockdep.runtime.lockclass;

import io.jlockdep.runtime.Engine;
import java.lang.ref.WeakReference;

/**
 * The lock instances a record of a wait check has seen (the latest {@value #MAX}, weakly), each with the thread that
 * held it. Both wait checks (wait/notify, wait-for) decide with it whether two sides of a record meet: by default the
 * waiter must hold the very lock the other side needed, in another thread. Threads that each hold their own lock of
 * one class (a connection's, a request's) are common and fine, and a thread never wakes itself: what it notified or
 * produced before it waits is not what it waits for. {@code nesting=strict} counts any lock of the class, as lockdep
 * would. Immutable: a record with one more instance is a new one, published by its check's lock.
 */
public final class SeenHolds {
    /** Instances remembered; the oldest is forgotten past it. */
    public static final int MAX = 8;

    private final WeakReference<Object>[] instances;
    /** Per instance, the thread ({@code Thread.getId}) that held it; 0 for any thread. */
    private final long[] threads;

    private SeenHolds(WeakReference<Object>[] instances, long[] threads) {
        this.instances = instances;
        this.threads = threads;
    }

    /** {@code old}'s instances still alive (or none, for null), the oldest dropped past {@value #MAX}, plus this one. */
    public static SeenHolds of(SeenHolds old, Object instance, long thread) {
        return of(old, new Object[] {instance}, 1, thread);
    }

    /**
     * {@code old}'s instances still alive (or none, for null) plus the first {@code count} of {@code added} (in that
     * order, each held by {@code thread}), the oldest dropped past {@value #MAX}.
     */
    @SuppressWarnings("unchecked")
    public static SeenHolds of(SeenHolds old, Object[] added, int count, long thread) {
        int size = old == null ? 0 : old.instances.length;
        WeakReference<Object>[] instances = new WeakReference[size + count];
        long[] threads = new long[size + count];
        int n = 0;
        for (int i = 0; i < size; i++) {
            // one read per reference: a collector may clear it at any time, so count only what was copied
            if (!old.instances[i].refersTo(null)) {
                instances[n] = old.instances[i];
                threads[n++] = old.threads[i];
            }
        }
        // only the latest MAX are kept: older ones get no reference at all
        for (int i = Math.max(0, count - MAX); i < count; i++) {
            instances[n] = new WeakReference<>(added[i]);
            threads[n++] = thread;
        }
        int from = Math.max(0, n - MAX);
        return new SeenHolds(java.util.Arrays.copyOfRange(instances, from, n),
                java.util.Arrays.copyOfRange(threads, from, n));
    }

    /** Whether {@code instance} has been seen held by {@code thread} already. */
    public boolean has(Object instance, long thread) {
        for (int i = 0; i < instances.length; i++) {
            if (threads[i] == thread && instances[i].refersTo(instance)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a hold of {@code instance} by {@code thread} (0: any thread) meets one seen here: the same lock
     * ({@code nesting=strict}: any lock of the class), held by another thread where either side is a thread's own.
     */
    public boolean meets(Object instance, long thread) {
        boolean anyInstance = Engine.config().strictNesting();
        for (int i = 0; i < instances.length; i++) {
            boolean self = thread != 0 && threads[i] == thread;
            if (!self && (anyInstance || instances[i].refersTo(instance))) {
                return true;
            }
        }
        return false;
    }
}
