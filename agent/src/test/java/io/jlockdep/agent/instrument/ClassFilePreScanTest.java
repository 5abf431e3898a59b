package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The raw pre-scan may say "maybe" too often, never "no" wrongly: over every class of the running JDK and of Kotlin's,
 * Scala's and Groovy's runtime jars, a class it rules out has nothing ASM's exact scan would rewrite. And it must rule out most of them, or it is not worth having.
 */
class ClassFilePreScanTest {

    @Test
    void aNoIsAlwaysRightAndMostClassesGetOne() throws IOException {
        List<byte[]> classes = new ArrayList<>();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : new String[] {"java.base", "java.logging", "java.sql", "java.desktop"}) {
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules", module))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class")) {
                        classes.add(Files.readAllBytes(p));
                    }
                }
            }
        }
        int[] ruledOut = checkEveryNo(classes);
        // about 91% and 93% on JDK 17 and 25: an operand byte that equals a monitor opcode must not count
        assertTrue(ruledOut[0] > classes.size() * 85 / 100, "ruled out " + ruledOut[0] + " of " + classes.size());
        assertTrue(ruledOut[1] > classes.size() * 88 / 100, "no monitors in " + ruledOut[1] + " of " + classes.size());
    }

    /** Other compilers' bytecode (Kotlin, Scala, Groovy), from the jars Maven copied to target/corpus. */
    @Test
    void aNoIsAlwaysRightOnOtherLanguagesJars() throws IOException {
        for (String jar : new String[] {"kotlin-stdlib.jar", "scala-library.jar", "groovy.jar"}) {
            Path path = Path.of("target", "corpus", jar);
            assertTrue(Files.isRegularFile(path), "missing " + path + " (copied by the build before the tests)");
            List<byte[]> classes = new ArrayList<>();
            try (ZipFile zip = new ZipFile(path.toFile())) {
                for (ZipEntry e : Collections.list(zip.entries())) {
                    if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")
                            && !e.getName().startsWith("META-INF/")) {
                        try (InputStream in = zip.getInputStream(e)) {
                            classes.add(in.readAllBytes());
                        }
                    }
                }
            }
            int[] ruledOut = checkEveryNo(classes);
            assertTrue(ruledOut[0] > classes.size() / 2, jar + ": ruled out " + ruledOut[0] + " of " + classes.size());
        }
    }

    /**
     * Asserts that the instruction walk reads every method exactly and that no "no" of the pre-scan is contradicted by
     * ASM's exact scan; returns how many "no"s it gave (for rewriting, for monitors).
     */
    private static int[] checkEveryNo(List<byte[]> classes) {
        int ruledOut = 0;
        int noMonitors = 0;
        List<String> wrong = new ArrayList<>();
        for (byte[] c : classes) {
            if (!ClassFilePreScan.walksEveryMethodCleanly(c)) {
                wrong.add("instruction walk lost: " + new org.objectweb.asm.ClassReader(c).getClassName());
            }
            boolean[] exact = ClassInstrumenter.exactScan(c);
            if (!ClassFilePreScan.mayNeedRewrite(c)) {
                ruledOut++;
                if (exact[0]) {
                    wrong.add("rewrite: " + new org.objectweb.asm.ClassReader(c).getClassName());
                }
            }
            if (!ClassFilePreScan.mayHaveMonitorOperations(c)) {
                noMonitors++;
                if (exact[1]) {
                    wrong.add("monitors: " + new org.objectweb.asm.ClassReader(c).getClassName());
                }
            }
        }
        assertEquals(List.of(), wrong);
        return new int[] {ruledOut, noMonitors};
    }

    @Test
    void operandsThatLookLikeMonitorOpcodesAreSkippedAndAMonitorAfterPaddedSwitchesIsFound() {
        assertFalse(ClassFilePreScan.mayHaveMonitorOperations(classWithTrickyOperands(false)));
        assertFalse(ClassFilePreScan.mayNeedRewrite(classWithTrickyOperands(false)));
        assertTrue(ClassFilePreScan.mayHaveMonitorOperations(classWithTrickyOperands(true)));
        assertTrue(ClassFilePreScan.mayNeedRewrite(classWithTrickyOperands(true)));
    }

    /**
     * One static method whose operands hold the monitor opcodes (0xC2, 0xC3) and whose switches need padding at
     * every alignment, then a wide iinc; with {@code monitor}, a monitorenter/monitorexit pair at the very end.
     */
    private static byte[] classWithTrickyOperands(boolean monitor) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_6, Opcodes.ACC_PUBLIC, "Tricky", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "run", "(I)V", null, null);
        mv.visitCode();
        for (int pad = 0; pad < 4; pad++) {
            for (int i = 0; i < pad; i++) {
                mv.visitInsn(Opcodes.NOP);
            }
            mv.visitIntInsn(Opcodes.SIPUSH, (short) 0xC2C3);
            mv.visitInsn(Opcodes.POP);
            mv.visitIntInsn(Opcodes.BIPUSH, (byte) 0xC2);
            Label a = new Label();
            Label b = new Label();
            Label end = new Label();
            mv.visitTableSwitchInsn(0xC2, 0xC3, end, a, b);
            mv.visitLabel(a);
            mv.visitVarInsn(Opcodes.ILOAD, 0);
            mv.visitLookupSwitchInsn(end, new int[] {0xC2C2C2C3}, new Label[] {b});
            mv.visitLabel(b);
            mv.visitLabel(end);
        }
        mv.visitIincInsn(0xC3, 0xC2C2);
        if (monitor) {
            mv.visitLdcInsn("x");
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.MONITORENTER);
            mv.visitInsn(Opcodes.MONITOREXIT);
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * Names are looked up by length first: every name of a length shared with others ("lock", "wait"; "readLock",
     * "tryLock"...) must still be found, and a name of the same length that is none of them must not count.
     */
    @Test
    void everyLockNameIsFoundAmongNamesOfTheSameLength() {
        for (String name : new String[] {"lock", "wait", "await", "notify", "tryLock", "readLock", "writeLock",
            "notifyAll", "awaitNanos", "awaitUntil", "tryReadLock", "tryWriteLock", "synchronizedMap",
            "synchronizedSet", "synchronizedList", "lockInterruptibly"}) {
            assertTrue(ClassFilePreScan.mayNeedRewrite(classCalling(name)), name);
        }
        assertTrue(ClassFilePreScan.mayHaveMonitorOperations(classCalling("notify")));
        assertFalse(ClassFilePreScan.mayHaveMonitorOperations(classCalling("lock")));
        for (String name : new String[] {"lick", "wair", "notifz", "readLick", "synchronizedMup", "x"}) {
            assertFalse(ClassFilePreScan.mayNeedRewrite(classCalling(name)), name);
        }
    }

    /** A class whose one method calls a static method {@code name()V} of another class, and does nothing else. */
    private static byte[] classCalling(String name) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "Caller", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "run", "()V", null, null);
        mv.visitCode();
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "Other", name, "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void aFileItCannotReadIsAMaybe() {
        assertTrue(ClassFilePreScan.mayNeedRewrite(new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0}));
        assertTrue(ClassFilePreScan.mayHaveMonitorOperations(new byte[0]));
    }
}
