package io.jlockdep.runtime.lockclass;

import io.jlockdep.runtime.graph.Dependency;
import io.jlockdep.runtime.graph.WaitNotify;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock class: the unit lockdep reasons about. All locks allocated at one site (or stored into one field), or all
 * monitors of one Java type, share a class, which is how an inversion between two instances is seen.
 * Holds names only: never a reference to an application Class or ClassLoader.
 */
public final class LockClass {
    final int id;
    final String key;
    final String name;
    final LockType type;
    /** Where the locks of this class are allocated, when known. */
    final CodeSite declaredAt;
    /**
     * False for locks that are tracked as held but never validated, never depended on and never a source of
     * dependencies (lockdep's novalidate class): the class-loading locks, which the JVM and the JDK take in an order
     * of their own.
     */
    final boolean validated;
    /**
     * A lock of a JDK stream, reader or writer. Those wrap one another (a PrintStream over a BufferedOutputStream over
     * a PrintStream...) and lock inner after outer by construction, so an acquisition nested in k other such locks
     * gets subclass k, as lockdep's nesting annotation would: the layers are told apart, while a cycle through an
     * application lock is still seen at the same layer.
     */
    final boolean decorator;

    // Graph state, guarded by the graph lock. Public for the graph package only (internal, like everything here).
    public final List<Dependency> after = new ArrayList<>(4);
    public final List<Dependency> before = new ArrayList<>(4);
    /** Subclasses 1..7 ({@code Lockdep.nested}), created on first use. */
    public final LockClass[] subclasses = new LockClass[8];
    /** Declared order among instances ({@code Lockdep.setOrder}), or null. */
    public volatile java.util.Comparator<Object> order;

    public static final WaitNotify.Record[] NO_RECORDS = new WaitNotify.Record[0];
    /** Classes held at untimed waits on this class, and at notifies of it (see {@link WaitNotify}). */
    public volatile WaitNotify.Record[] waiters = NO_RECORDS;
    public volatile WaitNotify.Record[] notifiers = NO_RECORDS;

    /**
     * The orders of gated cycles that lead to this class, under watch (see {@code GatedCycle}); null when none, which
     * is the only thing an acquisition of an unwatched class reads of it.
     */
    public volatile io.jlockdep.runtime.graph.GateWatch[] gateWatches;

    /** The classes of the internal parts of containers of this class (see {@link LockClasses#ofPart}), on demand. */
    private volatile LockClasses.Parts parts;

    LockClasses.Parts parts() {
        LockClasses.Parts p = parts;
        if (p == null) {
            synchronized (this) {
                p = parts;
                if (p == null) {
                    p = new LockClasses.Parts();
                    parts = p;
                }
            }
        }
        return p;
    }

    /** Contention statistics ({@code lockstat=true}), created at the first acquisition counted. */
    volatile LockStat stat;

    /**
     * The first instance of this class seen taken, weakly, until a second one is seen; then {@link #manyInstances}.
     * A class with one instance ever can gate a cycle: every thread that took it held the same lock.
     */
    private volatile java.lang.ref.WeakReference<Object> firstInstance;
    private volatile boolean manyInstances;

    /**
     * Records that {@code instance} (a lock's identity) is taken as a lock of this class. Returns true the one time it
     * turns the class from having had one instance to having had several.
     */
    public boolean noteInstance(Object instance) {
        if (manyInstances) {
            return false;
        }
        java.lang.ref.WeakReference<Object> first = firstInstance;
        if (first == null) {
            synchronized (this) {
                first = firstInstance;
                if (first == null) {
                    firstInstance = new java.lang.ref.WeakReference<>(instance);
                    return false;
                }
            }
        }
        if (first.refersTo(instance)) {
            return false;
        }
        synchronized (this) {
            boolean turned = !manyInstances;
            manyInstances = true;
            return turned;
        }
    }

    /** True while at most one instance of this class has been taken (since the last reset). */
    public boolean singleInstance() {
        return !manyInstances;
    }

    /** Forgets the instances seen (the between-cases reset of the graph). */
    public void forgetInstances() {
        synchronized (this) {
            firstInstance = null;
            manyInstances = false;
        }
    }

    public LockStat stat() {
        LockStat s = stat;
        if (s == null) {
            synchronized (this) {
                s = stat;
                if (s == null) {
                    s = new LockStat();
                    stat = s;
                }
            }
        }
        return s;
    }

    public LockClass(int id, String key, String name, LockType type, CodeSite declaredAt, boolean validated,
              boolean decorator) {
        this.id = id;
        this.key = key;
        this.name = name;
        this.type = type;
        this.declaredAt = declaredAt;
        this.validated = validated;
        this.decorator = decorator;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public LockType type() {
        return type;
    }

    public CodeSite declaredAt() {
        return declaredAt;
    }

    /** What identifies the class across JVMs: the field, type, allocation site or explicit name it is keyed by. */
    public String key() {
        return key;
    }

    /**
     * The name with nothing shortened: a class keyed by a type is named by the type's simple name
     * ({@code monitor of Account}, as short as a field's {@code Account.lock}); this is the fully qualified one
     * ({@code monitor of com.x.Account}). For other classes, the name without a {@code #n} suffix.
     */
    public String fullName() {
        return fullName(key, name);
    }

    /** {@link #fullName()} of the class with this key and name (also for classes read from a file). */
    public static String fullName(String key, String name) {
        if (key != null) {
            int subclass = key.lastIndexOf('/');
            String suffix = subclass > 0 && isDigits(key, subclass + 1) ? key.substring(subclass) : "";
            String base = key.substring(0, key.length() - suffix.length());
            if (base.startsWith(LockClasses.TYPE_KEY)) {
                return LockClasses.typeName(base.substring(LockClasses.TYPE_KEY.length())) + suffix;
            }
            if (base.startsWith(LockClasses.CLASS_OBJECT_KEY)) {
                return LockClasses.classObjectName(base.substring(LockClasses.CLASS_OBJECT_KEY.length())) + suffix;
            }
        }
        int numbered = name.lastIndexOf('#');
        return numbered > 0 && isDigits(name, numbered + 1) ? name.substring(0, numbered) : name;
    }

    private static boolean isDigits(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** False for a class tracked but never validated (see the field). */
    public boolean validated() {
        return validated;
    }

    /** A JDK stream, reader or writer lock (see the field). */
    public boolean decorator() {
        return decorator;
    }

    public Dependency dependencyTo(LockClass next) {
        for (int i = 0, n = after.size(); i < n; i++) {
            Dependency d = after.get(i);
            if (d.to == next) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
