package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.TestSupport.intValue;
import static io.jlockdep.agent.instrument.TestSupport.isHook;
import static io.jlockdep.agent.instrument.TestSupport.lineOf;
import static io.jlockdep.agent.instrument.TestSupport.method;
import static io.jlockdep.agent.instrument.TestSupport.nextReal;
import static io.jlockdep.agent.instrument.TestSupport.prevReal;
import static io.jlockdep.agent.instrument.TestSupport.realInsns;
import static io.jlockdep.agent.instrument.TestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jlockdep.runtime.lockclass.Sites;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The {@code allocating} hint: right before the constructor call of a fresh {@code new} of a class outside the JDK, in
 * the classes the agent rewrites, naming the allocated type and the allocation site a stack walk from the constructor
 * would register; never before a {@code super(...)} or {@code this(...)} call, nor for JDK or lock types.
 */
class AllocatingHintTest {
    private static final Map<String, byte[]> FIXTURES = TestSupport.compileFixtures("17", "AllocatingHints.java");
    private static final String OUTER = "jlfixture/AllocatingHints";
    private static final String PART = OUTER + "$Part";

    private static ClassNode instrumented(String name) {
        byte[] rewritten = ClassInstrumenter.instrument(FIXTURES.get(name), true);
        assertNotNull(rewritten, name);
        return tree(rewritten);
    }

    /** Each hint's type, checked to sit right before that type's constructor call: {@code ldc T; [site]; hook}. */
    private static List<String> hintedTypes(ClassNode c, MethodNode m) {
        List<String> types = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(m)) {
            if (!isHook(n, "allocating")) {
                continue;
            }
            LdcInsnNode type = (LdcInsnNode) prevReal(n, 2);
            String name = ((Type) type.cst).getInternalName();
            AbstractInsnNode call = nextReal(n, 1);
            assertEquals(Opcodes.INVOKESPECIAL, call.getOpcode(), m.name);
            assertEquals("<init>", ((MethodInsnNode) call).name);
            assertEquals(name, ((MethodInsnNode) call).owner);
            // The site the walk would register for this call: the caller's class, method, file and the call's line.
            int site = Sites.allocation(name, Sites.code(c.name, m.name, c.sourceFile, lineOf(call)), null, null);
            assertEquals(site, intValue(prevReal(n, 1)), m.name + " " + name);
            types.add(name);
        }
        return types;
    }

    @Test
    void eachFreshAllocationOfAnApplicationTypeIsHintedRightBeforeItsConstructorCall() {
        ClassNode c = instrumented(OUTER);
        // The argument's constructor runs first, then the outer one's: each hint right before its own call.
        assertEquals(List.of(PART, OUTER + "$SelfLocking"), hintedTypes(c, method(c, "make")));
        // A method rewritten only for its hints (the class is rewritten for its synchronized one).
        assertEquals(List.of(OUTER + "$Sub"), hintedTypes(c, method(c, "unsynchronized")));
    }

    @Test
    void jdkTypesAndLockTypesGetNoHint() {
        ClassNode c = instrumented(OUTER);
        MethodNode m = method(c, "jdkTypes");
        assertEquals(List.of(), hintedTypes(c, m));
        assertTrue(TestSupport.hookCalls(m).contains("allocated"), "the lock keeps its own hook");
    }

    @Test
    void superAndThisCallsGetNoHint() {
        ClassNode c = instrumented(OUTER + "$Sub");
        assertEquals(List.of(PART), hintedTypes(c, method(c, "<init>", "()V")));
        assertEquals(List.of(), hintedTypes(c, method(c, "<init>", "(Ljava/lang/Object;)V")));
    }

    @Test
    void aClassWithNothingElseToRewriteIsLeftAlone() {
        assertNull(ClassInstrumenter.instrument(FIXTURES.get(OUTER + "$OnlyAllocates"), true));
    }

    @Test
    void hintedCodeVerifiesAndRuns() throws Exception {
        Map<String, byte[]> rewritten = TestSupport.recording(TestSupport.instrumentAll(FIXTURES, true));
        TestSupport.verifyAll(rewritten);
        RecordingHooks.reset();
        Class<?> outer = TestSupport.load(rewritten, OUTER);
        Object o = outer.getConstructor().newInstance();
        outer.getMethod("make").invoke(o);
        outer.getMethod("unsynchronized").invoke(o);
        // make: Part and SelfLocking; unsynchronized: Sub, and the Part of Sub's this(...) call
        assertEquals(4, RecordingHooks.count("allocating"));
        assertEquals(List.of(), RecordingHooks.problems());
    }
}
