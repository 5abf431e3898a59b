package io.jlockdep.runtime.lockclass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registry of the code locations the agent instruments. The agent registers each location once, at
 * transformation time, and bakes the returned int into the rewritten bytecode, so the hot path only ever
 * passes a constant. Ids start at 1; 0 means "unknown".
 */
public final class Sites {
    private static final Object LOCK = new Object();
    private static final Map<String, Integer> CODE_IDS = new HashMap<>();
    private static final Map<String, Integer> ALLOCATION_IDS = new HashMap<>();
    private static volatile CodeSite[] codeSites = new CodeSite[256];
    private static volatile AllocationSite[] allocationSites = new AllocationSite[64];
    private static int codeCount;
    private static int allocationCount;
    /** What the agent's transformer registers while it rewrites one class, when it asked to know (see {@link #record}). */
    private static final ThreadLocal<List<Registration>> RECORDING = new ThreadLocal<>();

    private Sites() {
    }

    /**
     * Registers a code location: a monitorenter, a synchronized method, a call to a lock method or an
     * allocation.
     *
     * @param classInternalName internal name of the class holding the code, e.g. {@code com/x/Foo$Bar}
     * @param methodName        the method's name
     * @param sourceFile        the SourceFile attribute, or null when the class has none
     * @param line              the line number, or -1 when unknown
     * @return the site id, at least 1
     */
    public static int code(String classInternalName, String methodName, String sourceFile, int line) {
        return recorded(new Registration(Registration.CODE, classInternalName, methodName, sourceFile, line, null, null,
                0, register(classInternalName, methodName, sourceFile, line, null, null, 0)));
    }

    /**
     * Registers a {@code monitorenter} whose monitor is read straight from a field: a monitor of a JDK type (a
     * {@code HashMap}, a {@code List}...) or a plain {@code Object} first locked there is named after the field
     * ({@code Source.files}) rather than after its type, which unrelated locks share.
     *
     * @param fieldOwnerInternalName the class declaring the field, e.g. {@code java/util/zip/ZipFile$Source}
     * @param fieldName              the field
     * @return the site id, at least 1
     */
    public static int lockSite(String classInternalName, String methodName, String sourceFile, int line,
                               String fieldOwnerInternalName, String fieldName) {
        return recorded(new Registration(Registration.LOCK_SITE, classInternalName, methodName, sourceFile, line,
                fieldOwnerInternalName, fieldName, 0,
                register(classInternalName, methodName, sourceFile, line, fieldOwnerInternalName, fieldName, 0)));
    }

    /**
     * @param forcedId 0 for the next id; else the id the entry must get (a {@link #restore}), and -1 is returned when
     *                 that id or the key is already taken otherwise
     */
    private static int register(String classInternalName, String methodName, String sourceFile, int line,
                                String fieldOwnerInternalName, String fieldName, int forcedId) {
        String key = classInternalName + '#' + methodName + '#' + sourceFile + '#' + line
                + (fieldName == null ? "" : '#' + fieldOwnerInternalName + '.' + fieldName);
        synchronized (LOCK) {
            Integer known = CODE_IDS.get(key);
            if (known != null) {
                return forcedId == 0 || known == forcedId ? known : -1;
            }
            CodeSite[] sites = codeSites;
            if (forcedId != 0 && forcedId < sites.length && sites[forcedId] != null) {
                return -1;
            }
            int id = forcedId != 0 ? forcedId : ++codeCount;
            if (id >= sites.length) {
                CodeSite[] grown = new CodeSite[Math.max(sites.length * 2, id + 1)];
                System.arraycopy(sites, 0, grown, 0, sites.length);
                sites = grown;
            }
            sites[id] = fieldName == null
                    ? new CodeSite(classInternalName.replace('/', '.'), methodName, sourceFile, line)
                    : new CodeSite(classInternalName.replace('/', '.'), methodName, sourceFile, line,
                            fieldKey(fieldOwnerInternalName, fieldName),
                            simpleName(fieldOwnerInternalName) + '.' + fieldName);
            codeSites = sites;
            CODE_IDS.put(key, id);
            return id;
        }
    }

