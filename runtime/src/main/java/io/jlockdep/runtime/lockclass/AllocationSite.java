package io.jlockdep.runtime.lockclass;

/** A place where lock objects are allocated, registered by the agent; its lock class is created on first use. */
final class AllocationSite {
    final int id;
    final String key;
    final String name;
    final LockType type;
    final CodeSite site;
    volatile LockClass lockClass;

    AllocationSite(int id, String key, String name, LockType type, CodeSite site) {
        this.id = id;
        this.key = key;
        this.name = name;
        this.type = type;
        this.site = site;
    }

    LockClass lockClass() {
        LockClass c = lockClass;
        if (c == null) {
            c = LockClasses.register(key, name, type, site);
            lockClass = c;
        }
        return c;
    }
}
