package io.jlockdep.agent.instrument;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * The hook protocol: every call that rewritten bytecode makes into the runtime, one line each (runtime method, result
 * and argument types). The instrumenters emit calls only through this table; the int arguments they push are the
 * runtime's own constants ({@code Hooks.REENTRANT_LOCK}..., {@code Mode.EXCLUSIVE}...), which javac copies into the
 * agent. {@code HookTableTest} fails when this table, the public static methods of {@code Hooks} and {@code ExitCode},
 * the calls the instrumenters emit, or the test double {@code RecordingHooks} disagree.
 *
 * <p>A new hook is one line here, its method in the runtime, and the instrumenter code that emits it.
 */
enum Hook {
    // Monitors, allocations and Object.wait/notify, in any class (ClassInstrumenter / MethodRewriter)
    MONITOR_ENTER(By.CLASSES, "monitorEnter", void.class, Object.class, int.class),
    MONITOR_ENTER_PART(By.CLASSES, "monitorEnterPart", void.class, Object.class, Object.class, int.class),
    MONITOR_ENTERED(By.CLASSES, "monitorEntered", void.class),
    SYNC_METHOD_ENTERED(By.CLASSES, "syncMethodEntered", void.class, Object.class, int.class),
    MONITOR_EXIT(By.CLASSES, "monitorExit", void.class, Object.class),
    ALLOCATED(By.CLASSES, "allocated", void.class, Object.class, int.class),
    ALLOCATED_IN(By.CLASSES, "allocatedIn", void.class, Object.class, Object.class, int.class),
    STORED_IN_FIELD(By.CLASSES, "storedInField", void.class, Object.class, int.class),
    STORED_IN_FIELD_OF(By.CLASSES, "storedInField", void.class, Object.class, Object.class, int.class),
    CONSTRUCTED(By.CLASSES, "constructed", void.class, Object.class),
    CONSTRUCTING(By.CLASSES, "constructing", void.class, Object.class),
    INITIALIZING(By.CLASSES, "initializing", void.class, Class.class),
    INITIALIZER_STORED(By.CLASSES, "initializerStored", void.class, Object.class, Class.class),
    INITIALIZED(By.CLASSES, "initialized", void.class, Class.class),
    SITE(By.CLASSES, "site", void.class, int.class),
    ALLOCATING(By.CLASSES, "allocating", void.class, Class.class, int.class),
    OBJECT_WAIT(By.CLASSES, "objectWait", void.class, Object.class, int.class),
    OBJECT_WAIT_MILLIS(By.CLASSES, "objectWait", void.class, Object.class, long.class, int.class),
    OBJECT_WAIT_NANOS(By.CLASSES, "objectWait", void.class, Object.class, long.class, int.class, int.class),
    OBJECT_NOTIFY(By.CLASSES, "objectNotify", void.class, Object.class, int.class),
    OBJECT_NOTIFY_ALL(By.CLASSES, "objectNotifyAll", void.class, Object.class, int.class),

    // java.util.concurrent locks and a few JDK entry points (LockMethodInstrumenter)
    BEFORE_LOCK(By.JDK_METHODS, "beforeLock", void.class, Object.class, Object.class, int.class, int.class),
    AFTER_LOCK(By.JDK_METHODS, "afterLock", void.class),
    LOCK_FAILED(By.JDK_METHODS, "lockFailed", void.class, Object.class, Object.class, int.class, int.class),
    AFTER_TRY_LOCK(By.JDK_METHODS, "afterTryLock", void.class, boolean.class, Object.class, Object.class, int.class,
            int.class),
    AFTER_UNLOCK(By.JDK_METHODS, "afterUnlock", void.class, Object.class, int.class),
    AFTER_TRY_LOCK_STAMP(By.JDK_METHODS, "afterTryLockStamp", void.class, long.class, Object.class, int.class),
    BEFORE_UNLOCK_STAMP(By.JDK_METHODS, "beforeUnlockStamp", void.class, Object.class, long.class),
    AFTER_TRY_UNLOCK(By.JDK_METHODS, "afterTryUnlock", void.class, boolean.class, Object.class, int.class),
    BEFORE_CONVERT(By.JDK_METHODS, "beforeConvert", void.class, Object.class, long.class),
    AFTER_CONVERT(By.JDK_METHODS, "afterConvert", void.class, long.class, Object.class),
    BEFORE_WAIT(By.JDK_METHODS, "beforeWait", void.class, Object.class, long.class),
    BEFORE_WAIT_TIMED(By.JDK_METHODS, "beforeWait", void.class, Object.class, long.class,
            java.util.concurrent.TimeUnit.class),
    BEFORE_WAIT_UNTIL(By.JDK_METHODS, "beforeWaitUntil", void.class, Object.class, java.util.Date.class),
    BEFORE_NOTIFY(By.JDK_METHODS, "beforeNotify", void.class, Object.class),
    CONTENDED(By.JDK_METHODS, "contended", void.class, Object.class),
    THREAD_EXIT(By.JDK_METHODS, "threadExit", void.class),
    LOCK_CONSTRUCTED(By.JDK_METHODS, "constructed", void.class, Object.class), // a lock subclass's instance
    CLASS_LOADING_LOCK(By.JDK_METHODS, "classLoadingLock", void.class, Object.class),
    PLATFORM_MBEAN_SERVER(By.JDK_METHODS, "platformMBeanServer", void.class, Object.class),

