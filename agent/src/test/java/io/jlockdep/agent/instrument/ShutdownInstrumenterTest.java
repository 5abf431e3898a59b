package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.TestSupport.jdkClassBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** The running JDK's java.lang.Shutdown, rewritten for exit-code: bytes in, bytes out, verified. */
class ShutdownInstrumenterTest {
    private static final String EXIT_CODE = "io/jlockdep/runtime/ExitCode";

    private static ClassNode original() {
        return TestSupport.tree(jdkClassBytes("java/lang/Shutdown"));
    }

    private static ClassNode rewritten() {
        byte[] out = ShutdownInstrumenter.instrument(jdkClassBytes("java/lang/Shutdown"));
        TestSupport.verify(out, ClassLoader.getSystemClassLoader());
        return TestSupport.tree(out);
    }

    @Test
    void everyHaltInExitTakesItsStatusFromExitCode() {
        MethodNode exit = TestSupport.method(rewritten(), "exit", "(I)V");
        int halts = 0;
        for (AbstractInsnNode n : TestSupport.realInsns(exit)) {
            if (isCall(n, "java/lang/Shutdown", "halt")) {
                halts++;
                AbstractInsnNode before = TestSupport.prevReal(n, 1);
                assertTrue(isCall(before, EXIT_CODE, "statusAtExit"), "halt(status) gets ExitCode's status");
                assertEquals("(I)I", ((MethodInsnNode) before).desc);
                assertTrue(runsHooksBefore(n) || TestSupport.prevReal(before, 1).getOpcode() == Opcodes.ILOAD,
                        "after the hooks, or the JDK 17 early halt of a non-zero status");
            }
        }
        assertEquals(calls(TestSupport.method(original(), "exit", "(I)V"), "java/lang/Shutdown", "halt"), halts);
        assertTrue(halts >= 1);
        // On every JDK the last halt, the one that ends a normal System.exit, comes after runHooks.
        AbstractInsnNode lastHalt = last(exit, "java/lang/Shutdown", "halt");
        assertTrue(runsHooksBefore(lastHalt));
    }

    @Test
    void shutdownAsksExitCodeAfterTheHooksHaveRun() {
        MethodNode shutdown = TestSupport.method(rewritten(), "shutdown", "()V");
        List<AbstractInsnNode> insns = TestSupport.realInsns(shutdown);
        int returns = 0;
        for (AbstractInsnNode n : insns) {
            if (n.getOpcode() == Opcodes.RETURN) {
                returns++;
                AbstractInsnNode before = TestSupport.prevReal(n, 1);
                assertTrue(isCall(before, EXIT_CODE, "afterShutdownHooks"), "just before returning");
                assertTrue(runsHooksBefore(before));
            }
        }
        assertEquals(1, returns);
        assertEquals(1, calls(shutdown, EXIT_CODE, "afterShutdownHooks"));
        assertTrue(insns.indexOf(last(shutdown, "java/lang/Shutdown", "runHooks"))
                < insns.indexOf(last(shutdown, EXIT_CODE, "afterShutdownHooks")));
    }

    @Test
    void nothingElseChanges() {
        ClassNode before = original();
        ClassNode after = rewritten();
        assertEquals(before.methods.size(), after.methods.size());
        for (MethodNode m : before.methods) {
            MethodNode r = TestSupport.method(after, m.name, m.desc);
            assertNotNull(r, m.name + m.desc);
            assertEquals(m.access, r.access, m.name);
            if (!m.name.equals("exit") && !m.name.equals("shutdown")) {
                assertEquals(opcodes(m), opcodes(r), m.name + m.desc + " is untouched");
            }
        }
        assertEquals(before.fields.size(), after.fields.size());
    }

    @Test
    void aClassOfAnotherShapeIsRefusedWithAReason() {
        InstrumentationException notShutdown = assertThrows(InstrumentationException.class,
                () -> ShutdownInstrumenter.instrument(jdkClassBytes(String.class)));
        assertEquals("java.lang.String is not java.lang.Shutdown", notShutdown.getMessage());

        InstrumentationException noHalt = assertThrows(InstrumentationException.class,
                () -> ShutdownInstrumenter.instrument(shutdownWithoutHalt()));
        assertEquals("java.lang.Shutdown of this JDK has no halt(status) call in exit(int)", noHalt.getMessage());
    }

    /** A made-up java.lang.Shutdown whose exit(int) and shutdown() just return. */
    private static byte[] shutdownWithoutHalt() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_SUPER, "java/lang/Shutdown", null, "java/lang/Object", null);
        for (String[] m : new String[][] {{"exit", "(I)V"}, {"shutdown", "()V"}}) {
            MethodVisitor mv = w.visitMethod(Opcodes.ACC_STATIC, m[0], m[1], null, null);
            mv.visitCode();
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        w.visitEnd();
        return w.toByteArray();
    }

    private static boolean isCall(AbstractInsnNode n, String owner, String name) {
        return n instanceof MethodInsnNode && n.getOpcode() == Opcodes.INVOKESTATIC
                && ((MethodInsnNode) n).owner.equals(owner) && ((MethodInsnNode) n).name.equals(name);
    }

    private static int calls(MethodNode m, String owner, String name) {
        int count = 0;
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            if (isCall(n, owner, name)) {
                count++;
            }
        }
        return count;
    }

    private static AbstractInsnNode last(MethodNode m, String owner, String name) {
        AbstractInsnNode found = null;
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            if (isCall(n, owner, name)) {
                found = n;
            }
        }
        assertNotNull(found, owner + "." + name + " in " + m.name);
        return found;
    }

    /** True when a call to runHooks comes before {@code n} in code order. */
    private static boolean runsHooksBefore(AbstractInsnNode n) {
        for (AbstractInsnNode p = n.getPrevious(); p != null; p = p.getPrevious()) {
            if (isCall(p, "java/lang/Shutdown", "runHooks")) {
                return true;
            }
        }
        return false;
    }

    private static List<Integer> opcodes(MethodNode m) {
        List<Integer> out = new ArrayList<>();
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            out.add(n.getOpcode());
        }
        return out;
    }
}