    /**
     * Registers the allocation of a lock object: {@code new ReentrantLock()}, {@code new ReentrantReadWriteLock()},
     * {@code new StampedLock()}, {@code new Object()}, or {@code new} of a JDK type that locks itself
     * ({@code Hashtable}, {@code StringBuffer}...). Every instance created there gets the lock class of the site; when
     * the new object is stored straight into a field, the class is named (and keyed) after the field. A synchronizer
     * ({@code new CountDownLatch(1)}, a blocking queue...) gets the event class of the site the same way.
     *
     * @param allocatedTypeInternalName internal name of the allocated type, e.g. {@code java/util/concurrent/locks/ReentrantLock}
     * @param codeSite                  the {@link #code} id of the allocation
     * @param fieldOwnerInternalName    owner of the field the object is stored into, or null
     * @param fieldName                 the field the object is stored into, or null
     * @return the allocation id, at least 1
     */
    public static int allocation(String allocatedTypeInternalName, int codeSite, String fieldOwnerInternalName,
                                 String fieldName) {
        return recorded(new Registration(Registration.ALLOCATION, allocatedTypeInternalName, null, null, 0,
                fieldOwnerInternalName, fieldName, codeSite,
                allocation(allocatedTypeInternalName, codeSite, fieldOwnerInternalName, fieldName, 0)));
    }

    private static int allocation(String allocatedTypeInternalName, int codeSite, String fieldOwnerInternalName,
                                  String fieldName, int forcedId) {
        return allocation(allocatedTypeInternalName, simpleName(allocatedTypeInternalName),
                LockType.ofAllocatedType(allocatedTypeInternalName), codeSite, fieldOwnerInternalName, fieldName,
                forcedId);
    }

    /**
     * Registers a call of a JDK factory whose result locks itself ({@code Collections.synchronizedList(list)}): the
     * call site is the allocation site of what it returns, as for {@link #allocation}.
     *
     * @param ownerInternalName the class declaring the factory, e.g. {@code java/util/Collections}
     * @param methodName        the factory
     * @return the allocation id, at least 1
     */
    public static int factoryCall(String ownerInternalName, String methodName, int codeSite,
                                  String fieldOwnerInternalName, String fieldName) {
        return recorded(new Registration(Registration.FACTORY_CALL, ownerInternalName, methodName, null, 0,
                fieldOwnerInternalName, fieldName, codeSite,
                factoryCall(ownerInternalName, methodName, codeSite, fieldOwnerInternalName, fieldName, 0)));
    }

    private static int factoryCall(String ownerInternalName, String methodName, int codeSite,
                                   String fieldOwnerInternalName, String fieldName, int forcedId) {
        return allocation(ownerInternalName + '.' + methodName, simpleName(ownerInternalName) + '.' + methodName, null,
                codeSite, fieldOwnerInternalName, fieldName, forcedId);
    }

    /**
     * Registers a store into a field whose declared type is a lock type, of a value not allocated right there: a
     * lock that was allocated elsewhere and is not taken yet gets the field's class when stored there.
     *
     * @return the allocation id of the field, at least 1
     */
    public static int fieldStore(String fieldOwnerInternalName, String fieldName, int codeSite) {
        return recorded(new Registration(Registration.FIELD_STORE, null, null, null, 0, fieldOwnerInternalName,
                fieldName, codeSite, allocation(null, null, null, codeSite, fieldOwnerInternalName, fieldName, 0)));
    }

    /** The site that called the constructor of an object of this type, found on the stack; null when none is. */
    static AllocationSite constructorCaller(Class<?> type) {
        return ConstructorCaller.of(type);
    }

