package io.jlockdep.runtime.lockclass;

/** The kinds of lock jlockdep tracks. A lock class has one type; each acquisition has a {@link Mode}. */
public enum LockType {
    MONITOR("monitor", "Object"),
    REENTRANT_LOCK("ReentrantLock", "ReentrantLock"),
    READ_WRITE_LOCK("ReentrantReadWriteLock", "ReentrantReadWriteLock"),
    STAMPED_LOCK("StampedLock", "StampedLock");

    private final String displayName;
    private final String shortTypeName;

    LockType(String displayName, String shortTypeName) {
        this.displayName = displayName;
        this.shortTypeName = shortTypeName;
    }

    /** {@code monitor}, {@code ReentrantLock}, {@code ReentrantReadWriteLock} or {@code StampedLock}. */
    public String displayName() {
        return displayName;
    }

    /** How a lock line names an acquisition of this type in the given mode. */
    public String kind(int mode) {
        switch (this) {
            case READ_WRITE_LOCK:
            case STAMPED_LOCK:
                return displayName + (mode == Mode.EXCLUSIVE ? " write" : " read");
            default:
                return displayName;
        }
    }

    /** True for the types whose read and write holds are released separately. */
    public boolean hasModes() {
        return this == READ_WRITE_LOCK || this == STAMPED_LOCK;
    }

    /** The simple name of the Java type, used to name allocation-site classes ({@code ReentrantLock@Foo.java:42}). */
    public String shortTypeName() {
        return shortTypeName;
    }

    /** The type whose {@link #displayName()} is {@code name}, or null. */
    public static LockType ofDisplayName(String name) {
        for (LockType t : values()) {
            if (t.displayName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type of lock an object is: a subclass of a lock type is that type; anything else is a monitor. */
    public static LockType of(Object lock) {
        if (lock instanceof java.util.concurrent.locks.ReentrantLock) {
            return REENTRANT_LOCK;
        }
        if (lock instanceof java.util.concurrent.locks.ReentrantReadWriteLock
                || lock instanceof java.util.concurrent.locks.ReentrantReadWriteLock.ReadLock
                || lock instanceof java.util.concurrent.locks.ReentrantReadWriteLock.WriteLock) {
            return READ_WRITE_LOCK;
        }
        return lock instanceof java.util.concurrent.locks.StampedLock ? STAMPED_LOCK : MONITOR;
    }

    /** The lock type of what {@code new} of this type makes, or null when it is not one of the lock types. */
    static LockType ofAllocatedType(String internalName) {
        switch (internalName) {
            case "java/util/concurrent/locks/ReentrantLock":
                return REENTRANT_LOCK;
            case "java/util/concurrent/locks/ReentrantReadWriteLock":
                return READ_WRITE_LOCK;
            case "java/util/concurrent/locks/StampedLock":
                return STAMPED_LOCK;
            case "java/lang/Object":
                return MONITOR;
            default:
                return null;
        }
    }
}
