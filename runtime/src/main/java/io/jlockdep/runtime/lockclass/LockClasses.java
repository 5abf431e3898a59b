package io.jlockdep.runtime.lockclass;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.ThreadState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Maps lock instances to lock classes, and owns the table of classes. Instances allocated at an instrumented site are
 * registered weakly at allocation: a lock or a plain Object by its allocation site, or by the field it is stored
 * straight into (and the runtime type of the object holding that field); an object that locks itself (synchronized
 * methods) by its allocation site; a subclass of a lock type, or an object whose class locks itself, by the site its
 * constructor was called from, found when the constructor returns. A lock allocated at a site and then stored into a
 * field of a lock type before it is first taken gets that field's class. Monitors of other objects are classed by their
 * runtime type; a java.util.concurrent lock allocated in uninstrumented code gets the class of the field it is taken
 * through, or one named after where it was first taken.
 */
public final class LockClasses {
    /** The key prefix of the classes keyed by the monitor's runtime type. */
    static final String TYPE_KEY = "monitor:";
    /** The key prefix of the monitors of Class objects (static synchronized methods), by the class. */
    static final String CLASS_OBJECT_KEY = "class-monitor:";
    private static final Object LOCK = new Object();
    /** Instance (a lock's identity, see {@link LockIdentity}) to its {@link LockClass} or {@link Registration}. */
    private static final WeakIdentityMap<Object> BY_INSTANCE = new WeakIdentityMap<>();
    private static final ClassValue<MonitorType> monitorTypes = new MonitorTypes();
    /** The monitor of a Class object, by the class it stands for. */
    private static final ClassValue<LockClass> classMonitors = new ClassValue<LockClass>() {
        @Override
        protected LockClass computeValue(Class<?> type) {
            return register(CLASS_OBJECT_KEY + type.getName(), classObjectName(shortName(type)),
                    LockType.MONITOR, null);
        }
    };
    private static final Map<String, LockClass> BY_KEY = new HashMap<>();
    private static final Map<String, Integer> NAME_USES = new HashMap<>();
    private static volatile LockClass[] byId = new LockClass[256];
    private static int count;
    /**
     * Binary names of the classes whose constructors report each object (see {@link #locksItself}); guarded by
     * {@link #LOCK} (a JDK ConcurrentHashMap would lock its bins through the JDK's rewritten code).
     */
    private static final Set<String> REPORTING_CONSTRUCTION = new HashSet<>();
    /** Objects classed by {@link #registerConstructed}: by a walk of the stack, and by the allocating site's hint. */
    private static final LongAdder CONSTRUCTOR_WALKS = new LongAdder();
    private static final LongAdder CONSTRUCTOR_HINTS = new LongAdder();

    private LockClasses() {
    }

    /**
     * A lock object just allocated at an instrumented site: a java.util.concurrent lock or a plain Object, an object of
     * a JDK type that locks itself, or the result of a factory of such objects ({@code Collections.synchronizedList}).
     * Stored straight into a static field, or a field of an object not known here, it gets the field's class.
     */
    public static void registerAllocation(Object lock, int allocationSite) {
        AllocationSite site = Sites.allocationSite(allocationSite);
        if (site != null) {
            register(lock, site, null);
        }
    }

    /** A lock object just allocated and stored straight into a field of {@code owner}. */
    public static void registerAllocationIn(Object owner, Object lock, int allocationSite) {
        AllocationSite site = Sites.allocationSite(allocationSite);
        if (site != null) {
            register(lock, site, owner);
        }
    }

    private static void register(Object lock, AllocationSite site, Object owner) {
        if (site.eventType != null) {
            EventClasses.registerAllocation(lock, site);
            return;
        }
        LockType t = site.type != null ? site.type : LockType.of(lock);
        Object identity = t == LockType.MONITOR ? lock : LockIdentity.of(lock);
        Object value;
        if (site.isField()) {
            LockClass c = owner == null ? site.lockClass(t, false) : site.lockClassIn(owner.getClass().getName(), t);
            value = c == null || owner == null ? c
                    : new Registration(c, false, System.identityHashCode(owner), owner.getClass().getName());
        } else if (t == LockType.MONITOR) {
            value = site.monitorClass(lock.getClass());
        } else {
            value = site.provisional(t);
        }
        if (value != null) {
            if (t == LockType.MONITOR) {
                markRegistered(lock.getClass());
            }
            BY_INSTANCE.putNew(identity, value);
        }
    }

