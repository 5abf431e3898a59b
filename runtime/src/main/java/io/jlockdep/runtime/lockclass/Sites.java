package io.jlockdep.runtime.lockclass;

import java.util.ArrayList;
import java.util.Arrays;
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
    /**
     * Every call that made an id, in id order (id = index + 1). An entry of {@link #codeSites} or
     * {@link #allocationSites} is made from its call when first asked for, and the calls {@link #replay} added are keyed
     * in {@link #CODE_IDS} and {@link #ALLOCATION_IDS} only when the agent registers again: a JVM that replays the
     * agent's cache pays only for the sites it uses.
     */
    private static final List<SiteCall> CODE_CALLS = new ArrayList<>();
    private static final List<SiteCall> ALLOCATION_CALLS = new ArrayList<>();
    private static volatile CodeSite[] codeSites = new CodeSite[256];
    private static volatile AllocationSite[] allocationSites = new AllocationSite[64];
    /** How many calls of each kind are keyed. */
    private static int codesKeyed;
    private static int allocationsKeyed;

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
        return register(new SiteCall(SiteCall.CODE, classInternalName, methodName, sourceFile, line, null, null));
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
        return register(new SiteCall(SiteCall.CODE, classInternalName, methodName, sourceFile, line,
                fieldOwnerInternalName, fieldName));
    }

    private static int register(SiteCall call) {
        String key = codeKey(call);
        synchronized (LOCK) {
            keyReplayed();
            Integer known = CODE_IDS.get(key);
            if (known != null) {
                return known;
            }
            CODE_CALLS.add(call);
            int id = CODE_CALLS.size();
            CODE_IDS.put(key, id);
            codesKeyed = id;
            CodeSite[] sites = codeSites.length > id ? codeSites : Arrays.copyOf(codeSites, codeSites.length * 2);
            sites[id] = newCodeSite(call);
            codeSites = sites;
            return id;
        }
    }

    private static String codeKey(SiteCall c) {
        return c.owner + '#' + c.method + '#' + c.sourceFile + '#' + c.number
                + (c.fieldName == null ? "" : '#' + c.fieldOwner + '.' + c.fieldName);
    }

    private static CodeSite newCodeSite(SiteCall c) {
        String className = c.owner.replace('/', '.');
        return c.fieldName == null ? new CodeSite(className, c.method, c.sourceFile, c.number)
                : new CodeSite(className, c.method, c.sourceFile, c.number, fieldKey(c.fieldOwner, c.fieldName),
                        simpleName(c.fieldOwner) + '.' + c.fieldName);
    }

    /**
     * Registers the allocation of a lock object: {@code new ReentrantLock()}, {@code new ReentrantReadWriteLock()},
     * {@code new StampedLock()}, {@code new Object()}, or {@code new} of a JDK type that locks itself
     * ({@code Hashtable}, {@code StringBuffer}...). Every instance created there gets the lock class of the site; when
     * the new object is stored straight into a field, the class is named (and keyed) after the field.
     *
     * @param allocatedTypeInternalName internal name of the allocated type, e.g. {@code java/util/concurrent/locks/ReentrantLock}
     * @param codeSite                  the {@link #code} id of the allocation
     * @param fieldOwnerInternalName    owner of the field the object is stored into, or null
     * @param fieldName                 the field the object is stored into, or null
     * @return the allocation id, at least 1
     */
    public static int allocation(String allocatedTypeInternalName, int codeSite, String fieldOwnerInternalName,
                                 String fieldName) {
        return allocation(new SiteCall(SiteCall.ALLOCATION, allocatedTypeInternalName, null, null, codeSite,
                fieldOwnerInternalName, fieldName));
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
        return allocation(new SiteCall(SiteCall.FACTORY_CALL, ownerInternalName, methodName, null, codeSite,
                fieldOwnerInternalName, fieldName));
    }

    /**
     * Registers a store into a field whose declared type is a lock type, of a value not allocated right there: a
     * lock that was allocated elsewhere and is not taken yet gets the field's class when stored there.
     *
     * @return the allocation id of the field, at least 1
     */
    public static int fieldStore(String fieldOwnerInternalName, String fieldName, int codeSite) {
        return allocation(new SiteCall(SiteCall.FIELD_STORE, null, null, null, codeSite, fieldOwnerInternalName,
                fieldName));
    }

    /** The site that called the constructor of an object of this type, found on the stack; null when none is. */
    static AllocationSite constructorCaller(Class<?> type) {
        return ConstructorCaller.of(type);
    }

    private static int allocation(SiteCall call) {
        String key = newAllocationSite(0, call).key;
        synchronized (LOCK) {
            keyReplayed();
            Integer known = ALLOCATION_IDS.get(key);
            if (known != null) {
                return known;
            }
            ALLOCATION_CALLS.add(call);
            int id = ALLOCATION_CALLS.size();
            ALLOCATION_IDS.put(key, id);
            allocationsKeyed = id;
            AllocationSite[] sites = allocationSites.length > id ? allocationSites
                    : Arrays.copyOf(allocationSites, allocationSites.length * 2);
            sites[id] = newAllocationSite(id, call);
            allocationSites = sites;
            return id;
        }
    }

    /** The allocation site an allocation, factory call or field store makes. */
    private static AllocationSite newAllocationSite(int id, SiteCall c) {
        // What stands for the allocated type in the key, how the class name shows it, and the lock type it makes
        // (null when the object's runtime type decides).
        String typeName;
        String shortName;
        LockType type;
        if (c.kind == SiteCall.ALLOCATION) {
            typeName = c.owner;
            shortName = simpleName(c.owner);
            type = LockType.ofAllocatedType(c.owner);
        } else if (c.kind == SiteCall.FACTORY_CALL) {
            typeName = c.owner + '.' + c.method;
            shortName = simpleName(c.owner) + '.' + c.method;
            type = null;
        } else {
            typeName = null;
            shortName = null;
            type = null;
        }
        CodeSite site = codeSite(c.number);
        boolean field = c.fieldName != null && c.fieldOwner != null;
        String key;
        String name;
        if (field) {
            key = fieldKey(c.fieldOwner, c.fieldName);
            name = simpleName(c.fieldOwner) + '.' + c.fieldName;
        } else {
            // Keyed by the place itself, not its per-JVM id, so the key names the same class in every JVM.
            key = "site:" + typeName + '@' + (site == null ? "#" + c.number : site.longForm());
            name = shortName + '@' + (site == null ? "?" : site.fileAndLine());
        }
        return new AllocationSite(id, key, name, type, site, field ? c.fieldOwner : null, field ? c.fieldName : null);
    }

    /** Keys the calls {@link #replay} added, before the first registration after it; LOCK held. */
    private static void keyReplayed() {
        for (; codesKeyed < CODE_CALLS.size(); codesKeyed++) {
            CODE_IDS.putIfAbsent(codeKey(CODE_CALLS.get(codesKeyed)), codesKeyed + 1);
        }
        for (; allocationsKeyed < ALLOCATION_CALLS.size(); allocationsKeyed++) {
            ALLOCATION_IDS.putIfAbsent(allocationSite(allocationsKeyed + 1).key, allocationsKeyed + 1);
        }
    }

    /**
     * The calls that made the ids so far, code sites then allocations, each in id order. Replayed by {@link #replay}
     * into the empty registry of another JVM they give every site the same id, so bytecode rewritten in one JVM (the
     * agent's cache of rewritten JDK classes) can be defined in the other.
     */
    public static List<SiteCall> calls() {
        synchronized (LOCK) {
            List<SiteCall> all = new ArrayList<>(CODE_CALLS);
            all.addAll(ALLOCATION_CALLS);
            return all;
        }
    }

    /** How many code sites and allocation sites are registered: {code sites, allocations}. */
    public static int[] counts() {
        synchronized (LOCK) {
            return new int[] {CODE_CALLS.size(), ALLOCATION_CALLS.size()};
        }
    }

    /**
     * Adds, in order, what {@link #calls} returned in another JVM, so that every site has the same id here. Only an
     * empty registry can give the same ids: returns false, having added nothing, when this one is not empty.
     */
    public static boolean replay(List<SiteCall> calls) {
        synchronized (LOCK) {
            if (!CODE_CALLS.isEmpty() || !ALLOCATION_CALLS.isEmpty()) {
                return false;
            }
            for (SiteCall c : calls) {
                (c.kind == SiteCall.CODE ? CODE_CALLS : ALLOCATION_CALLS).add(c);
            }
            codeSites = new CodeSite[Math.max(256, CODE_CALLS.size() + 1)];
            allocationSites = new AllocationSite[Math.max(64, ALLOCATION_CALLS.size() + 1)];
            return true;
        }
    }

    /**
     * One call that made a site id, as the agent made it: {@link #code} or {@link #lockSite} ({@code owner} the class,
     * {@code number} the line), {@link #allocation} ({@code owner} the allocated type), {@link #factoryCall}
     * ({@code owner} and {@code method} the factory) or {@link #fieldStore}; for the last three {@code number} is the
     * code site id.
     */
    public static final class SiteCall {
        public static final int CODE = 0;
        public static final int ALLOCATION = 1;
        public static final int FACTORY_CALL = 2;
        public static final int FIELD_STORE = 3;

        public final int kind;
        public final String owner;
        public final String method;
        public final String sourceFile;
        public final int number;
        public final String fieldOwner;
        public final String fieldName;

        public SiteCall(int kind, String owner, String method, String sourceFile, int number, String fieldOwner,
                        String fieldName) {
            this.kind = kind;
            this.owner = owner;
            this.method = method;
            this.sourceFile = sourceFile;
            this.number = number;
            this.fieldOwner = fieldOwner;
            this.fieldName = fieldName;
        }
    }

    /** The class key of locks named after a field: the same whether they were allocated into it or locked through it. */
    static String fieldKey(String ownerInternalName, String fieldName) {
        return "field:" + ownerInternalName + '.' + fieldName;
    }

    /** The code site with this id, or null for 0 and unknown ids. */
    public static CodeSite codeSite(int id) {
        CodeSite[] sites = codeSites;
        if (id <= 0 || id >= sites.length) {
            return null;
        }
        CodeSite s = sites[id];
        return s != null ? s : replayedCodeSite(id);
    }

    static AllocationSite allocationSite(int id) {
        AllocationSite[] sites = allocationSites;
        if (id <= 0 || id >= sites.length) {
            return null;
        }
        AllocationSite s = sites[id];
        return s != null ? s : replayedAllocationSite(id);
    }

    /** Makes the site of a replayed call when first asked for; null for an id nobody registered. */
    private static CodeSite replayedCodeSite(int id) {
        synchronized (LOCK) {
            if (id > CODE_CALLS.size()) {
                return null;
            }
            if (codeSites[id] == null) {
                codeSites[id] = newCodeSite(CODE_CALLS.get(id - 1));
            }
            return codeSites[id];
        }
    }

    private static AllocationSite replayedAllocationSite(int id) {
        synchronized (LOCK) {
            if (id > ALLOCATION_CALLS.size()) {
                return null;
            }
            if (allocationSites[id] == null) {
                allocationSites[id] = newAllocationSite(id, ALLOCATION_CALLS.get(id - 1));
            }
            return allocationSites[id];
        }
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
