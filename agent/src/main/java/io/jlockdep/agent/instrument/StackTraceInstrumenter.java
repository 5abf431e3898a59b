package io.jlockdep.agent.instrument;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Keeps jlockdep's own frames out of every stack trace the program sees. {@code Throwable.getOurStackTrace} builds a
 * throwable's {@code StackTraceElement[]} once, from the JVM's backtrace, with {@code StackTraceElement.of}; right
 * after that call it gets {@code Hooks.withoutOwnFrames}, which returns the same array without the runtime's and the
 * agent's frames. Whatever way a Throwable passed through jlockdep (a stack overflow on the call into a hook, an
 * interrupt thrown by the wait a hook made for the program), {@code getStackTrace()}, {@code printStackTrace()} and
 * serialization all read that array. The insertion is stack-neutral (an array in, an array out), so the class can be
 * retransformed; a JDK whose method has another shape is left as it is.
 */
public final class StackTraceInstrumenter {
    /** The class rewritten. */
    public static final String TARGET = "java/lang/Throwable";
    private static final String METHOD = "getOurStackTrace()[Ljava/lang/StackTraceElement;";
    private static final String ELEMENTS = "[Ljava/lang/StackTraceElement;";

    private StackTraceInstrumenter() {
    }

    /** Returns Throwable's class file with the filter in place, or null when the expected call is not there. */
    public static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        final boolean[] inserted = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!name.concat(descriptor).equals(METHOD)) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callee, String calleeDescriptor,
                                                boolean isInterface) {
                        super.visitMethodInsn(opcode, owner, callee, calleeDescriptor, isInterface);
                        if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/StackTraceElement")
                                && callee.equals("of") && calleeDescriptor.endsWith(")" + ELEMENTS)) {
                            Hook.WITHOUT_OWN_FRAMES.emit(mv);
                            inserted[0] = true;
                        }
                    }
                };
            }
        }, 0);
        return inserted[0] ? writer.toByteArray() : null;
    }
}
