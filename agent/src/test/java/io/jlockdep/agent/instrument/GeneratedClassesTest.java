package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.TestSupport.isHook;
import static io.jlockdep.agent.instrument.TestSupport.isOpcode;
import static io.jlockdep.agent.instrument.TestSupport.nextReal;
import static io.jlockdep.agent.instrument.TestSupport.realInsns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jlockdep.runtime.lockclass.Sites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Class files javac does not write: old versions, unstructured monitors, huge methods, Java 25, odd locals. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GeneratedClassesTest implements Opcodes {

    @AfterEach
    void resetRecorder() {
        RecordingHooks.reset();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Generators

    /** A writer that never loads classes to merge types (every generated merge is of plain objects). */
    static ClassWriter writer(int flags) {
        return new ClassWriter(flags) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
    }

    static void constructor(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    static void holdsLock(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Thread", "holdsLock", "(Ljava/lang/Object;)Z", false);
    }

    /** Pushes this class's Class object the way pre-1.5 code had to. */
    static void forName(MethodVisitor mv, String name) {
        mv.visitLdcInsn(name.replace('/', '.'));
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", false);
    }

    /**
     * A class as old compilers wrote it: a synchronized block whose monitorexit sits in a jsr subroutine, static and
     * instance synchronized methods, one throwing.
     */
    static byte[] oldClass(int version, String name, boolean withSourceFile) {
        ClassWriter cw = writer(ClassWriter.COMPUTE_MAXS);
        cw.visit(version, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        if (withSourceFile) {
            cw.visitSource("Old.java", null);
        }
        constructor(cw);

        // static boolean block(Object o) { synchronized (o) { return Thread.holdsLock(o); } } with jsr/ret
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "block", "(Ljava/lang/Object;)Z", null, null);
        mv.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label subroutine = new Label();
        Label line = new Label();
        mv.visitTryCatchBlock(start, end, handler, null);
        mv.visitLabel(line);
        mv.visitLineNumber(10, line);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, 1);
        mv.visitInsn(MONITORENTER);
        mv.visitLabel(start);
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitVarInsn(ISTORE, 2);
        mv.visitJumpInsn(JSR, subroutine);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitInsn(IRETURN);
        mv.visitLabel(end);
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, 3);
        mv.visitJumpInsn(JSR, subroutine);
        mv.visitVarInsn(ALOAD, 3);
        mv.visitInsn(ATHROW);
        mv.visitLabel(subroutine);
        Label line2 = new Label();
        mv.visitLabel(line2);
        mv.visitLineNumber(12, line2);
        mv.visitVarInsn(ASTORE, 4);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(MONITOREXIT);
        mv.visitVarInsn(RET, 4);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static synchronized boolean staticSync() { return Thread.holdsLock(<this class>); }
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC | ACC_SYNCHRONIZED, "staticSync", "()Z", null, null);
        mv.visitCode();
        Label l20 = new Label();
        mv.visitLabel(l20);
        mv.visitLineNumber(20, l20);
        forName(mv, name);
        holdsLock(mv);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static synchronized int staticSyncThrows(int x) { if (x > 0) throw new IllegalStateException("boom"); return x; }
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC | ACC_SYNCHRONIZED, "staticSyncThrows", "(I)I", null, null);
        mv.visitCode();
        Label ok = new Label();
        mv.visitVarInsn(ILOAD, 0);
        mv.visitJumpInsn(IFLE, ok);
        mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
        mv.visitInsn(DUP);
        mv.visitLdcInsn("boom");
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(ok);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static boolean heldAfterThrow() { try { staticSyncThrows(1); } catch (IllegalStateException e) {} return holdsLock(class); }
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "heldAfterThrow", "()Z", null, null);
        mv.visitCode();
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label caught = new Label();
        Label after = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, caught, "java/lang/IllegalStateException");
        mv.visitLabel(tryStart);
        mv.visitInsn(ICONST_1);
        mv.visitMethodInsn(INVOKESTATIC, name, "staticSyncThrows", "(I)I", false);
        mv.visitInsn(POP);
        mv.visitLabel(tryEnd);
        mv.visitJumpInsn(GOTO, after);
        mv.visitLabel(caught);
        mv.visitInsn(POP);
        mv.visitLabel(after);
        forName(mv, name);
        holdsLock(mv);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // synchronized boolean instSync() { return Thread.holdsLock(this); }
        mv = cw.visitMethod(ACC_PUBLIC | ACC_SYNCHRONIZED, "instSync", "()Z", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static Object allocate() { lock = new Object(); return lock; } (old style: the allocation is all the same)
        cw.visitField(ACC_PUBLIC | ACC_STATIC, "lock", "Ljava/lang/Object;", null, null).visitEnd();
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "allocate", "()Ljava/lang/Object;", null, null);
        mv.visitCode();
        mv.visitTypeInsn(NEW, "java/lang/Object");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitFieldInsn(PUTSTATIC, name, "lock", "Ljava/lang/Object;");
        mv.visitFieldInsn(GETSTATIC, name, "lock", "Ljava/lang/Object;");
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Runs the generated methods; the outcomes, in a fixed order. */
    static List<String> runOld(Class<?> c) throws Exception {
        List<String> out = new ArrayList<>();
        Object lock = new Object();
        out.add(TestSupport.outcome(c.getMethod("block", Object.class), lock) + " " + Thread.holdsLock(lock));
        out.add(TestSupport.outcome(c.getMethod("block", Object.class), (Object) null));
        out.add(TestSupport.outcome(c.getMethod("staticSync")));
        out.add(TestSupport.outcome(c.getMethod("staticSyncThrows", int.class), 0));
        out.add(TestSupport.outcome(c.getMethod("staticSyncThrows", int.class), 3) + " " + Thread.holdsLock(c));
        out.add(TestSupport.outcome(c.getMethod("heldAfterThrow")));
        Object instance = c.getConstructor().newInstance();
        Method instSync = c.getMethod("instSync");
        out.add(String.valueOf(instSync.invoke(instance)) + " " + Thread.holdsLock(instance));
        out.add(String.valueOf(c.getMethod("allocate").invoke(null).getClass()));
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Old class files

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {V1_1, V1_4, V1_5})
    void oldClassFilesAreRewrittenWithoutFrames(int version) throws Exception {
        int major = version & 0xFFFF;
        String name = "gen/Old" + major;
        byte[] original = oldClass(version, name, major != 48);
        List<String> expected = runOld(TestSupport.load(Map.of(name, original), name));
        assertEquals("returned true false", expected.get(0), "the generator itself");

        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            ClassInstrumenter.Result result = ClassInstrumenter.transform(original, mayChangeMethodFlags);
            byte[] rewritten = result.classFile();
            assertNotNull(rewritten);
            assertEquals(List.of(), result.notes());
            assertFalse(TestSupport.hasFrames(rewritten), "no stack map frames below version 50");
            ClassNode tree = TestSupport.tree(rewritten);
            assertEquals(version, tree.version);
            TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
            checkOldLayout(name, original, rewritten, mayChangeMethodFlags, major);

            assertEquals(expected, runOld(TestSupport.load(Map.of(name, rewritten), name)), "mode " + mayChangeMethodFlags);
            RecordingHooks.reset();
            assertEquals(expected, runOld(TestSupport.load(TestSupport.recording(Map.of(name, rewritten)), name)));
            assertEquals(List.of(), RecordingHooks.problems());
            assertEquals(List.of(), RecordingHooks.stillHeld());
            // staticSync, staticSyncThrows twice, heldAfterThrow's call, instSync
            assertEquals(mayChangeMethodFlags ? 0 : 5, RecordingHooks.count("syncMethodEntered"));
            assertEquals(mayChangeMethodFlags ? 2 + 5 : 2, RecordingHooks.count("monitorEnter"));
            assertEquals(1, RecordingHooks.count("allocated"));
        }
    }

    private static void checkOldLayout(String name, byte[] original, byte[] rewritten, boolean mayChangeMethodFlags,
                                       int major) {
        ClassNode before = TestSupport.tree(original);
        ClassNode after = TestSupport.tree(rewritten);
        String source = major != 48 ? "Old.java" : null;
        assertEquals(source, after.sourceFile);
        MethodNode block = TestSupport.method(after, "block");
        for (AbstractInsnNode n : realInsns(block)) {
            if (n.getOpcode() == MONITORENTER) {
                assertEquals(Integer.valueOf(Sites.code(name, "block", source, 10)),
                        TestSupport.intValue(TestSupport.prevReal(n, 2)));
            }
        }
        assertEquals(1, TestSupport.countHooks(block, "monitorExit"), "the exit in the subroutine");
        MethodNode staticSync = TestSupport.method(after, "staticSync");
        assertEquals(mayChangeMethodFlags, (staticSync.access & ACC_SYNCHRONIZED) == 0);
        AbstractInsnNode first = realInsns(staticSync).get(0);
        if (major < 49) {
            assertEquals(name.replace('/', '.'), ((LdcInsnNode) first).cst, "Class.forName before 1.5");
            assertTrue(nextReal(first, 1) instanceof MethodInsnNode
                    && ((MethodInsnNode) nextReal(first, 1)).name.equals("forName"));
        } else {
            assertEquals(Type.getObjectType(name), ((LdcInsnNode) first).cst, "class constant from 1.5");
        }
        int site = Sites.code(name, "staticSync", source, 20);
        AbstractInsnNode hook = null;
        for (AbstractInsnNode n : realInsns(staticSync)) {
            if (isHook(n, mayChangeMethodFlags ? "monitorEnter" : "syncMethodEntered")) {
                hook = n;
                break;
            }
        }
        assertNotNull(hook);
        assertEquals(Integer.valueOf(site), TestSupport.intValue(TestSupport.prevReal(hook, 1)));
        MethodNode instSync = TestSupport.method(after, "instSync");
        assertEquals(mayChangeMethodFlags, (instSync.access & ACC_SYNCHRONIZED) == 0);
        assertEquals(before.methods.size(), after.methods.size());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Unstructured monitors

    static byte[] unstructuredClass(int version, String name) {
        boolean frames = (version & 0xFFFF) >= 50;
        ClassWriter cw = writer(frames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS);
        cw.visit(version, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        constructor(cw);

        // static int branches(Object a, boolean f): enter in one of two branches, exit in one of two others
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "branches", "(Ljava/lang/Object;Z)I", null, null);
        mv.visitCode();
        Label otherEnter = new Label();
        Label joined = new Label();
        Label otherExit = new Label();
        Label exited = new Label();
        Label notHeld = new Label();
        mv.visitVarInsn(ILOAD, 1);
        mv.visitJumpInsn(IFEQ, otherEnter);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITORENTER);
        mv.visitJumpInsn(GOTO, joined);
        mv.visitLabel(otherEnter);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITORENTER);
        mv.visitLabel(joined);
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitVarInsn(ISTORE, 2);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitJumpInsn(IFNE, otherExit);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITOREXIT);
        mv.visitJumpInsn(GOTO, exited);
        mv.visitLabel(otherExit);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITOREXIT);
        mv.visitLabel(exited);
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitJumpInsn(IFNE, notHeld);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitInsn(IRETURN);
        mv.visitLabel(notHeld);
        mv.visitInsn(ICONST_M1);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static int twoEntersOneExit(Object a): leaves one level held when it returns
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "twoEntersOneExit", "(Ljava/lang/Object;)I", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITORENTER);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITORENTER);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITOREXIT);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static void exitOnly(Object a): releases what it never took
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "exitOnly", "(Ljava/lang/Object;)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITOREXIT);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static int loops(Object a, int n): n enters in one loop, n exits in another
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "loops", "(Ljava/lang/Object;I)I", null, null);
        mv.visitCode();
        Label enterLoop = new Label();
        Label exitLoop = new Label();
        Label done = new Label();
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, 2);
        mv.visitLabel(enterLoop);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitJumpInsn(IF_ICMPGE, exitLoop);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITORENTER);
        mv.visitIincInsn(2, 1);
        mv.visitJumpInsn(GOTO, enterLoop);
        mv.visitLabel(exitLoop);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitJumpInsn(IFLE, done);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(MONITOREXIT);
        mv.visitIincInsn(2, -1);
        mv.visitJumpInsn(GOTO, exitLoop);
        mv.visitLabel(done);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    static List<String> runUnstructured(Class<?> c) throws Exception {
        List<String> out = new ArrayList<>();
        Object a = new Object();
        out.add(TestSupport.outcome(c.getMethod("branches", Object.class, boolean.class), a, true));
        out.add(TestSupport.outcome(c.getMethod("branches", Object.class, boolean.class), a, false));
        out.add(TestSupport.outcome(c.getMethod("loops", Object.class, int.class), a, 5) + Thread.holdsLock(a));
        out.add(TestSupport.outcome(c.getMethod("exitOnly", Object.class), a));
        Object b = new Object();
        out.add(TestSupport.outcome(c.getMethod("twoEntersOneExit", Object.class), b) + " " + Thread.holdsLock(b));
        return out;
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {V1_4, V1_8, V17})
    void unstructuredMonitorsAreWrappedOneByOne(int version) throws Exception {
        String name = "gen/Unstructured" + (version & 0xFFFF);
        byte[] original = unstructuredClass(version, name);
        List<String> expected = runUnstructured(TestSupport.load(Map.of(name, original), name));
        assertEquals("returned 1", expected.get(0));
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            byte[] rewritten = ClassInstrumenter.instrument(original, mayChangeMethodFlags);
            assertNotNull(rewritten);
            TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
            ClassNode tree = TestSupport.tree(rewritten);
            for (MethodNode m : tree.methods) {
                int enters = TestSupport.count(m, MONITORENTER);
                int exits = TestSupport.count(m, MONITOREXIT);
                assertEquals(enters, TestSupport.countHooks(m, "monitorEnter"), m.name);
                assertEquals(exits, TestSupport.countHooks(m, "monitorExit"), m.name);
                for (AbstractInsnNode n : realInsns(m)) {
                    if (n.getOpcode() == MONITORENTER) {
                        assertTrue(isHook(TestSupport.prevReal(n, 1), "monitorEnter"));
                    } else if (n.getOpcode() == MONITOREXIT) {
                        assertTrue(isHook(TestSupport.prevReal(n, 1), "monitorExit"));
                    }
                }
            }
            assertEquals(TestSupport.count(TestSupport.method(TestSupport.tree(original), "branches"), MONITORENTER),
                    TestSupport.count(TestSupport.method(tree, "branches"), MONITORENTER));
            assertEquals(expected, runUnstructured(TestSupport.load(Map.of(name, rewritten), name)));
            RecordingHooks.reset();
            RecordingHooks.strictOrder = false;
            assertEquals(expected,
                    runUnstructured(TestSupport.load(TestSupport.recording(Map.of(name, rewritten)), name)));
            // branches twice, five in loops, two in twoEntersOneExit
            assertEquals(1 + 1 + 5 + 2, RecordingHooks.count("monitorEnter"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The 64 KB limit

    /** {@code big(Object)}: a synchronized block around ~64 KB of code; {@code small(Object)}: an ordinary one. */
    static byte[] hugeClass(String name, boolean withSmall) {
        ClassWriter cw = writer(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        constructor(cw);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "big", "(Ljava/lang/Object;)I", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, 1);
        mv.visitInsn(MONITORENTER);
        // 4 + 2 * n + 4 bytes of code; the hooks need 9 more.
        int n = (65535 - 8 - 2) / 2;
        for (int i = 0; i < n; i++) {
            mv.visitInsn(ICONST_0);
            mv.visitInsn(POP);
        }
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(MONITOREXIT);
        mv.visitInsn(ICONST_3);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        if (withSmall) {
            mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "small", "(Ljava/lang/Object;)I", null, null);
            mv.visitCode();
            mv.visitVarInsn(ALOAD, 0);
            mv.visitInsn(DUP);
            mv.visitVarInsn(ASTORE, 1);
            mv.visitInsn(MONITORENTER);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitInsn(MONITOREXIT);
            mv.visitInsn(ICONST_4);
            mv.visitInsn(IRETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void aMethodThatWouldOutgrowTheCodeLimitIsLeftAloneAndNoted() throws Exception {
        String name = "gen/Huge";
        byte[] original = hugeClass(name, true);
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            ClassInstrumenter.Result result = ClassInstrumenter.transform(original, mayChangeMethodFlags);
            assertNotNull(result.classFile());
            assertEquals(1, result.notes().size(), result.notes().toString());
            String note = result.notes().get(0);
            assertTrue(note.contains("gen.Huge.big(Ljava/lang/Object;)I"), note);
            assertTrue(note.contains("65535"), note);
            assertFalse(note.contains("\n"));

            ClassNode before = TestSupport.tree(original);
            ClassNode after = TestSupport.tree(result.classFile());
            LayoutChecker.assertUnchanged(TestSupport.method(before, "big"), TestSupport.method(after, "big"));
            LayoutChecker.assertNoHooks(TestSupport.method(after, "big"));
            assertEquals(1, TestSupport.countHooks(TestSupport.method(after, "small"), "monitorEnter"));
            TestSupport.verify(result.classFile(), new TestSupport.ByteClassLoader(Map.of(name, result.classFile())));
            Class<?> c = TestSupport.load(Map.of(name, result.classFile()), name);
            assertEquals(3, c.getMethod("big", Object.class).invoke(null, new Object()));
            assertEquals(4, c.getMethod("small", Object.class).invoke(null, new Object()));
            // instrument() gives the same bytes, without the notes
            assertNotNull(ClassInstrumenter.instrument(original, mayChangeMethodFlags));
        }
    }

    @Test
    void aClassWhoseOnlyTargetIsTooLargeIsLeftUnchangedWithANote() {
        ClassInstrumenter.Result result = ClassInstrumenter.transform(hugeClass("gen/HugeOnly", false), true);
        assertNull(result.classFile());
        assertEquals(1, result.notes().size());
        assertTrue(result.notes().get(0).contains("gen.HugeOnly.big"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Java 25 class files, frames at offset 0

    static byte[] modernClass(int version, String name) {
        ClassWriter cw = writer(ClassWriter.COMPUTE_FRAMES);
        cw.visit(version, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        cw.visitSource("Modern.java", null);
        constructor(cw);

        // static synchronized int countDown(int n): a loop whose header is the first instruction (frame at 0)
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC | ACC_SYNCHRONIZED, "countDown", "(I)I", null, null);
        mv.visitCode();
        Label loop = new Label();
        Label done = new Label();
        mv.visitLabel(loop);
        mv.visitLineNumber(5, loop);
        mv.visitVarInsn(ILOAD, 0);
        mv.visitJumpInsn(IFLE, done);
        mv.visitIincInsn(0, -1);
        mv.visitJumpInsn(GOTO, loop);
        mv.visitLabel(done);
        mv.visitLdcInsn(Type.getObjectType(name));
        holdsLock(mv);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // synchronized long pick(long a, double b, boolean c): wide locals, two returns
        mv = cw.visitMethod(ACC_PUBLIC | ACC_SYNCHRONIZED, "pick", "(JDZ)J", null, null);
        mv.visitCode();
        Label second = new Label();
        mv.visitVarInsn(ILOAD, 5);
        mv.visitJumpInsn(IFEQ, second);
        mv.visitVarInsn(LLOAD, 1);
        mv.visitInsn(LRETURN);
        mv.visitLabel(second);
        mv.visitVarInsn(DLOAD, 3);
        mv.visitInsn(D2L);
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        mv.visitInsn(LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        // static int block(Object o): synchronized block with a catch-all, javac style
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "block", "(Ljava/lang/Object;)I", null, null);
        mv.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(start, end, handler, null);
        mv.visitTryCatchBlock(handler, end, handler, null);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, 1);
        mv.visitInsn(MONITORENTER);
        mv.visitLabel(start);
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(MONITOREXIT);
        mv.visitInsn(IRETURN);
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, 2);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(MONITOREXIT);
        mv.visitLabel(end);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    static List<String> runModern(Class<?> c) throws Exception {
        List<String> out = new ArrayList<>();
        out.add(TestSupport.outcome(c.getMethod("countDown", int.class), 5));
        Object instance = c.getConstructor().newInstance();
        Method pick = c.getMethod("pick", long.class, double.class, boolean.class);
        out.add(String.valueOf(pick.invoke(instance, 7L, 2.5, true)));
        out.add(String.valueOf(pick.invoke(instance, 7L, 2.5, false)));
        out.add(TestSupport.outcome(c.getMethod("block", Object.class), new Object()));
        out.add(TestSupport.outcome(c.getMethod("block", Object.class), (Object) null));
        return out;
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {V1_6, V1_7, V11, V21, V25})
    void modernClassFilesKeepValidFrames(int version) throws Exception {
        String name = "gen/Modern" + version;
        byte[] original = modernClass(version, name);
        boolean canRun = Runtime.version().feature() + 44 >= version;
        List<String> expected = canRun ? runModern(TestSupport.load(Map.of(name, original), name)) : null;
        if (canRun) {
            assertEquals("returned 1", expected.get(0));
        }
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            byte[] rewritten = ClassInstrumenter.instrument(original, mayChangeMethodFlags);
            assertNotNull(rewritten);
            ClassNode tree = TestSupport.tree(rewritten);
            assertEquals(version, tree.version);
            assertTrue(TestSupport.hasFrames(rewritten));
            TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
            LayoutChecker.checkClass(TestSupport.tree(original), tree, mayChangeMethodFlags, new LayoutChecker.Totals());
            if (canRun) {
                assertEquals(expected, runModern(TestSupport.load(Map.of(name, rewritten), name)));
                RecordingHooks.reset();
                assertEquals(expected, runModern(TestSupport.load(TestSupport.recording(Map.of(name, rewritten)), name)));
                assertEquals(List.of(), RecordingHooks.problems());
                assertEquals(List.of(), RecordingHooks.stillHeld());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Slot 0 that does not hold `this` all along

    /**
     * {@code synchronized int clobber(Object other)}: stores into slot 0, then branches (so frames see slot 0 as
     * Object); {@code synchronized int topped(int x)}: a hand-written frame that drops slot 0 (TOP).
     */
    static byte[] slotZeroClass(String name) {
        ClassWriter cw = writer(ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        constructor(cw);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_SYNCHRONIZED, "clobber", "(Ljava/lang/Object;)I", null, null);
        mv.visitCode();
        Label notHeld = new Label();
        Label otherHeld = new Label();
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitVarInsn(ISTORE, 2);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitVarInsn(ASTORE, 0);
        mv.visitVarInsn(ILOAD, 2);
        mv.visitJumpInsn(IFEQ, notHeld);
        mv.visitVarInsn(ALOAD, 0);
        holdsLock(mv);
        mv.visitJumpInsn(IFNE, otherHeld);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IRETURN);
        mv.visitLabel(otherHeld);
        mv.visitFrame(F_FULL, 3, new Object[] {"java/lang/Object", "java/lang/Object", INTEGER}, 0, new Object[0]);
        mv.visitInsn(ICONST_2);
        mv.visitInsn(IRETURN);
        mv.visitLabel(notHeld);
        mv.visitFrame(F_FULL, 3, new Object[] {"java/lang/Object", "java/lang/Object", INTEGER}, 0, new Object[0]);
        mv.visitInsn(ICONST_0);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC | ACC_SYNCHRONIZED, "topped", "(I)I", null, null);
        mv.visitCode();
        Label zero = new Label();
        mv.visitVarInsn(ILOAD, 1);
        mv.visitJumpInsn(IFEQ, zero);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IRETURN);
        mv.visitLabel(zero);
        mv.visitFrame(F_FULL, 2, new Object[] {TOP, INTEGER}, 0, new Object[0]);
        mv.visitInsn(ICONST_0);
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void synchronizedMethodsThatDoNotKeepThisInSlotZeroKeepTheirFlag() throws Exception {
        String name = "gen/SlotZero";
        byte[] original = slotZeroClass(name);
        Class<?> c0 = TestSupport.load(Map.of(name, original), name);
        Object o0 = c0.getConstructor().newInstance();
        assertEquals(1, c0.getMethod("clobber", Object.class).invoke(o0, new Object()));
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            byte[] rewritten = ClassInstrumenter.instrument(original, mayChangeMethodFlags);
            assertNotNull(rewritten);
            TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
            ClassNode tree = TestSupport.tree(rewritten);
            for (String method : new String[] {"clobber", "topped"}) {
                MethodNode m = TestSupport.method(tree, method);
                assertTrue((m.access & ACC_SYNCHRONIZED) != 0, method + " keeps its flag");
                assertEquals(1, TestSupport.countHooks(m, "syncMethodEntered"));
                assertEquals(0, TestSupport.count(m, MONITORENTER));
                List<AbstractInsnNode> insns = realInsns(m);
                // aload 0, dup, astore <new local>: the hooks use the copy
                assertTrue(isOpcode(insns.get(0), ALOAD) && ((VarInsnNode) insns.get(0)).var == 0);
                assertTrue(isOpcode(insns.get(1), DUP));
                int copy = ((VarInsnNode) insns.get(2)).var;
                assertEquals(ASTORE, insns.get(2).getOpcode());
                assertTrue(copy >= TestSupport.method(TestSupport.tree(original), method).maxLocals);
                for (AbstractInsnNode n : insns) {
                    if (isHook(n, "monitorExit")) {
                        AbstractInsnNode load = TestSupport.prevReal(n, 1);
                        assertEquals(copy, ((VarInsnNode) load).var);
                    }
                }
            }
            Class<?> c = TestSupport.load(Map.of(name, rewritten), name);
            Object o = c.getConstructor().newInstance();
            assertEquals(1, c.getMethod("clobber", Object.class).invoke(o, new Object()));
            assertEquals(1, c.getMethod("topped", int.class).invoke(o, 5));
            assertEquals(0, c.getMethod("topped", int.class).invoke(o, 0));

            RecordingHooks.reset();
            Class<?> r = TestSupport.load(TestSupport.recording(Map.of(name, rewritten)), name);
            Object ro = r.getConstructor().newInstance();
            assertEquals(1, r.getMethod("clobber", Object.class).invoke(ro, new Object()));
            assertEquals(0, r.getMethod("topped", int.class).invoke(ro, 0));
            assertEquals(List.of(), RecordingHooks.problems());
            assertEquals(List.of(), RecordingHooks.stillHeld(), "the exits got the receiver, not slot 0's new value");
            assertEquals(2, RecordingHooks.count("syncMethodEntered"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Object.wait/notify through an interface, with values under the receiver

    /**
     * {@code static String signal(Runnable r)}: on a value left on the stack below, in a synchronized block on r,
     * r.notify(), r.notifyAll(), r.wait(1L), r.wait(1L, 1) as invokeinterface Runnable.x (what javac 18+ writes for an
     * interface-typed receiver), then returns that value; {@code static void waitUnheld(Runnable r)}: invokeinterface
     * Runnable.wait() without the monitor; {@code static void wait()}: a static method of that name, called with
     * invokestatic, which is no Object.wait.
     */
    static byte[] interfaceWaitClass(int version, String name) {
        ClassWriter cw = writer(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(version, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        cw.visitSource("Iface.java", null);
        constructor(cw);
        String runnable = "java/lang/Runnable";

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "signal", "(Ljava/lang/Runnable;)Ljava/lang/String;",
                null, new String[] {"java/lang/InterruptedException"});
        mv.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(start, end, handler, null);
        line(mv, 10);
        mv.visitLdcInsn("kept");
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, 1);
        mv.visitInsn(MONITORENTER);
        mv.visitLabel(start);
        line(mv, 11);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKEINTERFACE, runnable, "notify", "()V", true);
        line(mv, 12);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKEINTERFACE, runnable, "notifyAll", "()V", true);
        line(mv, 13);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(LCONST_1);
        mv.visitMethodInsn(INVOKEINTERFACE, runnable, "wait", "(J)V", true);
        line(mv, 14);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(LCONST_1);
        mv.visitInsn(ICONST_1);
        mv.visitMethodInsn(INVOKEINTERFACE, runnable, "wait", "(JI)V", true);
        line(mv, 15);
        mv.visitMethodInsn(INVOKESTATIC, name, "wait", "()V", false);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(MONITOREXIT);
        mv.visitLabel(end);
        mv.visitInsn(ARETURN);
        mv.visitLabel(handler);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitInsn(MONITOREXIT);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "waitUnheld", "(Ljava/lang/Runnable;)V", null,
                new String[] {"java/lang/InterruptedException"});
        mv.visitCode();
        line(mv, 20);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKEINTERFACE, runnable, "wait", "()V", true);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "wait", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void line(MethodVisitor mv, int line) {
        Label l = new Label();
        mv.visitLabel(l);
        mv.visitLineNumber(line, l);
    }

    static List<String> runInterfaceWait(Class<?> c) throws Exception {
        Runnable r = new Thread();
        List<String> out = new ArrayList<>();
        out.add(TestSupport.outcome(c.getMethod("signal", Runnable.class), r));
        out.add(TestSupport.outcome(c.getMethod("waitUnheld", Runnable.class), r));
        out.add(String.valueOf(Thread.holdsLock(r)));
        return out;
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {V1_6, V1_8, V17})
    void interfaceCallsOfWaitAndNotifyAreReplaced(int version) throws Exception {
        String name = "gen/Iface" + version;
        byte[] original = interfaceWaitClass(version, name);
        List<String> expected = runInterfaceWait(TestSupport.load(Map.of(name, original), name));
        assertEquals(List.of("returned kept",
                "threw java.lang.IllegalMonitorStateException: current thread is not owner", "false"), expected);
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            byte[] rewritten = ClassInstrumenter.instrument(original, mayChangeMethodFlags);
            assertNotNull(rewritten);
            LayoutChecker.Totals totals = new LayoutChecker.Totals();
            LayoutChecker.checkClass(TestSupport.tree(original), TestSupport.tree(rewritten), mayChangeMethodFlags,
                    totals);
            assertEquals(Map.of("notify()V", 1, "notifyAll()V", 1, "wait(J)V", 1, "wait(JI)V", 1, "wait()V", 1,
                    "invokeinterface", 5), totals.replaced);
            assertEquals(0, totals.siteHints);
            MethodNode signal = TestSupport.method(TestSupport.tree(rewritten), "signal");
            List<String> calls = new ArrayList<>();
            for (AbstractInsnNode n : realInsns(signal)) {
                if (n instanceof MethodInsnNode) {
                    MethodInsnNode m = (MethodInsnNode) n;
                    calls.add(m.getOpcode() + " " + m.owner + "." + m.name + m.desc + (m.itf ? " itf" : ""));
                }
            }
            String hooks = TestSupport.HOOKS;
            assertEquals(List.of(INVOKESTATIC + " " + hooks + ".monitorEnter(Ljava/lang/Object;I)V",
                    INVOKESTATIC + " " + hooks + ".objectNotify(Ljava/lang/Object;I)V",
                    INVOKESTATIC + " " + hooks + ".objectNotifyAll(Ljava/lang/Object;I)V",
                    INVOKESTATIC + " " + hooks + ".objectWait(Ljava/lang/Object;JI)V",
                    INVOKESTATIC + " " + hooks + ".objectWait(Ljava/lang/Object;JII)V",
                    INVOKESTATIC + " " + name + ".wait()V",
                    INVOKESTATIC + " " + hooks + ".monitorExit(Ljava/lang/Object;)V",
                    INVOKESTATIC + " " + hooks + ".monitorExit(Ljava/lang/Object;)V"), calls);
            TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
            assertEquals(expected, runInterfaceWait(TestSupport.load(Map.of(name, rewritten), name)));

            RecordingHooks.reset();
            Class<?> r = TestSupport.load(TestSupport.recording(Map.of(name, rewritten)), name);
            assertEquals(expected, runInterfaceWait(r));
            String where = " " + name.replace('/', '.') + ".";
            assertEquals(List.of("objectNotify()" + where + "signal:11", "objectNotifyAll()" + where + "signal:12",
                    "objectWait(J)" + where + "signal:13", "objectWait(JI)" + where + "signal:14",
                    "objectWait()" + where + "waitUnheld:20"), RecordingHooks.monitorCalls());
            assertEquals(1, RecordingHooks.count("objectWait without the monitor"));
            assertEquals(List.of(), RecordingHooks.problems());
            assertEquals(List.of(), RecordingHooks.stillHeld());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Allocation matching in hand-written code

    @Test
    void constructorCallsAreMatchedWithTheirNew() throws Exception {
        String name = "gen/Allocs";
        ClassWriter cw = writer(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        cw.visitField(ACC_STATIC, "lock", "Ljava/util/concurrent/locks/ReentrantLock;", null, null).visitEnd();
        constructor(cw);
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "make", "()Ljava/lang/Object;", null, null);
        mv.visitCode();
        // new StampedLock(<new ReentrantLock() stored in a field first>): nested, the inner one field-named
        mv.visitTypeInsn(NEW, "java/util/concurrent/locks/StampedLock");
        mv.visitInsn(DUP);
        mv.visitTypeInsn(NEW, "java/util/concurrent/locks/ReentrantLock");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/util/concurrent/locks/ReentrantLock", "<init>", "()V", false);
        mv.visitFieldInsn(PUTSTATIC, name, "lock", "Ljava/util/concurrent/locks/ReentrantLock;");
        mv.visitMethodInsn(INVOKESPECIAL, "java/util/concurrent/locks/StampedLock", "<init>", "()V", false);
        // new StampedLock() whose dup does not follow the new at once: no hook
        mv.visitTypeInsn(NEW, "java/util/concurrent/locks/StampedLock");
        mv.visitInsn(ICONST_0);
        mv.visitInsn(POP);
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/util/concurrent/locks/StampedLock", "<init>", "()V", false);
        mv.visitInsn(POP);
        // new StampedLock(), discarded
        mv.visitTypeInsn(NEW, "java/util/concurrent/locks/StampedLock");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/util/concurrent/locks/StampedLock", "<init>", "()V", false);
        mv.visitInsn(POP);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] original = cw.toByteArray();
        byte[] rewritten = ClassInstrumenter.instrument(original, true);
        assertNotNull(rewritten);
        TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
        LayoutChecker.Totals totals = new LayoutChecker.Totals();
        LayoutChecker.checkClass(TestSupport.tree(original), TestSupport.tree(rewritten), true, totals);
        assertEquals(3, totals.allocations);
        assertEquals(List.of(name + ".lock=java/util/concurrent/locks/ReentrantLock"), totals.fieldKeys);
        Class<?> c = TestSupport.load(Map.of(name, rewritten), name);
        assertEquals(java.util.concurrent.locks.StampedLock.class, c.getMethod("make").invoke(null).getClass());
    }

    /**
     * Legal but not javac: a constructor that starts {@code new Object(); dup}, then calls {@code super()} on this
     * (also an Object.<init>), then initializes the new object. Only the second call may get the hook; a hook after the
     * first would pass an uninitialized object and fail verification.
     */
    @Test
    void aSuperCallBetweenANewAndItsConstructorIsNotTakenForIt() throws Exception {
        String name = "gen/Interleaved";
        ClassWriter cw = writer(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
        cw.visitField(ACC_PUBLIC | ACC_STATIC, "made", "Ljava/lang/Object;", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitTypeInsn(NEW, "java/lang/Object");
        mv.visitInsn(DUP);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitFieldInsn(PUTSTATIC, name, "made", "Ljava/lang/Object;");
        // then two nested allocations, the inner one stored away before the outer one is initialized:
        // new Object (a), dup, new Object (b), dup, <init> b, putstatic inner, <init> a, putstatic outer
        cw.visitField(ACC_PUBLIC | ACC_STATIC, "inner", "Ljava/lang/Object;", null, null).visitEnd();
        cw.visitField(ACC_PUBLIC | ACC_STATIC, "outer", "Ljava/lang/Object;", null, null).visitEnd();
        mv.visitTypeInsn(NEW, "java/lang/Object");
        mv.visitInsn(DUP);
        mv.visitTypeInsn(NEW, "java/lang/Object");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitFieldInsn(PUTSTATIC, name, "inner", "Ljava/lang/Object;");
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitFieldInsn(PUTSTATIC, name, "outer", "Ljava/lang/Object;");
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] original = cw.toByteArray();
        TestSupport.load(Map.of(name, original), name).getConstructor().newInstance();

        byte[] rewritten = ClassInstrumenter.instrument(original, true);
        assertNotNull(rewritten);
        TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
        LayoutChecker.Totals totals = new LayoutChecker.Totals();
        LayoutChecker.checkClass(TestSupport.tree(original), TestSupport.tree(rewritten), true, totals);
        assertEquals(3, totals.allocations);
        assertEquals(List.of(name + ".made=java/lang/Object", name + ".inner=java/lang/Object",
                name + ".outer=java/lang/Object"), totals.fieldKeys);
        MethodNode init = TestSupport.method(TestSupport.tree(rewritten), "<init>");
        MethodInsnNode superCall = null;
        for (AbstractInsnNode n : realInsns(init)) {
            if (n.getOpcode() == INVOKESPECIAL) {
                superCall = (MethodInsnNode) n;
                break;
            }
        }
        assertEquals(INVOKESPECIAL, nextReal(superCall, 1).getOpcode(), "nothing after super()");
        RecordingHooks.reset();
        TestSupport.load(TestSupport.recording(Map.of(name, rewritten)), name).getConstructor().newInstance();
        assertEquals(3, RecordingHooks.count("allocated"));
    }

    @Test
    void largeSiteIdsAreBakedAsLdc() throws Exception {
        // Push the registry past the ranges of iconst, bipush and sipush.
        for (int i = Sites.code("gen/Filler", "f", null, 0); i < 40_000; i = Sites.code("gen/Filler", "f", null, i)) {
            assertNotEquals(0, i);
        }
        String name = "gen/Unstructured" + 52 + "Big";
        byte[] original = unstructuredClass(V1_8, name);
        byte[] rewritten = ClassInstrumenter.instrument(original, true);
        MethodNode m = TestSupport.method(TestSupport.tree(rewritten), "branches");
        for (AbstractInsnNode n : realInsns(m)) {
            if (n.getOpcode() == MONITORENTER) {
                AbstractInsnNode constant = TestSupport.prevReal(n, 2);
                assertEquals(LDC, constant.getOpcode());
                assertTrue(TestSupport.intValue(constant) > Short.MAX_VALUE);
            }
        }
        TestSupport.verify(rewritten, new TestSupport.ByteClassLoader(Map.of(name, rewritten)));
        assertEquals(runUnstructured(TestSupport.load(Map.of(name, original), name)),
                runUnstructured(TestSupport.load(Map.of(name, rewritten), name)));
    }
}
