package io.jlockdep.agent.instrument;

import java.util.HashMap;
import java.util.Map;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the bodies of the java.util.concurrent lock methods (ReentrantLock and the ReentrantReadWriteLock views) so
 * they report to {@code io.jlockdep.runtime.Hooks}: a blocking acquisition calls {@code beforeLock} on entry, before
 * it can block, and {@code afterLock} before each normal return; a try-acquisition calls {@code afterTryLock} with
 * its result; a release calls {@code beforeUnlock} on entry. Only method bodies change and every insertion is
 * stack-neutral at an instruction boundary, so existing stack map frames stay valid and already-loaded classes can be
 * retransformed.
 *
 * <p>The lock instance is {@code this}, except for the read/write views, whose shared {@code sync} field identifies
 * the one ReentrantReadWriteLock behind both.
 */
public final class LockMethodInstrumenter {
    private static final String HOOKS = "io/jlockdep/runtime/Hooks";
    private static final String LOCKS = "java/util/concurrent/locks/";
    private static final String READ_LOCK = LOCKS + "ReentrantReadWriteLock$ReadLock";
    private static final String WRITE_LOCK = LOCKS + "ReentrantReadWriteLock$WriteLock";
    private static final String SYNC_DESC = "L" + LOCKS + "ReentrantReadWriteLock$Sync;";

    // Values of io.jlockdep.runtime.Hooks / Mode constants, baked into the bytecode.
    private static final int REENTRANT_LOCK = 1;
    private static final int READ_WRITE_LOCK = 2;
    private static final int EXCLUSIVE = 0;
    private static final int READ = 1;

    private enum Kind { BLOCKING, TRY, UNLOCK }

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
        lockClass(LOCKS + "ReentrantLock", REENTRANT_LOCK, EXCLUSIVE);
        lockClass(READ_LOCK, READ_WRITE_LOCK, READ);
        lockClass(WRITE_LOCK, READ_WRITE_LOCK, EXCLUSIVE);
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
        return TARGETS.containsKey(internalName);
    }

    /** Returns the rewritten class file, or null when the class is not one of the lock classes. */
    public static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        final String owner = reader.getClassName();
        final Map<String, Target> methods = TARGETS.get(owner);
        if (methods == null) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                Target target = methods.get(name.concat(descriptor));
                if (target == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
                    return mv;
                }
                return new LockMethodAdapter(mv, owner, target);
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class LockMethodAdapter extends MethodVisitor {
        private final String owner;
        private final Target target;
        private final boolean viaSync;
        /** Marks the inserted entry code, so it can share the method's first line number. */
        private Label prologue;
        private boolean prologueHasLine;

        LockMethodAdapter(MethodVisitor mv, String owner, Target target) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.target = target;
            this.viaSync = owner.equals(READ_LOCK) || owner.equals(WRITE_LOCK);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            prologue = new Label();
            super.visitLabel(prologue);
            if (target.kind == Kind.BLOCKING) {
                loadIdentity();
                super.visitVarInsn(Opcodes.ALOAD, 0);
                pushInt(target.type);
                pushInt(target.mode);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "beforeLock",
                        "(Ljava/lang/Object;Ljava/lang/Object;II)V", false);
            } else if (target.kind == Kind.UNLOCK) {
                loadIdentity();
                pushInt(target.mode);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "beforeUnlock", "(Ljava/lang/Object;I)V", false);
            }
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
            if (opcode == Opcodes.RETURN && target.kind == Kind.BLOCKING) {
                loadIdentity();
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "afterLock", "(Ljava/lang/Object;)V", false);
            } else if (opcode == Opcodes.IRETURN && target.kind == Kind.TRY) {
                // [acquired] -> [acquired acquired identity view type mode] -> afterTryLock -> [acquired]
                super.visitInsn(Opcodes.DUP);
                loadIdentity();
                super.visitVarInsn(Opcodes.ALOAD, 0);
                pushInt(target.type);
                pushInt(target.mode);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "afterTryLock",
                        "(ZLjava/lang/Object;Ljava/lang/Object;II)V", false);
            }
            super.visitInsn(opcode);
        }

        private void loadIdentity() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            if (viaSync) {
                super.visitFieldInsn(Opcodes.GETFIELD, owner, "sync", SYNC_DESC);
            }
        }

        private void pushInt(int value) {
            super.visitInsn(Opcodes.ICONST_0 + value);
        }
    }
}
