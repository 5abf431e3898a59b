package io.jlockdep.selftest;

/** The lock a case runs on, and the mode its plain {@code L}/{@code T} steps take it in. */
public enum Kind {
    MONITOR("monitor", false),
    REENTRANT_LOCK("ReentrantLock", false),
    RW_READ("ReentrantReadWriteLock", true),
    RW_WRITE("ReentrantReadWriteLock", false),
    STAMPED_READ("StampedLock", true),
    STAMPED_WRITE("StampedLock", false);

    /** The type as a report names it ({@code monitor}, {@code ReentrantReadWriteLock}, ...). */
    public final String type;
    /** {@code L(x)} and {@code T(x)} take the lock for reading. */
    public final boolean read;

    Kind(String type, boolean read) {
        this.type = type;
        this.read = read;
    }

    public boolean hasModes() {
        return this != MONITOR && this != REENTRANT_LOCK;
    }

    public boolean canTry() {
        return this != MONITOR;
    }

    /** Condition.await / Object.wait: monitors, ReentrantLock and a ReentrantReadWriteLock's write lock. */
    public boolean canWait() {
        return this == MONITOR || this == REENTRANT_LOCK || this == RW_WRITE;
    }

    /** How the kind reads in a case name. */
    public String label() {
        return Expect.kind(type, read).replace(' ', '-');
    }
}
