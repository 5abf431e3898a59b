package io.jlockdep.runtime.lockclass;

import java.util.HashMap;
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
        return register(classInternalName, methodName, sourceFile, line, null, null);
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
        return register(classInternalName, methodName, sourceFile, line, fieldOwnerInternalName, fieldName);
    }

    private static int register(String classInternalName, String methodName, String sourceFile, int line,
                                String fieldOwnerInternalName, String fieldName) {
        String key = classInternalName + '#' + methodName + '#' + sourceFile + '#' + line
                + (fieldName == null ? "" : '#' + fieldOwnerInternalName + '.' + fieldName);
        synchronized (LOCK) {
            Integer known = CODE_IDS.get(key);
            if (known != null) {
                return known;
            }
            int id = ++codeCount;
            CodeSite[] sites = codeSites;
            if (id >= sites.length) {
                CodeSite[] grown = new CodeSite[sites.length * 2];
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
        return allocation(allocatedTypeInternalName, simpleName(allocatedTypeInternalName),
                LockType.ofAllocatedType(allocatedTypeInternalName), codeSite, fieldOwnerInternalName, fieldName);
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
        return allocation(ownerInternalName + '.' + methodName, simpleName(ownerInternalName) + '.' + methodName, null,
                codeSite, fieldOwnerInternalName, fieldName);
    }

    /**
     * Registers a store into a field whose declared type is a lock type, of a value not allocated right there: a
     * lock that was allocated elsewhere and is not taken yet gets the field's class when stored there.
     *
     * @return the allocation id of the field, at least 1
     */
    public static int fieldStore(String fieldOwnerInternalName, String fieldName, int codeSite) {
        return allocation(null, null, null, codeSite, fieldOwnerInternalName, fieldName);
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
                                  String fieldOwnerInternalName, String fieldName) {
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
                return known;
            }
            int id = ++allocationCount;
            AllocationSite[] sites = allocationSites;
            if (id >= sites.length) {
                AllocationSite[] grown = new AllocationSite[sites.length * 2];
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