    // Waits that are not locks: futures, latches, semaphores, queues, threads, pools (WaitMethodInstrumenter)
    BEFORE_EVENT_WAIT(By.WAIT_METHODS, "beforeEventWait", void.class, Object.class, int.class, int.class, long.class,
            Object.class),
    AFTER_EVENT_WAIT(By.WAIT_METHODS, "afterEventWait", void.class),
    EVENT_PRODUCED(By.WAIT_METHODS, "eventProduced", void.class, Object.class, int.class),
    TASK_CREATED(By.WAIT_METHODS, "taskCreated", void.class, Object.class, Object.class, Object.class),
    TASK_BEGIN(By.WAIT_METHODS, "taskBegin", void.class, Object.class),
    TASK_END(By.WAIT_METHODS, "taskEnd", void.class, Object.class),
    TASK_DONE(By.WAIT_METHODS, "taskDone", void.class, Object.class),
    POOL_CREATED(By.WAIT_METHODS, "poolCreated", void.class, Object.class),
    COMPLETION_SERVICE_CREATED(By.WAIT_METHODS, "completionServiceCreated", void.class, Object.class),
    TASK_SUBMITTED(By.WAIT_METHODS, "taskSubmitted", void.class, Object.class, Object.class),
    WORKER_BEGIN(By.WAIT_METHODS, "workerBegin", void.class, Object.class),
    WORKER_END(By.WAIT_METHODS, "workerEnd", void.class),

    // The stack trace a Throwable builds, without jlockdep's frames (StackTraceInstrumenter)
    WITHOUT_OWN_FRAMES(By.STACK_TRACES, "withoutOwnFrames", StackTraceElement[].class, StackTraceElement[].class),

    // System.exit and the end of the shutdown sequence (ShutdownInstrumenter), calling ExitCode
    STATUS_AT_EXIT(By.SHUTDOWN, "statusAtExit", int.class, int.class),
    AFTER_SHUTDOWN_HOOKS(By.SHUTDOWN, "afterShutdownHooks", void.class);

    /** Which instrumenter emits a hook, and so which runtime class has it. */
    enum By {
        CLASSES(HOOKS),
        JDK_METHODS(HOOKS),
        WAIT_METHODS(HOOKS),
        STACK_TRACES(HOOKS),
        SHUTDOWN("io/jlockdep/runtime/ExitCode");

        final String owner;

        By(String owner) {
            this.owner = owner;
        }
    }

    /** Internal name of the runtime class that instrumented code calls; a public boot class path class. */
    static final String HOOKS = "io/jlockdep/runtime/Hooks";

    final By by;
    final String owner;
    final String method;
    final String descriptor;

    Hook(By by, String method, Class<?> result, Class<?>... arguments) {
        this.by = by;
        this.owner = by.owner;
        this.method = method;
        Type[] types = new Type[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            types[i] = Type.getType(arguments[i]);
        }
        this.descriptor = Type.getMethodDescriptor(Type.getType(result), types);
    }

    int argumentCount() {
        return Type.getArgumentTypes(descriptor).length;
    }

    /** The call as a tree node, for {@link MethodRewriter}. */
    MethodInsnNode insn() {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, owner, method, descriptor, false);
    }

    /** Emits the call, for the visitor-based instrumenters. */
    void emit(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, method, descriptor, false);
    }
}
