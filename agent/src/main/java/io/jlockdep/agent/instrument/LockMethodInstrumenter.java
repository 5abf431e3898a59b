package io.jlockdep.agent.instrument;

// The lock types and modes pushed as hook arguments are the runtime's own constants, which javac copies in here.
import static io.jlockdep.runtime.Hooks.READ_WRITE_LOCK;
import static io.jlockdep.runtime.Hooks.REENTRANT_LOCK;
import static io.jlockdep.runtime.Hooks.STAMPED_LOCK;
import static io.jlockdep.runtime.lockclass.Mode.EXCLUSIVE;
import static io.jlockdep.runtime.lockclass.Mode.READ;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the bodies of the java.util.concurrent lock methods (ReentrantLock, the ReentrantReadWriteLock views and
 * StampedLock) so they report to {@code io.jlockdep.runtime.Hooks}, through the calls of the {@link Hook} table: a
 * blocking acquisition calls {@code beforeLock} on entry, before it can block, and {@code afterLock} before each normal
 * return; a try-acquisition calls {@code afterTryLock} (StampedLock: {@code afterTryLockStamp}) with its result; a
 * release calls {@code afterUnlock} before it returns, once the lock is released (StampedLock's {@code unlock(long)}:
 * {@code beforeUnlockStamp} on entry; {@code tryUnlockRead/Write}: {@code afterTryUnlock} with the result); a
 * StampedLock conversion calls {@code beforeConvert} on entry and {@code afterConvert} before each return. Only method
 * bodies change, so already-loaded classes can be retransformed. Entry hooks are stack-neutral. A hook before a return
 * comes after the operation took effect, so its call is guarded: the method's value waits in a fresh local, and if the
 * call itself throws (a stack overflow at the edge of the stack) a handler first in the exception table returns that
 * value all the same; the program never sees a lock method fail that did its work. The undo handler's call is guarded
 * alike.
 *
 * <p>The lock instance is the lock's synchronizer ({@code sync}) for ReentrantLock and the read/write views (so both
 * views are one lock, and a {@code Condition}, whose enclosing object is that synchronizer, names the same lock), and
 * {@code this} for StampedLock. {@code Condition.await*} calls {@code beforeWait} (or {@code beforeWaitUntil}, with the
 * wait's timeout if it has one) and {@code signal/signalAll} call {@code beforeNotify} on entry; {@code Thread.exit()}
 * calls {@code threadExit}. The constructors of ReentrantLock, ReentrantReadWriteLock and StampedLock call {@code
 * constructed(this)} before they return, so that an object of a subclass, whose {@code new} the class rewriter cannot
 * recognise, is classed by the site that called its constructor. StampedLock's views ({@code asReadLock()} etc.) are
 * not rewritten: they acquire through the StampedLock methods above and release through {@code
 * unstampedUnlockRead/Write}, which are.
 *
 * <p>A target method that calls another target method of its own class (directly or through helpers of that class) is
 * left alone, so that one operation reports once: e.g. {@code StampedLock.unlock(long)}, which delegates to {@code
 * unlockWrite}/{@code unlockRead} on JDK 17 and 25. This is decided per class file from the method bodies.
 */
public final class LockMethodInstrumenter {
    private static final String LOCKS = "java/util/concurrent/locks/";
    private static final String READ_LOCK = LOCKS + "ReentrantReadWriteLock$ReadLock";
    private static final String WRITE_LOCK = LOCKS + "ReentrantReadWriteLock$WriteLock";
    private static final String REENTRANT = LOCKS + "ReentrantLock";
    private static final String AQS_CONDITION = LOCKS + "AbstractQueuedSynchronizer$ConditionObject";
    private static final String AQLS_CONDITION = LOCKS + "AbstractQueuedLongSynchronizer$ConditionObject";
    private static final String THREAD = "java/lang/Thread";

    private static final String STAMPED = LOCKS + "StampedLock";
    private static final String READ_WRITE = LOCKS + "ReentrantReadWriteLock";
    /**
     * The lock types whose constructors call {@code Hooks.constructed(this)} before they return, so that an instance
     * of a subclass (whose {@code new} is not hooked) is classed by the site that called its constructor.
     */
    private static final Set<String> CONSTRUCTED = Set.of(REENTRANT, READ_WRITE, STAMPED);
    private static final String THROWABLE = "java/lang/Throwable";

    private enum Kind {
        /** beforeLock on entry, afterLock before each return (void or stamp). */
        BLOCKING,
        /** afterTryLock(boolean) before each return. */
        TRY,
        /** afterUnlock before each return: a release is recorded once it has happened, never when it throws. */
        UNLOCK,
        /** afterTryLockStamp(stamp) before each return. */
        TRY_STAMP,
        /** beforeUnlockStamp(stamp argument) on entry. */
        UNLOCK_STAMP,
        /** afterTryUnlock(boolean) before each return. */
        TRY_UNLOCK,
        /** beforeConvert(stamp argument) on entry, afterConvert(new stamp) before each return. */
        CONVERT,
        /** Condition.await(), awaitUninterruptibly(): beforeWait(the condition's synchronizer, -1: untimed). */
        AWAIT,
        /** Condition.awaitNanos(nanos): beforeWait(synchronizer, nanos) on entry. */
        AWAIT_NANOS,
        /** Condition.await(time, unit): beforeWait(synchronizer, time, unit) on entry. */
        AWAIT_TIMED,
        /** Condition.awaitUntil(deadline): beforeWaitUntil(synchronizer, deadline) on entry. */
        AWAIT_UNTIL,
        /** Condition.signal/signalAll: beforeNotify(the condition's synchronizer) on entry. */
        SIGNAL,
        /** Thread.exit(): threadExit() on entry. */
        THREAD_EXIT,
        /** VirtualThread.run(Runnable), the whole life of a virtual thread's task: threadExit() before each return. */
        VIRTUAL_THREAD_RUN,
        /** ClassLoader.getClassLoadingLock(String): classLoadingLock(the lock) before each return. */
        CLASS_LOADING_LOCK,
        /** ManagementFactory.getPlatformMBeanServer(): platformMBeanServer(the server) before each return. */
        PLATFORM_MBEAN_SERVER,
        /**
         * A synchronizer's slow path (AQS.acquire, StampedLock.acquireWrite/acquireRead): contended(this) on entry.
         * Only for lock statistics; not an operation of its own, so it never makes its callers "delegating".
         */
        CONTENDED
    }

    /** What to do for one method of one lock class. */
    private static final class Target {
        final Kind kind;
        final int type;
        final int mode;

        Target(Kind kind, int type, int mode) {
            this.kind = kind;
            this.type = type;
            this.mode = mode;
        }
    }

    private static final Map<String, Map<String, Target>> TARGETS = new HashMap<>();

    static {
        lockClass(REENTRANT, REENTRANT_LOCK, EXCLUSIVE);
        condition(AQS_CONDITION);
        condition(AQLS_CONDITION);
        Map<String, Target> thread = new HashMap<>();
        thread.put("exit()V", new Target(Kind.THREAD_EXIT, 0, 0));
        TARGETS.put(THREAD, thread);
        Map<String, Target> virtualThread = new HashMap<>();
        virtualThread.put("run(Ljava/lang/Runnable;)V", new Target(Kind.VIRTUAL_THREAD_RUN, 0, 0));
        TARGETS.put("java/lang/VirtualThread", virtualThread);
        Map<String, Target> classLoader = new HashMap<>();
        classLoader.put("getClassLoadingLock(Ljava/lang/String;)Ljava/lang/Object;",
                new Target(Kind.CLASS_LOADING_LOCK, 0, 0));
        TARGETS.put("java/lang/ClassLoader", classLoader);
        Map<String, Target> management = new HashMap<>();
        management.put("getPlatformMBeanServer()Ljavax/management/MBeanServer;",
                new Target(Kind.PLATFORM_MBEAN_SERVER, 0, 0));
        TARGETS.put("java/lang/management/ManagementFactory", management);
        Map<String, Target> aqs = new HashMap<>();
        aqs.put("acquire(Ljava/util/concurrent/locks/AbstractQueuedSynchronizer$Node;IZZZJ)I",
                new Target(Kind.CONTENDED, 0, 0));
        TARGETS.put(LOCKS + "AbstractQueuedSynchronizer", aqs);
        // JDK 25's ReentrantReadWriteLock queues on the long-state synchronizer
        Map<String, Target> aqls = new HashMap<>();
        aqls.put("acquire(Ljava/util/concurrent/locks/AbstractQueuedLongSynchronizer$Node;JZZZJ)I",
                new Target(Kind.CONTENDED, 0, 0));
        TARGETS.put(LOCKS + "AbstractQueuedLongSynchronizer", aqls);
        lockClass(READ_LOCK, READ_WRITE_LOCK, READ);
        lockClass(WRITE_LOCK, READ_WRITE_LOCK, EXCLUSIVE);
        stampedLock();
    }

    private static void stampedLock() {
        Map<String, Target> m = new HashMap<>();
        m.put("writeLock()J", new Target(Kind.BLOCKING, STAMPED_LOCK, EXCLUSIVE));
        m.put("readLock()J", new Target(Kind.BLOCKING, STAMPED_LOCK, READ));
        m.put("writeLockInterruptibly()J", new Target(Kind.BLOCKING, STAMPED_LOCK, EXCLUSIVE));
        m.put("readLockInterruptibly()J", new Target(Kind.BLOCKING, STAMPED_LOCK, READ));
        m.put("tryWriteLock()J", new Target(Kind.TRY_STAMP, STAMPED_LOCK, EXCLUSIVE));
        m.put("tryReadLock()J", new Target(Kind.TRY_STAMP, STAMPED_LOCK, READ));
        m.put("tryWriteLock(JLjava/util/concurrent/TimeUnit;)J", new Target(Kind.TRY_STAMP, STAMPED_LOCK, EXCLUSIVE));
        m.put("tryReadLock(JLjava/util/concurrent/TimeUnit;)J", new Target(Kind.TRY_STAMP, STAMPED_LOCK, READ));
        m.put("unlockWrite(J)V", new Target(Kind.UNLOCK, STAMPED_LOCK, EXCLUSIVE));
        m.put("unlockRead(J)V", new Target(Kind.UNLOCK, STAMPED_LOCK, READ));
        m.put("unlock(J)V", new Target(Kind.UNLOCK_STAMP, STAMPED_LOCK, EXCLUSIVE));
        m.put("tryUnlockWrite()Z", new Target(Kind.TRY_UNLOCK, STAMPED_LOCK, EXCLUSIVE));
        m.put("tryUnlockRead()Z", new Target(Kind.TRY_UNLOCK, STAMPED_LOCK, READ));
        m.put("tryConvertToWriteLock(J)J", new Target(Kind.CONVERT, STAMPED_LOCK, EXCLUSIVE));
        m.put("tryConvertToReadLock(J)J", new Target(Kind.CONVERT, STAMPED_LOCK, READ));
        m.put("tryConvertToOptimisticRead(J)J", new Target(Kind.CONVERT, STAMPED_LOCK, EXCLUSIVE));
        // Package-private releases of the asReadLock()/asWriteLock() views.
        m.put("unstampedUnlockWrite()V", new Target(Kind.UNLOCK, STAMPED_LOCK, EXCLUSIVE));
        m.put("unstampedUnlockRead()V", new Target(Kind.UNLOCK, STAMPED_LOCK, READ));
        m.put("acquireWrite(ZZJ)J", new Target(Kind.CONTENDED, STAMPED_LOCK, EXCLUSIVE));
        m.put("acquireRead(ZZJ)J", new Target(Kind.CONTENDED, STAMPED_LOCK, READ));
        TARGETS.put(STAMPED, m);
    }

    private static void condition(String internalName) {
        Map<String, Target> m = new HashMap<>();
        m.put("await()V", new Target(Kind.AWAIT, 0, EXCLUSIVE));
        m.put("awaitUninterruptibly()V", new Target(Kind.AWAIT, 0, EXCLUSIVE));
        m.put("awaitNanos(J)J", new Target(Kind.AWAIT_NANOS, 0, EXCLUSIVE));
        m.put("await(JLjava/util/concurrent/TimeUnit;)Z", new Target(Kind.AWAIT_TIMED, 0, EXCLUSIVE));
        m.put("awaitUntil(Ljava/util/Date;)Z", new Target(Kind.AWAIT_UNTIL, 0, EXCLUSIVE));
        m.put("signal()V", new Target(Kind.SIGNAL, 0, EXCLUSIVE));
        m.put("signalAll()V", new Target(Kind.SIGNAL, 0, EXCLUSIVE));
        TARGETS.put(internalName, m);
    }

    private static void lockClass(String internalName, int type, int mode) {
        Map<String, Target> methods = new HashMap<>();
        methods.put("lock()V", new Target(Kind.BLOCKING, type, mode));
        methods.put("lockInterruptibly()V", new Target(Kind.BLOCKING, type, mode));
        methods.put("tryLock()Z", new Target(Kind.TRY, type, mode));
        methods.put("tryLock(JLjava/util/concurrent/TimeUnit;)Z", new Target(Kind.TRY, type, mode));
        methods.put("unlock()V", new Target(Kind.UNLOCK, type, mode));
        TARGETS.put(internalName, methods);
    }

    private LockMethodInstrumenter() {
    }

    /** True for the lock classes whose methods this instrumenter rewrites. */
    public static boolean handles(String internalName) {
        return TARGETS.containsKey(internalName) || CONSTRUCTED.contains(internalName);
    }

    /** The classes this instrumenter rewrites (internal names). */
    static Set<String> targetClasses() {
        return java.util.Collections.unmodifiableSet(TARGETS.keySet());
    }

    /** Returns the rewritten class file, or null when the class is not one of the lock classes. */
    public static byte[] instrument(byte[] classFile) {
        return instrument(classFile, false, false);
    }

    /**
     * Like {@link #instrument(byte[])}; with {@code markAcquired}, a blocking acquisition also calls
     * {@code Hooks.afterLock()} before each normal return, so the runtime knows when the thread got the lock (the
     * watchdog and lock statistics need that); with {@code lockStat}, the synchronizers' slow paths call
     * {@code Hooks.contended} on entry. Returns null when the class has nothing to rewrite.
     */
    public static byte[] instrument(byte[] classFile, final boolean markAcquired, boolean lockStat) {
        ClassReader reader = new ClassReader(classFile);
        final String owner = reader.getClassName();
        Map<String, Target> all = TARGETS.get(owner);
        final boolean constructors = CONSTRUCTED.contains(owner);
        if (all == null && !constructors) {
            return null;
        }
        if (all == null) {
            all = new HashMap<>();
        }
        final Map<String, Target> methods = new HashMap<>();
        Map<String, Target> operations = new HashMap<>();
        for (Map.Entry<String, Target> e : all.entrySet()) {
            if (e.getValue().kind != Kind.CONTENDED) {
                operations.put(e.getKey(), e.getValue());
                methods.put(e.getKey(), e.getValue());
            } else if (lockStat) {
                methods.put(e.getKey(), e.getValue());
            }
        }
        if (methods.isEmpty() && !constructors) {
            return null;
        }
        final Map<String, int[]> shapes = new HashMap<>();
        final Set<String> delegating = delegatingTargets(reader, owner, operations, shapes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (constructors && name.equals("<init>")) {
                    return new ConstructorAdapter(mv);
                }
                String key = name.concat(descriptor);
                Target target = methods.get(key);
                boolean staticAllowed = target != null && target.kind == Kind.PLATFORM_MBEAN_SERVER;
                if (target == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
                        || ((access & Opcodes.ACC_STATIC) != 0 && !staticAllowed)
                        || delegating.contains(key)) {
                    return mv;
                }
                return new LockMethodAdapter(mv, owner, target, markAcquired, descriptor, shapes.get(key));
            }
        }, 0);
        return writer.toByteArray();
    }

    /**
     * The target methods of the class that call another target method of the same class, directly or through
     * non-target methods of the class: the callee reports the operation, so the caller must not report it again. Also
     * fills {@code shapes}: per method, its max locals (the first free local) and its number of return instructions.
     */
    private static Set<String> delegatingTargets(ClassReader reader, final String owner, Map<String, Target> methods,
                                                 final Map<String, int[]> shapes) {
        final Map<String, List<String>> calls = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                final List<String> callees = new ArrayList<>();
                final int[] shape = new int[2];
                calls.put(name.concat(descriptor), callees);
                shapes.put(name.concat(descriptor), shape);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String calleeOwner, String calleeName, String calleeDesc,
                                                boolean isInterface) {
                        if (calleeOwner.equals(owner)) {
                            callees.add(calleeName.concat(calleeDesc));
                        }
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                            shape[1]++;
                        }
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        shape[0] = maxLocals;
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        Set<String> delegating = new HashSet<>();
        for (String target : methods.keySet()) {
            if (calls.containsKey(target) && reachesOtherTarget(target, target, calls, methods, new HashSet<String>())) {
                delegating.add(target);
            }
        }
        return delegating;
    }

    private static boolean reachesOtherTarget(String from, String origin, Map<String, List<String>> calls,
                                              Map<String, Target> methods, Set<String> visited) {
        if (!visited.add(from)) {
            return false;
        }
        List<String> callees = calls.get(from);
        if (callees == null) {
            return false;
        }
        for (String callee : callees) {
            if (callee.equals(origin)) {
                continue;
            }
            if (methods.containsKey(callee)) {
                return true;
            }
            if (reachesOtherTarget(callee, origin, calls, methods, visited)) {
                return true;
            }
        }
        return false;
    }

    /** {@code Hooks.constructed(this)} before each return of a lock type's constructor. */
    private static final class ConstructorAdapter extends MethodVisitor {
        ConstructorAdapter(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.RETURN) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                Hook.LOCK_CONSTRUCTED.emit(mv);
            }
            super.visitInsn(opcode);
        }
    }

    private static final class LockMethodAdapter extends MethodVisitor {
        private final String owner;
        private final Target target;
        /** Descriptor of the {@code sync} field that identifies the lock, or null when {@code this} does. */
        private final String syncDescriptor;
        private final boolean markAcquired;
        /** Marks the inserted entry code, so it can share the method's first line number. */
        private Label prologue;
        private boolean prologueHasLine;
        /** The body of a blocking acquisition, covered by a last handler that undoes the record if it throws. */
        private Label bodyStart;
        private Label bodyEnd;
        private Label undo;
        /** The undo handler's hook call, guarded: if even the call overflows, the method's own Throwable goes on. */
        private Label undoCallStart;
        private Label undoCallEnd;
        private Label undoGuard;
        /**
         * The hook calls before the returns, each guarded: the lock was taken (or released) already, and a hook that
         * cannot even be called must not turn that into a Throwable the program would take for a failed call. All go
         * on at one handler that returns the method's value, kept in a local meanwhile.
         */
        private final Label[] returnCallStarts;
        private final Label[] returnCallEnds;
        private int returnsSeen;
        private Label returnGuard;
        private final Type returnType;
        /** Fresh locals above the method's own: the exception an undo rethrows, the value a return returns. */
        private final int exceptionLocal;
        private final int resultLocal;

        LockMethodAdapter(MethodVisitor mv, String owner, Target target, boolean markAcquired, String descriptor,
                          int[] shape) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.target = target;
            this.markAcquired = markAcquired;
            this.syncDescriptor = owner.equals(REENTRANT) ? "Ljava/util/concurrent/locks/ReentrantLock$Sync;"
                    : owner.equals(READ_LOCK) || owner.equals(WRITE_LOCK)
                    ? "Ljava/util/concurrent/locks/ReentrantReadWriteLock$Sync;" : null;
            this.returnType = Type.getReturnType(descriptor);
            this.exceptionLocal = shape[0];
            this.resultLocal = shape[0] + 1;
            int guarded = hookBeforeReturn(returnType.getOpcode(Opcodes.IRETURN)) ? shape[1] : 0;
            this.returnCallStarts = new Label[guarded];
            this.returnCallEnds = new Label[guarded];
        }

        /** Whether the method undoes its record when its body throws: a blocking acquisition. */
        private boolean undoes() {
            return target.kind == Kind.BLOCKING;
        }

        /** Whether a hook call goes before a return instruction of this opcode. */
        private boolean hookBeforeReturn(int opcode) {
            switch (target.kind) {
                case BLOCKING:
                    return markAcquired && (opcode == Opcodes.RETURN || opcode == Opcodes.LRETURN);
                case TRY:
                case TRY_UNLOCK:
                    return opcode == Opcodes.IRETURN;
                case TRY_STAMP:
                case CONVERT:
                    return opcode == Opcodes.LRETURN;
                case UNLOCK:
                case VIRTUAL_THREAD_RUN:
                    return opcode == Opcodes.RETURN;
                case CLASS_LOADING_LOCK:
                case PLATFORM_MBEAN_SERVER:
                    return opcode == Opcodes.ARETURN;
                default:
                    return false;
            }
        }

        @Override
        public void visitCode() {
            super.visitCode();
            // The guards' ranges first in the exception table, before the method's own handlers and the undo.
            if (returnCallStarts.length > 0) {
                returnGuard = new Label();
                for (int i = 0; i < returnCallStarts.length; i++) {
                    returnCallStarts[i] = new Label();
                    returnCallEnds[i] = new Label();
                    super.visitTryCatchBlock(returnCallStarts[i], returnCallEnds[i], returnGuard, null);
                }
            }
            if (undoes()) {
                undoCallStart = new Label();
                undoCallEnd = new Label();
                undoGuard = new Label();
                super.visitTryCatchBlock(undoCallStart, undoCallEnd, undoGuard, null);
            }
            prologue = new Label();
            super.visitLabel(prologue);
            if (target.kind == Kind.BLOCKING) {
                // identity and view are the same object for StampedLock (this); for the RRWL views, sync and this.
                loadIdentity();
                super.visitVarInsn(Opcodes.ALOAD, 0);
                pushInt(target.type);
                pushInt(target.mode);
                Hook.BEFORE_LOCK.emit(mv);
            } else if (target.kind == Kind.UNLOCK_STAMP) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitVarInsn(Opcodes.LLOAD, 1);
                Hook.BEFORE_UNLOCK_STAMP.emit(mv);
            } else if (target.kind == Kind.CONVERT) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitVarInsn(Opcodes.LLOAD, 1);
                Hook.BEFORE_CONVERT.emit(mv);
            } else if (target.kind == Kind.AWAIT || target.kind == Kind.AWAIT_NANOS) {
                loadConditionOwner();
                if (target.kind == Kind.AWAIT) {
                    super.visitLdcInsn(-1L);
                } else {
                    super.visitVarInsn(Opcodes.LLOAD, 1);
                }
                Hook.BEFORE_WAIT.emit(mv);
            } else if (target.kind == Kind.AWAIT_TIMED) {
                loadConditionOwner();
                super.visitVarInsn(Opcodes.LLOAD, 1);
                super.visitVarInsn(Opcodes.ALOAD, 3);
                Hook.BEFORE_WAIT_TIMED.emit(mv);
            } else if (target.kind == Kind.AWAIT_UNTIL) {
                loadConditionOwner();
                super.visitVarInsn(Opcodes.ALOAD, 1);
                Hook.BEFORE_WAIT_UNTIL.emit(mv);
            } else if (target.kind == Kind.SIGNAL) {
                loadConditionOwner();
                Hook.BEFORE_NOTIFY.emit(mv);
            } else if (target.kind == Kind.THREAD_EXIT) {
                Hook.THREAD_EXIT.emit(mv);
            } else if (target.kind == Kind.CONTENDED) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                Hook.CONTENDED.emit(mv);
            }
        }

        /**
         * A blocking acquisition's hook records the lock on entry, before it can block; if the method then throws
         * (interrupted, or an error) the record is undone. The handler covers the original body and comes last in the
         * exception table, so it never takes an exception the method handles itself: it is added when the reader has
         * visited the method's own handlers and starts on its instructions.
         */
        private void beginBody() {
            if (!undoes() || bodyStart != null) {
                return;
            }
            bodyStart = new Label();
            bodyEnd = new Label();
            undo = new Label();
            super.visitTryCatchBlock(bodyStart, bodyEnd, undo, null);
            super.visitLabel(bodyStart);
        }

        @Override
        public void visitLabel(Label label) {
            beginBody();
            super.visitLabel(label);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            beginBody();
            super.visitFrame(type, numLocal, local, numStack, stack);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            beginBody();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
            beginBody();
            super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor,
                                    boolean isInterface) {
            beginBody();
            super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            beginBody();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            beginBody();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitLdcInsn(Object value) {
            beginBody();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            beginBody();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            beginBody();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrap,
                                           Object... arguments) {
            beginBody();
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            beginBody();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            beginBody();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (bodyStart != null) {
                // [exception] astore E, lockFailed(identity, view, type, mode), aload E athrow
                super.visitLabel(bodyEnd);
                super.visitLabel(undo);
                super.visitFrame(Opcodes.F_FULL, 1, new Object[] {owner}, 1, new Object[] {THROWABLE});
                super.visitVarInsn(Opcodes.ASTORE, exceptionLocal);
                loadIdentity();
                super.visitVarInsn(Opcodes.ALOAD, 0);
                pushInt(target.type);
                pushInt(target.mode);
                super.visitLabel(undoCallStart);
                Hook.LOCK_FAILED.emit(mv);
                super.visitLabel(undoCallEnd);
                super.visitVarInsn(Opcodes.ALOAD, exceptionLocal);
                super.visitInsn(Opcodes.ATHROW);
                super.visitLabel(undoGuard);
                Object[] locals = localsWith(exceptionLocal, THROWABLE);
                locals[0] = owner;
                super.visitFrame(Opcodes.F_FULL, locals.length, locals, 1, new Object[] {THROWABLE});
                super.visitInsn(Opcodes.POP);
                super.visitVarInsn(Opcodes.ALOAD, exceptionLocal);
                super.visitInsn(Opcodes.ATHROW);
            }
            if (returnGuard != null) {
                // [exception] pop, xload R, xreturn: the method returns what it was about to
                super.visitLabel(returnGuard);
                Object[] locals = returnType.getSort() == Type.VOID ? new Object[0]
                        : localsWith(resultLocal, MethodRewriter.frameType(returnType));
                super.visitFrame(Opcodes.F_FULL, locals.length, locals, 1, new Object[] {THROWABLE});
                super.visitInsn(Opcodes.POP);
                loadResult();
                super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
            }
            super.visitMaxs(maxStack, maxLocals);
        }

        /** Frame locals that are TOP up to {@code slot}, which holds {@code type}. */
        private Object[] localsWith(int slot, Object type) {
            Object[] locals = new Object[slot + 1];
            java.util.Arrays.fill(locals, Opcodes.TOP);
            locals[slot] = type;
            return locals;
        }

        private void storeResult() {
            if (returnType.getSort() != Type.VOID) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), resultLocal);
            }
        }

        private void loadResult() {
            if (returnType.getSort() != Type.VOID) {
                super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), resultLocal);
            }
        }

        /** A hook call before a return, guarded; its arguments are on the stack. */
        private void guardedReturnCall(Hook hook) {
            int i = returnsSeen++;
            super.visitLabel(returnCallStarts[i]);
            hook.emit(mv);
            super.visitLabel(returnCallEnds[i]);
        }

        /** Gives the inserted entry code the first line of the method, so stacks taken in the hook show a line. */
        @Override
        public void visitLineNumber(int line, Label start) {
            if (!prologueHasLine) {
                prologueHasLine = true;
                super.visitLineNumber(line, prologue);
            }
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitInsn(int opcode) {
            beginBody();
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && hookBeforeReturn(opcode)) {
                // [value] xstore R, the hook's arguments (the value from R), the guarded call, xload R, xreturn
                storeResult();
                hookBeforeReturn();
                loadResult();
            }
            super.visitInsn(opcode);
        }

        /** The hook before a return, the method's value in {@link #resultLocal}. */
        private void hookBeforeReturn() {
            switch (target.kind) {
                case BLOCKING:
                    guardedReturnCall(Hook.AFTER_LOCK);
                    break;
                case TRY_STAMP:
                    loadResult();
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    pushInt(target.mode);
                    guardedReturnCall(Hook.AFTER_TRY_LOCK_STAMP);
                    break;
                case TRY_UNLOCK:
                    loadResult();
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    pushInt(target.mode);
                    guardedReturnCall(Hook.AFTER_TRY_UNLOCK);
                    break;
                case CONVERT:
                    loadResult();
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    guardedReturnCall(Hook.AFTER_CONVERT);
                    break;
                case UNLOCK:
                    loadIdentity();
                    pushInt(target.mode);
                    guardedReturnCall(Hook.AFTER_UNLOCK);
                    break;
                case VIRTUAL_THREAD_RUN:
                    guardedReturnCall(Hook.THREAD_EXIT);
                    break;
                case CLASS_LOADING_LOCK:
                    loadResult();
                    guardedReturnCall(Hook.CLASS_LOADING_LOCK);
                    break;
                case PLATFORM_MBEAN_SERVER:
                    loadResult();
                    guardedReturnCall(Hook.PLATFORM_MBEAN_SERVER);
                    break;
                case TRY:
                    loadResult();
                    loadIdentity();
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    pushInt(target.type);
                    pushInt(target.mode);
                    guardedReturnCall(Hook.AFTER_TRY_LOCK);
                    break;
                default:
                    throw new IllegalStateException(target.kind.toString());
            }
        }

        private void loadIdentity() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            if (syncDescriptor != null) {
                super.visitFieldInsn(Opcodes.GETFIELD, owner, "sync", syncDescriptor);
            }
        }

        /** A condition's lock is its enclosing synchronizer, the same object the lock's own hooks pass. */
        private void loadConditionOwner() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            String synchronizer = owner.substring(0, owner.indexOf('$'));
            super.visitFieldInsn(Opcodes.GETFIELD, owner, "this$0", "L".concat(synchronizer).concat(";"));
        }

        private void pushInt(int value) {
            super.visitInsn(Opcodes.ICONST_0 + value);
        }
    }
}
