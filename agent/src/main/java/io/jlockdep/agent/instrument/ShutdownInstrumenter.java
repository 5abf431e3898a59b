package io.jlockdep.agent.instrument;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites {@code java.lang.Shutdown} for the {@code exit-code} option, method bodies only, so the already-loaded class
 * can be retransformed:
 * <ul>
 * <li>{@code exit(int)} (System.exit, Runtime.exit) runs the shutdown hooks, then halts: each {@code halt(status)}
 * call in it gets its status through {@code ExitCode.statusAtExit(int)}, which may replace a 0;</li>
 * <li>{@code shutdown()} (called when the last non-daemon thread has ended, after which the launcher exits on its own)
 * calls {@code ExitCode.afterShutdownHooks()} before it returns, which may halt with the configured status.</li>
 * </ul>
 * Both are the points where every shutdown hook has finished, on JDK 17 and 25 alike. Each insertion leaves the
 * operand stack as it was (an int in, an int out; nothing in, nothing out), so stack map frames stay valid.
 */
public final class ShutdownInstrumenter {
    /** The one class this instrumenter rewrites. */
    public static final String TARGET = "java/lang/Shutdown";

    private ShutdownInstrumenter() {
    }

    /**
     * Returns the rewritten class file. Throws {@link InstrumentationException} when the class does not have the
     * shape this relies on (a future JDK), so that the option fails loudly instead of doing nothing.
     */
    public static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        if (!reader.getClassName().equals(TARGET)) {
            throw new InstrumentationException(reader.getClassName().replace('/', '.') + " is not java.lang.Shutdown");
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        final int[] haltsInExit = new int[1];
        final int[] returnsInShutdown = new int[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (name.equals("exit") && descriptor.equals("(I)V")) {
                    return new MethodVisitor(Opcodes.ASM9, mv) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String method, String desc,
                                                    boolean isInterface) {
                            if (opcode == Opcodes.INVOKESTATIC && owner.equals(TARGET) && method.equals("halt")
                                    && desc.equals("(I)V")) {
                                // [status] -> [status to halt with]
                                Hook.STATUS_AT_EXIT.emit(mv);
                                haltsInExit[0]++;
                            }
                            super.visitMethodInsn(opcode, owner, method, desc, isInterface);
                        }
                    };
                }
                if (name.equals("shutdown") && descriptor.equals("()V")) {
                    return new MethodVisitor(Opcodes.ASM9, mv) {
                        @Override
                        public void visitInsn(int opcode) {
                            if (opcode == Opcodes.RETURN) {
                                Hook.AFTER_SHUTDOWN_HOOKS.emit(mv);
                                returnsInShutdown[0]++;
                            }
                            super.visitInsn(opcode);
                        }
                    };
                }
                return mv;
            }
        }, 0);
        if (haltsInExit[0] == 0 || returnsInShutdown[0] == 0) {
            throw new InstrumentationException("java.lang.Shutdown of this JDK has no "
                    + (haltsInExit[0] == 0 ? "halt(status) call in exit(int)" : "return from shutdown()"));
        }
        return writer.toByteArray();
    }
}