    /**
     * A java.util.concurrent lock stored into a field of a lock type (not straight from its allocation): a lock that
     * was allocated elsewhere (a factory method, a local variable) and has not been taken yet gets the field's class,
     * the field being to Java what lockdep's static key is to C. A lock already taken keeps its class.
     *
     * @param owner the object whose field it is stored into; null for a static field
     */
    public static void storedInField(Object owner, Object lock, int fieldSite) {
        LockType t = LockType.of(lock);
        AllocationSite site = Sites.allocationSite(fieldSite);
        if (t == LockType.MONITOR || site == null || !site.isField()) {
            return;
        }
        Object identity = LockIdentity.of(lock);
        Object known = BY_INSTANCE.get(identity);
        if (known != null && !(known instanceof Registration && ((Registration) known).provisional)) {
            return;
        }
        LockClass c = owner == null ? site.lockClass(t, false) : site.lockClassIn(owner.getClass().getName(), t);
        if (c != null) {
            BY_INSTANCE.put(identity, owner == null ? c
                    : new Registration(c, false, System.identityHashCode(owner), owner.getClass().getName()));
        }
    }

    /**
     * The constructor of a subclass of a lock type, or of a class that locks itself, has returned: the object is
     * classed by the site that called its constructor, unless the site registered it already. The instrumenter cannot hook
     * those allocations at their {@code new}, whose type it does not know when it rewrites the allocating class (the
     * class allocated is loaded only when the {@code new} first runs); so the site is found by walking the stack, once
     * per object of such a class.
     *
     * @return true when the object was registered here
     */
    public static boolean registerConstructed(Object obj) {
        return registerConstructed(obj, 0);
    }

    /**
     * The same, with the allocation site the code that called the constructor named in its {@code allocating} hint, or
     * 0: taken instead of walking the stack when objects of exactly {@code obj}'s class are classed by hints there (the
     * hint's site is the one the walk would find, so the class is the same either way).
     */
    public static boolean registerConstructed(Object obj, int hintedSite) {
        LockType t = LockType.of(obj);
        Object identity = t == LockType.MONITOR ? obj : LockIdentity.of(obj);
        if (BY_INSTANCE.get(identity) != null) {
            return false;
        }
        AllocationSite site = Sites.allocationSite(hintedSite);
        if (site != null && site.hintedType() == obj.getClass()) {
            CONSTRUCTOR_HINTS.increment();
        } else {
            CONSTRUCTOR_WALKS.increment();
            site = Sites.constructorCaller(obj.getClass());
        }
        if (site == null) {
            return false;
        }
        Object value = t == LockType.MONITOR ? site.monitorClass(obj.getClass()) : site.provisional(t);
        if (value == null) {
            return false;
        }
        if (t == LockType.MONITOR) {
            markRegistered(obj.getClass());
        }
        BY_INSTANCE.putNew(identity, value);
        return true;
    }

    /**
     * The agent rewrote the constructors of this class (internal name) to report each object, for it locks itself:
     * the {@code new} of it, or of a subclass, may carry a hint of its site (see {@link #hintsConstruction}).
     */
    public static void locksItself(String internalName) {
        String name = internalName.replace('/', '.');
        synchronized (LOCK) {
            REPORTING_CONSTRUCTION.add(name);
        }
    }