    /**
     * @param typeName the allocated type (internal name), or what stands for it in the key; null for a field store
     * @param shortName how the class name shows the allocated type, e.g. {@code ReentrantLock}
     * @param type      the lock type the allocated type makes, or null when the object's runtime type decides
     */
    private static int allocation(String typeName, String shortName, LockType type, int codeSite,
                                  String fieldOwnerInternalName, String fieldName, int forcedId) {
        CodeSite site = codeSite(codeSite);
        String key;
        String name;
        boolean field = fieldName != null && fieldOwnerInternalName != null;
        if (field) {
            key = fieldKey(fieldOwnerInternalName, fieldName);
            name = simpleName(fieldOwnerInternalName) + '.' + fieldName;
        } else {
            // Keyed by the place itself, not its per-JVM id, so the key names the same class in every JVM.
            key = "site:" + typeName + '@' + (site == null ? "#" + codeSite : site.longForm());
            name = shortName + '@' + (site == null ? "?" : site.fileAndLine());
        }
        synchronized (LOCK) {
            Integer known = ALLOCATION_IDS.get(key);
            if (known != null) {
                return forcedId == 0 || known == forcedId ? known : -1;
            }
            AllocationSite[] sites = allocationSites;
            if (forcedId != 0 && (forcedId < sites.length && sites[forcedId] != null
                    || codeSite != 0 && site == null)) {
                return -1;
            }
            int id = forcedId != 0 ? forcedId : ++allocationCount;
            if (id >= sites.length) {
                AllocationSite[] grown = new AllocationSite[Math.max(sites.length * 2, id + 1)];
                System.arraycopy(sites, 0, grown, 0, sites.length);
                sites = grown;
            }
            sites[id] = new AllocationSite(id, key, name, type,
                    typeName == null ? null : EventType.ofAllocatedType(typeName), site,
                    field ? fieldOwnerInternalName : null, field ? fieldName : null);
            allocationSites = sites;
            ALLOCATION_IDS.put(key, id);
            return id;
        }
    }

    /**
     * Starts recording, on this thread, every registration made until {@link #stopRecording}: the agent keeps a
     * rewritten JDK class together with the sites its rewrite registered, so that a later JVM can use the same bytes
     * after a {@link #restore}. Returns what was being recorded before (a rewrite inside a rewrite), for stopRecording.
     */
    public static List<Registration> startRecording() {
        List<Registration> previous = RECORDING.get();
        RECORDING.set(new ArrayList<>());
        return previous;
    }

    /** Ends the recording {@link #startRecording} began and goes back to the one before; returns what was registered. */
    public static List<Registration> stopRecording(List<Registration> previous) {
        List<Registration> recorded = RECORDING.get();
        RECORDING.set(previous);
        return recorded == null ? new ArrayList<>() : recorded;
    }

    private static int recorded(Registration registration) {
        List<Registration> recording = RECORDING.get();
        if (recording != null) {
            recording.add(registration);
        }
        return registration.id;
    }

    /**
     * Puts back registrations a previous JVM recorded, each at the id it had there, so that bytecode rewritten there
     * (which has those ids baked in) means the same here. Refuses (returns false, and registers nothing) unless no site
     * is registered yet, or when the entries contradict each other (one key at two ids, two keys at one id, an
     * allocation of a code site that is not among them). Ids between them stay unused: no bytecode of this JVM refers to
     * them. Later registrations get ids after the highest restored one.
     */
    public static boolean restore(List<Registration> registrations) {
        synchronized (LOCK) {
            if (codeCount != 0 || allocationCount != 0) {
                return false;
            }
            int maxCode = 0;
            int maxAllocation = 0;
            boolean consistent = true;
            for (Registration r : registrations) { // code sites first: allocations refer to them
                if (r.isCodeSite()) {
                    consistent &= r.id > 0 && register(r.className, r.methodName, r.sourceFile, r.line,
                            r.fieldOwnerInternalName, r.fieldName, r.id) == r.id;
                    maxCode = Math.max(maxCode, r.id);
                }
            }
            for (Registration r : registrations) {
                if (consistent && !r.isCodeSite()) {
                    consistent = r.id > 0 && replayAllocation(r) == r.id;
                    maxAllocation = Math.max(maxAllocation, r.id);
                }
            }
            if (!consistent) {
                clear();
                return false;
            }
            codeCount = maxCode;
            allocationCount = maxAllocation;
            return true;
        }
    }

