package io.jlockdep.runtime.lockclass;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The object that identifies a lock instance. A {@code ReentrantLock} and a {@code ReentrantReadWriteLock} (and its
 * read and write views) acquire through a synchronizer, their {@code sync} field: that is the instance, so a lock's
 * read and write locks are one lock, and its conditions (whose enclosing object is that synchronizer) name it too.
 * Every other lock is its own identity. The fields are read through var handles: the agent opens their package to
 * the runtime.
 */
public final class LockIdentity {
    private static final VarHandle REENTRANT = syncOf(ReentrantLock.class);
    private static final VarHandle READ_WRITE = syncOf(ReentrantReadWriteLock.class);
    private static final VarHandle READ_VIEW = syncOf(ReentrantReadWriteLock.ReadLock.class);
    private static final VarHandle WRITE_VIEW = syncOf(ReentrantReadWriteLock.WriteLock.class);

    private LockIdentity() {
    }

    public static Object of(Object lock) {
        VarHandle sync = lock instanceof ReentrantLock ? REENTRANT
                : lock instanceof ReentrantReadWriteLock ? READ_WRITE
                : lock instanceof ReentrantReadWriteLock.ReadLock ? READ_VIEW
                : lock instanceof ReentrantReadWriteLock.WriteLock ? WRITE_VIEW : null;
        if (sync == null) {
            return lock;
        }
        Object identity = sync.get(lock);
        return identity != null ? identity : lock;
    }

    /** Null when the field cannot be read (its package not opened): the lock object then stands for itself. */
    private static VarHandle syncOf(Class<?> owner) {
        try {
            Field f = owner.getDeclaredField("sync");
            return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).unreflectVarHandle(f);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
