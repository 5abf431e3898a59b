package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/** The stack depth pass that tells which {@code new} a constructor call initializes. */
class StackDepthsTest implements Opcodes {

    /** Depths in slots from ASM's own analyzer, for comparison; -1 where unreachable. */
    static int[] asmDepths(String owner, MethodNode m) throws AnalyzerException {
        Frame<BasicValue>[] frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, m);
        int[] out = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            if (frames[i] == null) {
                out[i] = -1;
                continue;
            }
            int slots = 0;
            for (int s = 0; s < frames[i].getStackSize(); s++) {
                slots += frames[i].getStack(s).getSize();
            }
            out[i] = slots;
        }
        return out;
    }

    private static void assertSameAsAsm(ClassNode c) throws AnalyzerException {
        for (MethodNode m : c.methods) {
            if (m.instructions.size() == 0) {
                continue;
            }
            int[] ours = StackDepths.compute(m);
            assertNotNull(ours, c.name + "." + m.name);
            int[] theirs = asmDepths(c.name, m);
            for (int i = 0; i < ours.length; i++) {
                AbstractInsnNode n = m.instructions.get(i);
                if (n.getOpcode() >= 0 && theirs[i] >= 0) {
                    assertEquals(theirs[i], ours[i], c.name + "." + m.name + " at " + i);
                }
            }
        }
    }

    @Test
    void agreesWithAsmOnJavacOutput() throws AnalyzerException {
        Map<String, byte[]> classes = TestSupport.compileFixtures("17", "SyncBlocks.java", "SyncMethods.java",
                "Allocations.java", "LockCalls.java", "Modern.java");
        for (byte[] bytes : classes.values()) {
            assertSameAsAsm(TestSupport.tree(bytes));
        }
    }

    @Test
    void followsJsrSubroutines() throws AnalyzerException {
        byte[] old = GeneratedClassesTest.oldClass(V1_4, "gen/Jsr", true);
        ClassNode c = TestSupport.tree(old);
        assertSameAsAsm(c);
    }

    @Test
    void countsWideValuesAsTwoSlots() throws AnalyzerException {
        ClassNode c = TestSupport.tree(GeneratedClassesTest.modernClass(V17, "gen/Wide"));
        assertSameAsAsm(c);
        MethodNode pick = TestSupport.method(c, "pick");
        int[] depths = StackDepths.compute(pick);
        int max = 0;
        for (int d : depths) {
            max = Math.max(max, d);
        }
        assertEquals(4, max, "long plus long");
    }

    @Test
    void branchesOfATernaryMeetAtTheSameDepth() {
        MethodNode m = new MethodNode(ACC_STATIC, "t", "(Z)I", null, null);
        Label other = new Label();
        Label join = new Label();
        m.visitVarInsn(ILOAD, 0);
        m.visitJumpInsn(IFEQ, other);
        m.visitInsn(ICONST_2);
        m.visitJumpInsn(GOTO, join);
        m.visitLabel(other);
        m.visitInsn(ICONST_3);
        m.visitLabel(join);
        m.visitInsn(IRETURN);
        // iload, ifeq, iconst_2, goto, L, iconst_3, L, ireturn
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 0, 1, 1}, StackDepths.compute(m));
    }

    @Test
    void unreachableCodeHasNoDepth() {
        MethodNode m = new MethodNode(ACC_STATIC, "t", "()V", null, null);
        m.visitInsn(RETURN);
        m.visitInsn(ICONST_1);
        m.visitInsn(POP);
        m.visitInsn(RETURN);
        assertArrayEquals(new int[] {0, -1, -1, -1}, StackDepths.compute(m));
    }

    @Test
    void inconsistentCodeGivesNull() {
        MethodNode m = new MethodNode(ACC_STATIC, "t", "(Z)I", null, null);
        Label join = new Label();
        m.visitVarInsn(ILOAD, 0);
        m.visitJumpInsn(IFEQ, join);
        m.visitInsn(ICONST_2);
        m.visitLabel(join); // reached with 0 and with 1 values
        m.visitInsn(IRETURN);
        assertNull(StackDepths.compute(m));
    }
}
