package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.StampedLock;

/**
 * What the JVM says the calling thread holds: the truth a held-lock record is checked against when jlockdep may have
 * lost an event (a hook that overflowed the stack, a release whose hook could not even be called). A monitor asks
 * {@link Thread#holdsLock}; a ReentrantLock or a ReentrantReadWriteLock's write lock, the owner of its synchronizer; a
 * read lock, the thread's read holds; a StampedLock, which has no owner, whether it is locked in that mode at all.
 * The synchronizers' fields are read through handles (the agent opens their package to the runtime); when one cannot
 * be had, the answer is "held", so a record is never dropped on a guess.
 */
final class Ownership {
    private static final VarHandle OWNER = handle(AbstractOwnableSynchronizer.class, "exclusiveOwnerThread");
    private static final VarHandle STATE = handle(AbstractQueuedSynchronizer.class, "state");
    /** JDK 25's ReentrantReadWriteLock keeps its counts in a long-state synchronizer; JDK 17's in an int one. */
    private static final VarHandle LONG_STATE = handle(AbstractQueuedLongSynchronizer.class, "state");
    private static final VarHandle STAMPED_STATE = handle(StampedLock.class, "state");
    private static final MethodHandle READ_HOLDS = readHolds();
    /** StampedLock's write bit, and the bits that count its readers. */
    private static final long STAMPED_WRITE = 1L << 7;
    private static final long STAMPED_READERS = STAMPED_WRITE - 1;

    private Ownership() {
    }

    /** Whether the calling thread still holds the lock of this record, as far as the JVM can tell. */
    static boolean holds(HeldLock h) {
        return h.instance == null || h.lockClass == null || holds(h.lockClass.type(), h.instance, h.mode);
    }

    /** Whether the calling thread holds {@code lock} (a monitor, or a lock's identity) in {@code mode}. */
    static boolean holds(LockType type, Object lock, int mode) {
        if (type == LockType.MONITOR) {
            return Thread.holdsLock(lock);
        }
        try {
            if (type == LockType.STAMPED_LOCK) {
                if (STAMPED_STATE == null || !(lock instanceof StampedLock)) {
                    return true;
                }
                long state = (long) STAMPED_STATE.getVolatile((StampedLock) lock);
                return (state & (mode == Mode.EXCLUSIVE ? STAMPED_WRITE : STAMPED_READERS)) != 0;
            }
            if (!(lock instanceof AbstractOwnableSynchronizer)) {
                return true;
            }
            if (type == LockType.READ_WRITE_LOCK && mode != Mode.EXCLUSIVE) {
                return READ_HOLDS == null || (int) READ_HOLDS.invokeExact(lock) > 0;
            }
            return OWNER == null
                    || OWNER.getVolatile((AbstractOwnableSynchronizer) lock) == Thread.currentThread();
        } catch (Throwable t) {
            return true;
        }
    }

    /**
     * How many times the calling thread holds the lock, when the JVM can say: a ReentrantLock's synchronizer, or a
     * ReentrantReadWriteLock's in either mode. -1 when it cannot (a monitor, a StampedLock, a handle missing).
     */
    static int holdCount(LockType type, Object lock, int mode) {
        boolean intState = lock instanceof AbstractQueuedSynchronizer;
        if ((type != LockType.REENTRANT_LOCK && type != LockType.READ_WRITE_LOCK)
                || !(intState || lock instanceof AbstractQueuedLongSynchronizer) || OWNER == null
                || (intState ? STATE : LONG_STATE) == null) {
            return -1;
        }
        try {
            if (type == LockType.READ_WRITE_LOCK && mode != Mode.EXCLUSIVE) {
                return READ_HOLDS == null ? -1 : (int) READ_HOLDS.invokeExact(lock);
            }
            if (OWNER.getVolatile((AbstractOwnableSynchronizer) lock) != Thread.currentThread()) {
                return 0;
            }
            if (!intState) {
                // a read/write lock keeps its exclusive holds in the low 32 bits of a long state, its shared ones in
                // the high 32
                long state = (long) LONG_STATE.getVolatile((AbstractQueuedLongSynchronizer) lock);
                return (int) (type == LockType.READ_WRITE_LOCK ? state & 0xFFFF_FFFFL : state);
            }
            int state = (int) STATE.getVolatile((AbstractQueuedSynchronizer) lock);
            // a read/write lock keeps its exclusive holds in the low 16 bits of an int state, its shared ones in the
            // high 16
            return type == LockType.READ_WRITE_LOCK ? state & 0xFFFF : state;
        } catch (Throwable t) {
            return -1;
        }
    }

    private static VarHandle handle(Class<?> owner, String field) {
        try {
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
                    .unreflectVarHandle(owner.getDeclaredField(field));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** {@code ReentrantReadWriteLock.Sync.getReadHoldCount()}, package-private: the calling thread's read holds. */
    private static MethodHandle readHolds() {
        try {
            Class<?> sync = Class.forName("java.util.concurrent.locks.ReentrantReadWriteLock$Sync");
            return MethodHandles.privateLookupIn(sync, MethodHandles.lookup())
                    .findVirtual(sync, "getReadHoldCount", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
