package io.jlockdep.runtime.lockclass;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A place where lock objects are allocated (or, for a field, stored), registered by the agent or found by a stack walk;
 * its lock classes are created on first use. A site has one class per lock type (the runtime type of what is allocated
 * there decides it for a subclass of a lock type) and, for a field declared in a class that objects of several types
 * inherit, one per owner type: a field lock is classed by its field and by the runtime type of the object holding it.
 * A synchronizer's site (a latch, a queue...) has its event classes instead (see {@link EventClasses}).
 */
final class AllocationSite {
    final int id;
    final String key;
    final String name;
    /** The lock type of what is allocated here when the declared type says it; null when the runtime type decides. */
    final LockType type;
    /** For a synchronizer's site, the type of its event class; null for a lock's. */
    final EventType eventType;
    final CodeSite site;
    /** For a field: the internal name of the class declaring it, and its name; else null. */
    final String fieldOwner;
    final String fieldName;
    /** {@link #fieldOwner} as a binary name ({@code a.b.C}), compared with the owner type of every lock stored there. */
    private final String fieldOwnerBinary;
    private final LockClass[] byType = new LockClass[LockType.values().length];
    /** The same, as provisional registrations (see {@link Registration#provisional}), shared by every instance. */
    private final Registration[] provisional = new Registration[LockType.values().length];
    /** For a field: its classes by owner type other than the declaring class ({@code binary name + '/' + type}). */
    private final ConcurrentHashMap<String, LockClass> byOwnerType;
    /**
     * For the {@code allocating} hint of a {@code new} whose type the agent could not judge when it rewrote the code:
     * the type seen here whose objects report their construction (classed by the hint, not a stack walk), and the type
     * seen here whose objects do not (the hint returns at once). Decided on a type's first hint; one site may see
     * several same-named types under several class loaders, so each answer holds for its type only.
     */
    private volatile Class<?> hintedType;
    private volatile Class<?> unhintedType;

    AllocationSite(int id, String key, String name, LockType type, EventType eventType, CodeSite site,
                   String fieldOwner, String fieldName) {
        this.id = id;
        this.key = key;
        this.name = name;
        this.type = type;
        this.eventType = eventType;
        this.site = site;
        this.fieldOwner = fieldOwner;
        this.fieldName = fieldName;
        this.fieldOwnerBinary = fieldOwner == null ? null : fieldOwner.replace('/', '.');
        this.byOwnerType = fieldName == null ? null : new ConcurrentHashMap<>();
    }

    /**
     * Whether an object of {@code type}, about to be constructed here, is to be classed by this site when its
     * constructor reports it: its class or a superclass locks itself, and the allocating code is no constructor of
     * {@code type}'s own chain (the stack walk looks past those to their caller, so the hint would give another site).
     */
    boolean hintsConstruction(Class<?> type) {
        if (type == unhintedType) { // most allocations: objects that do not lock themselves
            return false;
        }
        if (type == hintedType) {
            return true;
        }
        boolean hints = LockClasses.reportsConstruction(type) && !inConstructorOf(type);
        if (hints) {
            hintedType = type;
        } else {
            unhintedType = type;
        }
        return hints;
    }

    /** This site's type, when objects allocated here are classed by the hint; null otherwise. */
    Class<?> hintedType() {
        return hintedType;
    }

    private boolean inConstructorOf(Class<?> type) {
        if (site == null || !site.methodName().equals("<init>")) {
            return site == null;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(site.className())) {
                return true;
            }
        }
        return false;
    }

    boolean isField() {
        return fieldName != null;
    }

    /** The class of an object of lock type {@code t} allocated here; null when the class table is full. */
    LockClass lockClass(LockType t, boolean decorator) {
        LockClass c = byType[t.ordinal()];
        if (c == null) {
            c = LockClasses.registerClass(t == type || type == null ? key : key + '#' + t.name(), name, t, site,
                    true, decorator);
            byType[t.ordinal()] = c;
        }
        return c;
    }

    /**
     * The class of an object of type {@code type} allocated here used as a monitor: a JDK stream's is a decorator (see
     * {@link LockClass#decorator}). One type is allocated at one site, so the first answer stands.
     */
    LockClass monitorClass(Class<?> type) {
        LockClass c = byType[LockType.MONITOR.ordinal()];
        return c != null ? c : lockClass(LockType.MONITOR, LockClasses.isJdkStream(type));
    }

    /** The provisional registration of a lock of type {@code t} allocated here; null when the class table is full. */
    Registration provisional(LockType t) {
        Registration r = provisional[t.ordinal()];
        if (r == null) {
            LockClass c = lockClass(t, false);
            if (c == null) {
                return null;
            }
            r = new Registration(c, true, 0, null);
            provisional[t.ordinal()] = r;
        }
        return r;
    }

    /**
     * The class of a field lock of type {@code t} held by an object of type {@code ownerType} (binary name): the
     * field's own class when that is the declaring class, else one named after the owner's type
     * ({@code GenericObjectPool.closeLock} for a field declared in its base class).
     */
    LockClass lockClassIn(String ownerType, LockType t) {
        if (ownerType.equals(fieldOwnerBinary)) {
            return lockClass(t, false);
        }
        String mapKey = ownerType + '/' + t.ordinal();
        LockClass c = byOwnerType.get(mapKey);
        if (c == null) {
            String ofOwner = key + " of " + ownerType;
            c = LockClasses.registerClass(t == type || type == null ? ofOwner : ofOwner + '#' + t.name(),
                    Sites.simpleName(ownerType) + '.' + fieldName, t, site, true, false);
            if (c != null) {
                byOwnerType.put(mapKey, c);
            }
        }
        return c;
    }
}
