package io.jlockdep.agent.instrument;

import java.util.Set;

/**
 * The JDK classes whose own methods {@link LockMethodInstrumenter} rewrites, by internal name. A class of its own, free
 * of ASM: the transformer asks about every class it is offered, and asking must not load the rewriting code, which a
 * JVM whose JDK classes all come from the agent's cache never needs.
 */
public final class LockMethodClasses {
    static final String LOCKS = "java/util/concurrent/locks/";
    static final String REENTRANT = LOCKS + "ReentrantLock";
    static final String READ_WRITE = LOCKS + "ReentrantReadWriteLock";
    static final String READ_LOCK = READ_WRITE + "$ReadLock";
    static final String WRITE_LOCK = READ_WRITE + "$WriteLock";
    static final String STAMPED = LOCKS + "StampedLock";
    static final String AQS = LOCKS + "AbstractQueuedSynchronizer";
    static final String AQS_CONDITION = AQS + "$ConditionObject";
    static final String AQLS_CONDITION = LOCKS + "AbstractQueuedLongSynchronizer$ConditionObject";
    static final String THREAD = "java/lang/Thread";
    static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    static final String CLASS_LOADER = "java/lang/ClassLoader";
    static final String MANAGEMENT_FACTORY = "java/lang/management/ManagementFactory";

    private static final Set<String> ALL = Set.of(REENTRANT, READ_WRITE, READ_LOCK, WRITE_LOCK, STAMPED, AQS,
            AQS_CONDITION, AQLS_CONDITION, THREAD, VIRTUAL_THREAD, CLASS_LOADER, MANAGEMENT_FACTORY);

    private LockMethodClasses() {
    }

    /** True for the classes {@link LockMethodInstrumenter} rewrites. */
    public static boolean contains(String internalName) {
        return ALL.contains(internalName);
    }

    static Set<String> all() {
        return ALL;
    }
}
