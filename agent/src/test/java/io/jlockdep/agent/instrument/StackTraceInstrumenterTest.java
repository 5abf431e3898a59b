package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** The running JDK's Throwable: the stack trace it builds goes through the filter that drops jlockdep's frames. */
class StackTraceInstrumenterTest {

    @Test
    void theStackTraceThrowableBuildsPassesThroughTheFilterBeforeItIsKept() {
        byte[] original = TestSupport.jdkClassBytes(Throwable.class);
        byte[] rewritten = StackTraceInstrumenter.instrument(original);
        assertNotNull(rewritten, "this JDK's Throwable has the expected shape");
        TestSupport.verify(rewritten, ClassLoader.getSystemClassLoader());
        ClassNode c = TestSupport.tree(rewritten);
        MethodNode m = TestSupport.method(c, "getOurStackTrace", "()[Ljava/lang/StackTraceElement;");
        List<AbstractInsnNode> insns = TestSupport.realInsns(m);
        int filters = 0;
        for (int i = 0; i < insns.size(); i++) {
            if (TestSupport.isHook(insns.get(i), "withoutOwnFrames")) {
                filters++;
                MethodInsnNode of = (MethodInsnNode) insns.get(i - 1);
                assertEquals("java/lang/StackTraceElement", of.owner);
                assertEquals("of", of.name);
                assertEquals(Opcodes.PUTFIELD, insns.get(i + 1).getOpcode(), "kept in the throwable's field");
            }
        }
        assertEquals(1, filters);
        // Nothing else changes: the same instructions but the one call, in every method.
        ClassNode before = TestSupport.tree(original);
        for (int i = 0; i < before.methods.size(); i++) {
            MethodNode o = before.methods.get(i);
            MethodNode r = c.methods.get(i);
            assertEquals(TestSupport.realInsns(o).size() + (o.name.equals("getOurStackTrace") ? 1 : 0),
                    TestSupport.realInsns(r).size(), o.name + o.desc);
        }
    }

    @Test
    void aClassOfAnotherShapeIsLeftAsItIs() {
        assertNull(StackTraceInstrumenter.instrument(TestSupport.jdkClassBytes(Exception.class)));
    }
}
