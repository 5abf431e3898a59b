package io.jlockdep.runtime.lockclass;

/**
 * What jlockdep knows of one instance besides its lock class, kept in the instance map where the class alone is not
 * enough: the object whose field holds the lock (shown in reports, so that two instances of one class read
 * differently), or that the class is only provisional. Holds a name and a hash, never the owner itself.
 */
final class Registration {
    final LockClass lockClass;
    /**
     * Allocated at a site rather than into a field: until the lock is first taken, storing it into a field of a lock
     * type ({@code this.lock = factory.newLock()}) gives it that field's class instead.
     */
    final boolean provisional;
    /** The owner's identity hash and binary type name; 0 and null when there is none. */
    final int ownerHash;
    final String ownerType;

    Registration(LockClass lockClass, boolean provisional, int ownerHash, String ownerType) {
        this.lockClass = lockClass;
        this.provisional = provisional;
        this.ownerHash = ownerHash;
        this.ownerType = ownerType;
    }

    /** The class of an instance map value: a plain {@link LockClass} or a registration; null for null. */
    static LockClass classOf(Object value) {
        return value instanceof Registration ? ((Registration) value).lockClass : (LockClass) value;
    }
}