    /** Whether the constructors of {@code type} or of a superclass report each object ({@link #locksItself}). */
    static boolean reportsConstruction(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            String name = c.getName();
            synchronized (LOCK) {
                if (REPORTING_CONSTRUCTION.contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * For the {@code allocating} hint right before a constructor call: whether the object of {@code type} constructed
     * next, at this allocation site, reports its construction and is to be classed by the site (decided once per site
     * and type; false, at once, for the types that do not lock themselves).
     */
    public static boolean hintsConstruction(Class<?> type, int allocationSite) {
        AllocationSite site = Sites.allocationSite(allocationSite);
        return site != null && site.hintsConstruction(type);
    }

    /** Objects of classes that lock themselves classed by a walk of the stack from their constructor. */
    public static long constructorWalks() {
        return CONSTRUCTOR_WALKS.sum();
    }

    /** Objects of classes that lock themselves classed by the hint of the code that allocated them, without a walk. */
    public static long constructorHints() {
        return CONSTRUCTOR_HINTS.sum();
    }

    /** Instances of this type may have classes of their own: look them up before using the type's class. */
    private static void markRegistered(Class<?> type) {
        MonitorType kind = monitorTypes.get(type);
        if (!kind.registered) {
            kind.registered = true;
        }
    }

    /**
     * For a report: the object whose field holds this lock instance, as {@code type name} and identity hash, or null
     * when none was recorded.
     */
    public static Owner ownerOf(Object identity) {
        Object known = identity == null ? null : BY_INSTANCE.get(identity);
        if (known instanceof Registration && ((Registration) known).ownerType != null) {
            Registration r = (Registration) known;
            return new Owner(r.ownerType, r.ownerHash);
        }
        return null;
    }

    /** The object holding a field lock, as a report names it. */
    public static final class Owner {
        private final String type;
        private final int identityHash;

        Owner(String type, int identityHash) {
            this.type = type;
            this.identityHash = identityHash;
        }

        /** Its runtime type's binary name. */
        public String type() {
            return type;
        }

        public int identityHash() {
            return identityHash;
        }
    }

    /** Gives an instance an explicit class (the annotation API), replacing whatever it had. */
    /**
     * Bumped whenever an instance that may already have been used changes class, so that per-thread memories of a
     * lock's class ({@code Tracker.classOf}) are not trusted past it.
     */
    static volatile int epoch;

    /** Changes whenever a lock may change class, so the held-lock slots' remembered classes are looked up again. */
    public static int epoch() {
        return epoch;
    }

    /** What threads remember of locks' classes and validated chains is no longer trusted (the graph was reset). */
    public static void forgetRemembered() {
        epoch++;
    }

    public static void assign(Object lock, LockClass c) {
        epoch++;
        if (c.type == LockType.MONITOR && lock.getClass() != Object.class) {
            explicitMonitors = true;
        }
        BY_INSTANCE.put(LockIdentity.of(lock), c);
    }

    /** Set once any monitor other than a plain Object gets a class of its own, so those are looked up too. */
    private static volatile boolean explicitMonitors;

    /**
     * The class of a monitor. An instance with a class of its own keeps it (allocated into a field or at a site, named
     * with the annotation API, a class-loading lock, or given one when first locked). A plain {@code Object} or an
     * object of a JDK type is given one when first locked: named after the field it is locked through when the site
     * reads one ({@code Source.files}), else, for a plain Object, after the site
     * ({@code Object locked at Foo.run(Foo.java:42)}); their types alone would merge unrelated locks. Any other monitor
     * is classed by its runtime type.
     *
     * @param site the code site of the acquisition, 0 when unknown
     */
    public static LockClass ofMonitor(Object monitor, int site) {
        Class<?> type = monitor.getClass();
        if (type == Class.class) {
            // A static synchronized method locks its class: one lock class per class, not one for all of them.
            LockClass named = explicitMonitors ? Registration.classOf(BY_INSTANCE.get(monitor)) : null;
            return named != null && named.type == LockType.MONITOR ? named : classMonitors.get((Class<?>) monitor);
        }
        MonitorType kind = monitorTypes.get(type);
        if (kind.namedPerInstance || kind.registered || explicitMonitors) {
            LockClass c = Registration.classOf(BY_INSTANCE.get(monitor));
            if (c != null && c.type == LockType.MONITOR) {
                return c;
            }
            if (kind.namedPerInstance) {
                c = firstLockClass(site, type == Object.class);
                if (c != null) {
                    BY_INSTANCE.putNew(monitor, c);
                    return c;
                }
            }
        }
        return kind.byType;
    }

    /** The key prefix of the classes of a container's internal parts (see {@link #ofPart}). */
    static final String PART_KEY = "part:";

    /**
     * The class of a monitor that an instance method takes on an internal part of {@code this}: an object whose
     * declared type at the lock is nested in the method's class or its superclass, such as a bin node of a
     * {@code ConcurrentHashMap} in {@code putVal} or {@code computeIfAbsent}. A part with a class of its own keeps it;
     * one that would be classed by its runtime type, which the parts of every container share, is classed by the
     * container's class and the part's base type instead: the parts of two maps are two classes, those of one map one
     * ({@code ConcurrentHashMap$Node of Cache.regions}). The base type is the outermost superclass of the part's type
     * nested in the same class, so a map's reservation nodes and tree bins are its bin locks too. A container with no
     * class of its own (allocated before jlockdep started or where it does not see allocations, or of a type not
     * registered at its allocation) stands for all such containers of its runtime type
     * ({@code ConcurrentHashMap$Node of any ConcurrentHashMap}); such a class merges unrelated containers (the JDK's
     * own maps, a class loader's and a {@code Properties}' among them), so a cycle through it would as likely be the
     * merge's as real: it is tracked but never validated, like the class-loading locks.
     *
     * @param site the code site of the acquisition, 0 when unknown
     */
    public static LockClass ofPart(Object part, Object container, int site) {
        LockClass own = ofMonitor(part, site);
        Class<?> type = part.getClass();
        if (type == Class.class || own != monitorTypes.get(type).byType || container == null) {
            return own;
        }
        Object known = BY_INSTANCE.get(container);
        LockClass of = Registration.classOf(known);
        Parts parts = of != null ? of.parts() : monitorTypes.get(container.getClass()).unregisteredParts;
        String base = PART_BASES.get(type);
        LockClass c = parts.find(base);
        if (c == null) {
            String shownBase = base.substring(base.lastIndexOf('.') + 1);
            c = of != null ? parts.add(base, PART_KEY + base + " of " + of.key, shownBase + " of " + of.name, true)
                    : parts.add(base, PART_KEY + base + " of " + TYPE_KEY + container.getClass().getName(),
                            shownBase + " of any " + shortName(container.getClass()), false);
        }
        return c != null ? c : own;
    }

    /** A part's base type (binary name): the outermost superclass of its type nested in the same top-level class. */
    private static final ClassValue<String> PART_BASES = new ClassValue<String>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getName();
            int nested = name.indexOf('$', name.lastIndexOf('.') + 1);
            String prefix = nested < 0 ? name + '$' : name.substring(0, nested + 1);
            Class<?> base = type;
            Class<?> s = type.getSuperclass();
            while (s != null && s.getName().startsWith(prefix)) {
                base = s;
                s = s.getSuperclass();
            }
            return base.getName();
        }
    };

    /** The part classes of one container class, by base type: a short array, looked up without allocating. */
    static final class Parts {
        private volatile String[] bases = new String[0];
        private volatile LockClass[] classes = new LockClass[0];

        LockClass find(String base) {
            String[] b = bases;
            LockClass[] c = classes;
            for (int i = 0; i < b.length && i < c.length; i++) {
                if (b[i] == base || b[i].equals(base)) {
                    return c[i];
                }
            }
            return null;
        }

        synchronized LockClass add(String base, String key, String name, boolean validated) {
            LockClass known = find(base);
            if (known != null) {
                return known;
            }
            LockClass c = registerClass(key, name, LockType.MONITOR, null, validated, false);
            if (c != null) {
                int n = bases.length;
                LockClass[] grownClasses = java.util.Arrays.copyOf(classes, n + 1);
                grownClasses[n] = c;
                String[] grownBases = java.util.Arrays.copyOf(bases, n + 1);
                grownBases[n] = base;
                classes = grownClasses; // classes first: a reader bounds its scan by both
                bases = grownBases;
            }
            return c;
        }
    }

    /** A type's name as lock classes show it: its simple name, outer classes and package left out. */
    private static String shortName(Class<?> type) {
        try {
            String simple = type.getSimpleName();
            if (!simple.isEmpty()) {
                return simple;
            }
        } catch (LinkageError | RuntimeException e) {
            // malformed class name: fall back to the binary name
        }
        return Sites.simpleName(type.getName()); // anonymous classes: Outer$1
    }

    /** {@code monitor of Account}: a type-keyed class's name, from the type's simple (or full) name. */
    static String typeName(String type) {
        return "monitor of " + type;
    }

    /** {@code monitor of Registry.class}: the name of a Class object's monitor. */
    static String classObjectName(String type) {
        return "monitor of " + type + ".class";
    }

    /** The class a monitor gets from the site that first locks it, or null when the site says nothing. */
    private static LockClass firstLockClass(int site, boolean plainObject) {
        CodeSite where = Sites.codeSite(site);
        if (where == null || (where.lockedField == null && !plainObject)) {
            return null;
        }
        LockClass c = where.firstLocked;
        if (c == null) {
            c = where.lockedField != null ? register(where.lockedField, where.lockedFieldName, LockType.MONITOR, null)
                    : register("locked:" + where.longForm(), "Object locked at " + where.shortForm(),
                            LockType.MONITOR, null);
            where.firstLocked = c;
        }
        return c;
    }

    /** The lock a class loader takes to load a class: tracked, never validated. */
    public static void markClassLoadingLock(Object lock) {
        LockClass c = classLoadingClass;
        if (c == null) {
            c = registerClass("class-loading", "class loading lock", LockType.MONITOR, null, false, false);
            if (c == null) {
                return;
            }
            classLoadingClass = c;
        }
        if (Registration.classOf(BY_INSTANCE.get(lock)) != c) {
            BY_INSTANCE.put(lock, c);
            if (lock.getClass() != Object.class) {
                // A loader that is not parallel capable locks itself, and may have been locked, and remembered by a
                // thread's held-lock slot, before. A plain Object is a parallel-capable loader's lock for one class
                // name, made by getClassLoadingLock, whose return marks it before any thread can lock it: nothing
                // remembers it yet, so a class-heavy start-up does not make every thread forget its locks' classes
                // (and validated chains) once per class loaded.
                explicitMonitors = true;
                epoch++;
            }
        }
    }

    private static volatile LockClass classLoadingClass;

    /**
     * The class of a java.util.concurrent lock. {@code view} is the object the method was called on; {@code identity}
     * the shared instance object (they differ for ReentrantReadWriteLock views). Returns null only when the class table
     * is full.
     */
    public static LockClass ofLock(Object identity, LockType type, ThreadState ts, int site) {
        Object known = BY_INSTANCE.get(identity);
        if (known != null) {
            if (known instanceof Registration && ((Registration) known).provisional) {
                // Taken now: its class is settled, a later store into a field no longer changes it.
                BY_INSTANCE.put(identity, ((Registration) known).lockClass);
            }
            return Registration.classOf(known);
        }
        CodeSite where = Sites.codeSite(site);
        LockClass c;
        if (where != null && where.lockedField != null) {
            // Allocated in uninstrumented code, taken through a field: the field's class, as if allocated into it.
            c = register(where.lockedField, where.lockedFieldName, type, null);
        } else {
            // Else class it by where it is first taken, like lockdep's init-site keys.
            if (where == null) {
                where = Trace.capture(ts.threadLabel()).callerSite();
            }
            String at = where == null ? "unknown site" : where.fileAndLine();
            c = registerClass("taken:" + type.name() + '@' + (where == null ? "?" : where.longForm()),
                    type.shortTypeName() + " first taken at " + at, type, null, true,
                    where != null && isJdkStream(where.className()));
        }
        if (c != null) {
            BY_INSTANCE.putNew(identity, c);
        }
        return c;
    }

    /**
     * Loads and initializes this package's classes that the hooks use and that other packages cannot name, and walks
     * the stack once as {@link #registerConstructed} does (see {@code Engine.warmUp}).
     */
    public static void warmUp() {
        java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
        for (Class<?> c : new Class<?>[] {Registration.class, AllocationSite.class, ConstructorCaller.class,
            MonitorType.class, MonitorTypes.class, Parts.class}) {
            try {
                lookup.ensureInitialized(c);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        ConstructorCaller.of(LockClasses.class); // no hook on the stack: finds nothing, registers nothing
    }

    /** Finds or creates the class with this key; null when {@code max-classes} is reached. */
    public static LockClass register(String key, String name, LockType type, CodeSite declaredAt) {
        return registerClass(key, name, type, declaredAt, true, false);
    }

    static LockClass registerClass(String key, String name, LockType type, CodeSite declaredAt, boolean validated,
                                   boolean decorator) {
        synchronized (LOCK) {
            LockClass c = BY_KEY.get(key);
            if (c != null) {
                return c;
            }
            if (count >= Engine.config().maxClasses()) {
                Engine.capacityExhausted("MAX_LOCK_CLASSES", Engine.config().maxClasses(), "max-classes");
                return null;
            }
            Integer previousUses = NAME_USES.get(name);
            int uses = previousUses == null ? 1 : previousUses + 1;
            NAME_USES.put(name, uses);
            String shown = uses > 1 ? name + '#' + uses : name;
            int id = ++count;
            c = new LockClass(id, key, shown, type, declaredAt, validated, decorator);
            LockClass[] table = byId;
            if (id >= table.length) {
                LockClass[] grown = new LockClass[table.length * 2];
                System.arraycopy(table, 0, grown, 0, table.length);
                table = grown;
            }
            table[id] = c;
            byId = table;
            BY_KEY.put(key, c);
            return c;
        }
    }

    /** Subclass k of c (lockdep's mutex_lock_nested): a class of its own, named {@code name/k}. */
    /** The highest subclass, as lockdep's MAX_LOCKDEP_SUBCLASSES - 1. */
    public static final int MAX_SUBCLASS = 7;

    public static LockClass subclass(LockClass c, int k) {
        LockClass[] subs = c.subclasses;
        LockClass sub = subs[k];
        if (sub == null) {
            sub = registerClass(c.key + '/' + k, c.name + '/' + k, c.type, c.declaredAt, c.validated, c.decorator);
            if (sub == null) {
                return c;
            }
            sub.order = c.order;
            subs[k] = sub;
        }
        return sub;
    }

    static LockClass byId(int id) {
        LockClass[] table = byId;
        return id > 0 && id < table.length ? table[id] : null;
    }

    public static int count() {
        synchronized (LOCK) {
            return count;
        }
    }

    public static List<LockClass> all() {
        synchronized (LOCK) {
            List<LockClass> all = new ArrayList<>(count);
            for (int i = 1; i <= count; i++) {
                all.add(byId[i]);
            }
            return all;
        }
    }

    /** A JDK stream, reader or writer type: see {@link LockClass#decorator}. */
    private static boolean isStream(Class<?> type) {
        return java.io.InputStream.class.isAssignableFrom(type) || java.io.OutputStream.class.isAssignableFrom(type)
                || java.io.Reader.class.isAssignableFrom(type) || java.io.Writer.class.isAssignableFrom(type);
    }

    /** A JDK stream, reader or writer type (not a subclass of one outside the JDK). */
    static boolean isJdkStream(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return (loader == null || loader == ClassLoader.getPlatformClassLoader()) && isStream(type);
    }

    /** The named class is a JDK stream, reader or writer (a lock first taken in its code is one of its locks). */
    private static boolean isJdkStream(String className) {
        try {
            Class<?> c = Class.forName(className, false, null);
            return isStream(c);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** What jlockdep knows of a type used as a monitor. */
    private static final class MonitorType {
        /** The class of its instances that have none of their own: {@code monitor of <type>}. */
        final LockClass byType;
        /** A plain Object, or a JDK type that is not a lock of its own: instances are named when first locked. */
        final boolean namedPerInstance;
        /** Some instance was registered at its allocation: instances are looked up before the type's class is used. */
        volatile boolean registered;
        /** The part classes of containers of this type that have no class of their own (see {@link #ofPart}). */
        final Parts unregisteredParts = new Parts();

        MonitorType(LockClass byType, boolean namedPerInstance) {
            this.byType = byType;
            this.namedPerInstance = namedPerInstance;
        }
    }

    private static final class MonitorTypes extends ClassValue<MonitorType> {
        private final ClassLoader platform = ClassLoader.getPlatformClassLoader();

        @Override
        protected MonitorType computeValue(Class<?> type) {
            ClassLoader loader = type.getClassLoader();
            boolean jdkType = loader == null || loader == platform;
            return new MonitorType(registerClass(TYPE_KEY + type.getName(), typeName(shortName(type)),
                    LockType.MONITOR, null, true, jdkType && isStream(type)),
                    type == Object.class || (jdkType && !hasSynchronizedMethods(type)));
        }

        /**
         * A type built to be its own lock (Hashtable, Vector, StringBuffer) is named after itself; a JDK type that is
         * only locked by its users (a HashMap, a List) after the field they lock it through.
         */
        private static boolean hasSynchronizedMethods(Class<?> type) {
            try {
                for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                    for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                        if (java.lang.reflect.Modifier.isSynchronized(m.getModifiers())) {
                            return true;
                        }
                    }
                }
                return false;
            } catch (LinkageError | RuntimeException e) {
                return true; // cannot tell: keep the type's own name
            }
        }
    }
}
