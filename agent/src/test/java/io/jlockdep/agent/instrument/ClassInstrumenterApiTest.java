package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;

/** The entry points' contract: what is skipped, what null means, how failures look. */
class ClassInstrumenterApiTest implements Opcodes {

    /** A tiny class with one synchronized block, named as asked. */
    static byte[] lockingClass(String name) {
        ClassWriter cw = GeneratedClassesTest.writer(ClassWriter.COMPUTE_MAXS);
        cw.visit(V11, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        GeneratedClassesTest.constructor(cw);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "run", "(Ljava/lang/Object;)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITORENTER);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITOREXIT);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"io/jlockdep/runtime/Tracker", "io/jlockdep/agent/Agent",
        "io/jlockdep/shaded/org/objectweb/asm/ClassWriter", "io/jlockdep/agent/instrument/Whatever"})
    void jlockdepsOwnClassesAreNeverInstrumented(String name) {
        for (boolean mode : new boolean[] {true, false}) {
            assertNull(ClassInstrumenter.instrument(lockingClass(name), mode), name);
            ClassInstrumenter.Result result = ClassInstrumenter.transform(lockingClass(name), mode);
            assertNull(result.classFile());
            assertEquals(name, result.className());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"io/jlockdep/Demo", "io/jlockdep/runtimeX/Foo", "com/example/io/jlockdep/agent/Foo", "Top"})
    void otherClassesAreInstrumented(String name) {
        assertNotNull(ClassInstrumenter.instrument(lockingClass(name), true), name);
    }

    @Test
    void aClassWithoutCodeIsLeftAlone() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(V17, ACC_PUBLIC | ACC_ABSTRACT | ACC_INTERFACE, "gen/Iface", null, "java/lang/Object", null);
        cw.visitMethod(ACC_PUBLIC | ACC_ABSTRACT, "lock", "()V", null, null).visitEnd();
        cw.visitEnd();
        assertNull(ClassInstrumenter.instrument(cw.toByteArray(), true));
    }

    @Test
    void garbageRaisesAOneLineInstrumentationException() {
        byte[] garbage = "definitely not a class file, but long enough to be read as one".getBytes();
        InstrumentationException e =
                assertThrows(InstrumentationException.class, () -> ClassInstrumenter.instrument(garbage, true));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("cannot instrument"), e.getMessage());
        assertThrows(InstrumentationException.class, () -> ClassInstrumenter.instrument(new byte[0], true));
        assertThrows(InstrumentationException.class, () -> ClassInstrumenter.instrument(null, true));
    }

    @Test
    void aTruncatedClassNamesItselfInTheFailure() {
        byte[] whole = lockingClass("gen/Truncated");
        byte[] truncated = Arrays.copyOf(whole, whole.length - 20);
        InstrumentationException e =
                assertThrows(InstrumentationException.class, () -> ClassInstrumenter.instrument(truncated, true));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("gen.Truncated: cannot instrument"), e.getMessage());
    }

    @Test
    void aClassFileNewerThanAsmKnowsIsRefusedByName() {
        byte[] future = lockingClass("gen/Future");
        future[6] = 0;
        future[7] = (byte) 99;
        InstrumentationException e =
                assertThrows(InstrumentationException.class, () -> ClassInstrumenter.transform(future, true));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("gen.Future: cannot instrument"), e.getMessage());
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }

    private static void assertOneLine(String message) {
        assertNotNull(message);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
    }

    @Test
    void intConstantsUseTheShortestInstruction() {
        assertEquals(ICONST_M1, MethodRewriter.intConstant(-1).getOpcode());
        assertEquals(ICONST_0, MethodRewriter.intConstant(0).getOpcode());
        assertEquals(ICONST_5, MethodRewriter.intConstant(5).getOpcode());
        assertEquals(BIPUSH, MethodRewriter.intConstant(6).getOpcode());
        assertEquals(127, ((IntInsnNode) MethodRewriter.intConstant(127)).operand);
        assertEquals(SIPUSH, MethodRewriter.intConstant(128).getOpcode());
        assertEquals(SIPUSH, MethodRewriter.intConstant(32767).getOpcode());
        AbstractInsnNode big = MethodRewriter.intConstant(32768);
        assertEquals(LDC, big.getOpcode());
        assertEquals(32768, ((LdcInsnNode) big).cst);
        assertEquals(Integer.MAX_VALUE, ((LdcInsnNode) MethodRewriter.intConstant(Integer.MAX_VALUE)).cst);
    }

    /**
     * The instrumenter runs inside a ClassFileTransformer: its own classes must not need invokedynamic (lambdas,
     * string concatenation, records, pattern switches), whose bootstrap would load and transform classes mid-transform.
     */
    @Test
    void theInstrumenterItselfUsesNoInvokedynamic() throws IOException, URISyntaxException {
        Path dir = Paths.get(ClassInstrumenter.class.getResource("ClassInstrumenter.class").toURI()).getParent();
        List<Path> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".class")).forEach(classes::add);
        }
        assertTrue(classes.size() >= 5, classes.toString());
        for (Path file : classes) {
            List<String> found = new ArrayList<>();
            new ClassReader(Files.readAllBytes(file)).accept(new ClassVisitor(ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return new MethodVisitor(ASM9) {
                        @Override
                        public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                            found.add(name + ": invokedynamic " + n);
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof Handle || value instanceof ConstantDynamic) {
                                found.add(name + ": ldc " + value);
                            }
                        }
                    };
                }
            }, 0);
            assertEquals(List.of(), found, file.getFileName().toString());
        }
    }
}