    private static int replayAllocation(Registration r) {
        switch (r.kind) {
            case Registration.ALLOCATION:
                return allocation(r.className, r.codeSite, r.fieldOwnerInternalName, r.fieldName, r.id);
            case Registration.FACTORY_CALL:
                return factoryCall(r.className, r.methodName, r.codeSite, r.fieldOwnerInternalName, r.fieldName, r.id);
            case Registration.FIELD_STORE:
                return allocation(null, null, null, r.codeSite, r.fieldOwnerInternalName, r.fieldName, r.id);
            default:
                return -1;
        }
    }

    private static void clear() {
        CODE_IDS.clear();
        ALLOCATION_IDS.clear();
        codeSites = new CodeSite[256];
        allocationSites = new AllocationSite[64];
        codeCount = 0;
        allocationCount = 0;
    }

    /**
     * One call of {@link #code}, {@link #lockSite}, {@link #allocation}, {@link #factoryCall} or {@link #fieldStore}:
     * its arguments and the id it returned. Unused arguments are null or 0.
     */
    public static final class Registration {
        public static final int CODE = 1;
        public static final int LOCK_SITE = 2;
        public static final int ALLOCATION = 3;
        public static final int FACTORY_CALL = 4;
        public static final int FIELD_STORE = 5;

        public final int kind;
        /** The class of a code site, the allocated type, or the factory's owner. */
        public final String className;
        public final String methodName;
        public final String sourceFile;
        public final int line;
        public final String fieldOwnerInternalName;
        public final String fieldName;
        /** The code site of an allocation, factory call or field store. */
        public final int codeSite;
        public final int id;

        public Registration(int kind, String className, String methodName, String sourceFile, int line,
                            String fieldOwnerInternalName, String fieldName, int codeSite, int id) {
            if (kind < CODE || kind > FIELD_STORE) {
                throw new IllegalArgumentException("no such kind of site registration: " + kind);
            }
            this.kind = kind;
            this.className = className;
            this.methodName = methodName;
            this.sourceFile = sourceFile;
            this.line = line;
            this.fieldOwnerInternalName = fieldOwnerInternalName;
            this.fieldName = fieldName;
            this.codeSite = codeSite;
            this.id = id;
        }

        boolean isCodeSite() {
            return kind == CODE || kind == LOCK_SITE;
        }
    }

    /** The class key of locks named after a field: the same whether they were allocated into it or locked through it. */
    static String fieldKey(String ownerInternalName, String fieldName) {
        return "field:" + ownerInternalName + '.' + fieldName;
    }

    /** The code site with this id, or null for 0 and unknown ids. */
    public static CodeSite codeSite(int id) {
        CodeSite[] sites = codeSites;
        return id > 0 && id < sites.length ? sites[id] : null;
    }

    static AllocationSite allocationSite(int id) {
        AllocationSite[] sites = allocationSites;
        return id > 0 && id < sites.length ? sites[id] : null;
    }

    /** {@code com/x/Outer$Inner} → {@code Inner}. */
    static String simpleName(String internalOrBinaryName) {
        int cut = Math.max(internalOrBinaryName.lastIndexOf('/'), internalOrBinaryName.lastIndexOf('.'));
        String name = internalOrBinaryName.substring(cut + 1);
        int nested = name.lastIndexOf('$');
        if (nested >= 0 && nested < name.length() - 1 && !Character.isDigit(name.charAt(nested + 1))) {
            name = name.substring(nested + 1);
        }
        return name;
    }
}
