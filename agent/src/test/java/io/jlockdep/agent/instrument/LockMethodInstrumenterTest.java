package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.TestSupport.hook;
import static io.jlockdep.agent.instrument.TestSupport.hookCalls;
import static io.jlockdep.agent.instrument.TestSupport.jdkClassBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/** The running JDK's own lock classes, rewritten: bytes in, bytes out, verified. */
class LockMethodInstrumenterTest {

    @Test
    void reentrantLockChecksAndRecordsBeforeBlockingAndUndoesIfItThrows() {
        ClassNode c = instrumented(ReentrantLock.class);
        for (String name : new String[] {"lock", "lockInterruptibly"}) {
            MethodNode m = TestSupport.method(c, name, "()V");
            List<String> hooks = hookCalls(m);
            assertEquals(List.of("beforeLock", "lockFailed"), hooks, name);
            assertUndoHandlerIsLast(m, name);
            // beforeLock comes before the first call into the synchronizer, where the thread can block.
            assertTrue(indexOfHook(m, "beforeLock") < indexOfFirstNonHookCall(m), name);
        }
        assertEquals(List.of("afterTryLock"), hookCalls(TestSupport.method(c, "tryLock", "()Z")));
        assertReturnHooksGuarded(TestSupport.method(c, "tryLock", "()Z"), "tryLock");
        assertEquals(List.of("afterTryLock"),
                hookCalls(TestSupport.method(c, "tryLock", "(JLjava/util/concurrent/TimeUnit;)Z")));
        MethodNode unlock = TestSupport.method(c, "unlock", "()V");
        assertEquals(List.of("afterUnlock"), hookCalls(unlock));
        assertReleaseRecordedOnReturn(unlock, 0, "unlock");
        assertEquals(List.of(), hookCalls(TestSupport.method(c, "newCondition", "()Ljava/util/concurrent/locks/Condition;")));
    }

    @Test
    void readWriteViewsIdentifyTheirLockBySync() {
        for (Class<?> view : new Class<?>[] {ReentrantReadWriteLock.ReadLock.class, ReentrantReadWriteLock.WriteLock.class}) {
            ClassNode c = instrumented(view);
            MethodNode lock = TestSupport.method(c, "lock", "()V");
            AbstractInsnNode beforeLock = hook(lock, "beforeLock");
            AbstractInsnNode identity = TestSupport.prevReal(beforeLock, 4);
            assertEquals(Opcodes.GETFIELD, identity.getOpcode(), view.getName());
            assertEquals("sync", ((FieldInsnNode) identity).name);
            int mode = TestSupport.intValue(TestSupport.prevReal(beforeLock, 1));
            assertEquals(view == ReentrantReadWriteLock.ReadLock.class ? 1 : 0, mode, view.getName());
        }
    }

    @Test
    void reentrantLockIsIdentifiedByItsSynchronizer() {
        ClassNode c = instrumented(ReentrantLock.class);
        AbstractInsnNode identity = TestSupport.prevReal(hook(TestSupport.method(c, "lock", "()V"), "beforeLock"), 4);
        assertEquals(Opcodes.GETFIELD, identity.getOpcode());
        assertEquals("sync", ((FieldInsnNode) identity).name);
    }

    @Test
    void conditionsReleaseAndRetakeTheirSynchronizer() {
        for (Class<?> condition : new Class<?>[] {
            java.util.concurrent.locks.AbstractQueuedSynchronizer.ConditionObject.class,
            java.util.concurrent.locks.AbstractQueuedLongSynchronizer.ConditionObject.class}) {
            ClassNode c = instrumented(condition);
            // {method, descriptor, hook, hook descriptor, how the timeout is passed}
            String[][] waits = {
                {"await", "()V", "beforeWait", "(Ljava/lang/Object;J)V", "ldc -1"},
                {"awaitUninterruptibly", "()V", "beforeWait", "(Ljava/lang/Object;J)V", "ldc -1"},
                {"awaitNanos", "(J)J", "beforeWait", "(Ljava/lang/Object;J)V", "lload 1"},
                {"await", "(JLjava/util/concurrent/TimeUnit;)Z", "beforeWait",
                    "(Ljava/lang/Object;JLjava/util/concurrent/TimeUnit;)V", "lload 1, aload 3"},
                {"awaitUntil", "(Ljava/util/Date;)Z", "beforeWaitUntil", "(Ljava/lang/Object;Ljava/util/Date;)V",
                    "aload 1"}};
            for (String[] w : waits) {
                MethodNode m = TestSupport.method(c, w[0], w[1]);
                assertEquals(List.of(w[2]), hookCalls(m), w[0] + w[1]);
                MethodInsnNode call = (MethodInsnNode) hook(m, w[2]);
                assertEquals(w[3], call.desc, w[0] + w[1]);
                String[] arguments = w[4].split(", ");
                for (int i = 0; i < arguments.length; i++) {
                    assertEquals(arguments[arguments.length - 1 - i],
                            timeoutArgument(TestSupport.prevReal(call, i + 1)), w[0] + w[1]);
                }
                FieldInsnNode owner = (FieldInsnNode) TestSupport.prevReal(call, arguments.length + 1);
                assertEquals("this$0", owner.name);
                assertEquals(0, TestSupport.realInsns(m).indexOf(call) - arguments.length - 2,
                        "on entry, before anything can block");
            }
            for (String signal : new String[] {"signal", "signalAll"}) {
                assertEquals(List.of("beforeNotify"), hookCalls(TestSupport.method(c, signal, "()V")), signal);
            }
        }
    }

    /** How an instruction passes a wait's timeout: {@code ldc -1}, {@code lload 1}, {@code aload 3}. */
    private static String timeoutArgument(AbstractInsnNode insn) {
        if (insn instanceof LdcInsnNode) {
            return "ldc " + ((LdcInsnNode) insn).cst;
        }
        VarInsnNode load = (org.objectweb.asm.tree.VarInsnNode) insn;
        return (load.getOpcode() == Opcodes.LLOAD ? "lload " : "aload ") + load.var;
    }

    @Test
    void threadExitReportsTheEndOfAThread() {
        MethodNode exit = TestSupport.method(instrumented(Thread.class), "exit", "()V");
        assertTrue(TestSupport.isHook(TestSupport.realInsns(exit).get(0), "threadExit"));
    }

    @Test
    void otherClassesAreNotTouched() {
        assertNull(LockMethodInstrumenter.instrument(jdkClassBytes(String.class)));
        assertTrue(LockMethodInstrumenter.handles("java/util/concurrent/locks/ReentrantLock"));
        assertTrue(LockMethodInstrumenter.handles("java/util/concurrent/locks/StampedLock"));
        // The StampedLock views go through hooked StampedLock methods (see stampedLockViewsGoThroughHookedMethods).
        assertTrue(!LockMethodInstrumenter.handles("java/util/concurrent/locks/StampedLock$ReadLockView"));
        assertTrue(!LockMethodInstrumenter.handles("java/util/concurrent/locks/StampedLock$WriteLockView"));
        assertTrue(!LockMethodInstrumenter.handles("java/util/concurrent/locks/StampedLock$ReadWriteLockView"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // StampedLock

    private static final String STAMPED = "java/util/concurrent/locks/StampedLock";
    private static final String[] RELEASE_HOOKS = {"afterUnlock", "beforeUnlockStamp", "afterTryUnlock"};
    private static final String[] ACQUIRE_HOOKS = {"beforeLock", "afterTryLockStamp"};
    private static final String[] CONVERT_HOOKS = {"beforeConvert"};

    @Test
    void stampedLockBlockingAcquisitionsCheckOnEntryAndRecordBeforeEachReturn() {
        ClassNode c = instrumented(StampedLock.class);
        Map<String, Integer> modes = new LinkedHashMap<>();
        modes.put("writeLock", 0);
        modes.put("readLock", 1);
        modes.put("writeLockInterruptibly", 0);
        modes.put("readLockInterruptibly", 1);
        for (Map.Entry<String, Integer> e : modes.entrySet()) {
            String name = e.getKey();
            MethodNode m = TestSupport.method(c, name, "()J");
            List<String> hooks = hookCalls(m);
            assertEquals(List.of("beforeLock", "lockFailed"), hooks, name);
            assertUndoHandlerIsLast(m, name);
            assertTrue(TestSupport.count(m, Opcodes.LRETURN) >= 1, name);
            // beforeLock(this, this, STAMPED_LOCK, mode) is the entry code, before anything can block.
            AbstractInsnNode before = hook(m, "beforeLock");
            assertEquals(4, TestSupport.realInsns(m).indexOf(before), name);
            assertTrue(indexOfHook(m, "beforeLock") < indexOfFirstNonHookCall(m), name);
            assertEquals(e.getValue(), TestSupport.intValue(TestSupport.prevReal(before, 1)), name);
            assertEquals(3, TestSupport.intValue(TestSupport.prevReal(before, 2)), name);
            assertIsThis(TestSupport.prevReal(before, 3), name);
            assertIsThis(TestSupport.prevReal(before, 4), name);
            // The prologue shares the method's first line.
            assertEquals(TestSupport.firstLine(m), TestSupport.lineOf(before), name);
        }
    }

    @Test
    void stampedLockTryAcquisitionsReportTheirStamp() {
        ClassNode c = instrumented(StampedLock.class);
        String timed = "(JLjava/util/concurrent/TimeUnit;)J";
        String[][] methods = {{"tryWriteLock", "()J", "0"}, {"tryReadLock", "()J", "1"},
                {"tryWriteLock", timed, "0"}, {"tryReadLock", timed, "1"}};
        for (String[] spec : methods) {
            String label = spec[0].concat(spec[1]);
            MethodNode m = TestSupport.method(c, spec[0], spec[1]);
            List<String> hooks = hookCalls(m);
            assertTrue(!hooks.isEmpty(), label);
            for (String h : hooks) {
                assertEquals("afterTryLockStamp", h, label);
            }
            // each return, and the guard's handler, which returns the stamp without the hook
            assertEquals(TestSupport.count(m, Opcodes.LRETURN), hooks.size() + 1, label);
            for (AbstractInsnNode n : TestSupport.realInsns(m)) {
                if (TestSupport.isHook(n, "afterTryLockStamp")) {
                    assertEquals("(JLjava/lang/Object;I)V", ((MethodInsnNode) n).desc, label);
                    assertEquals(Integer.valueOf(spec[2]), TestSupport.intValue(TestSupport.prevReal(n, 1)), label);
                    assertIsThis(TestSupport.prevReal(n, 2), label);
                    assertEquals(Opcodes.LLOAD, TestSupport.prevReal(n, 3).getOpcode(), label);
                    assertEquals(Opcodes.LSTORE, TestSupport.prevReal(n, 4).getOpcode(), label);
                    assertEquals(Opcodes.LLOAD, TestSupport.nextReal(n, 1).getOpcode(), label);
                    assertEquals(Opcodes.LRETURN, TestSupport.nextReal(n, 2).getOpcode(), label);
                }
            }
            assertReturnHooksGuarded(m, label);
        }
    }

    @Test
    void stampedLockReleasesAndConversionsAreHooked() {
        ClassNode c = instrumented(StampedLock.class);
        String[][] releases = {{"unlockWrite", "(J)V", "0"}, {"unlockRead", "(J)V", "1"},
                {"unstampedUnlockWrite", "()V", "0"}, {"unstampedUnlockRead", "()V", "1"}};
        for (String[] spec : releases) {
            String label = spec[0];
            MethodNode m = TestSupport.method(c, spec[0], spec[1]);
            assertEquals(TestSupport.count(m, Opcodes.RETURN) - 1, TestSupport.countHooks(m, "afterUnlock"), label);
            assertReleaseRecordedOnReturn(m, Integer.parseInt(spec[2]), label);
            AbstractInsnNode n = hook(m, "afterUnlock");
            assertIsThis(TestSupport.prevReal(n, 2), label);
        }
        String[][] tryReleases = {{"tryUnlockWrite", "0"}, {"tryUnlockRead", "1"}};
        for (String[] spec : tryReleases) {
            String label = spec[0];
            MethodNode m = TestSupport.method(c, spec[0], "()Z");
            List<String> hooks = hookCalls(m);
            assertTrue(!hooks.isEmpty(), label);
            for (String h : hooks) {
                assertEquals("afterTryUnlock", h, label);
            }
            assertEquals(TestSupport.count(m, Opcodes.IRETURN), hooks.size() + 1, label);
            for (AbstractInsnNode n : TestSupport.realInsns(m)) {
                if (TestSupport.isHook(n, "afterTryUnlock")) {
                    assertEquals(Integer.valueOf(spec[1]), TestSupport.intValue(TestSupport.prevReal(n, 1)), label);
                    assertIsThis(TestSupport.prevReal(n, 2), label);
                    assertEquals(Opcodes.ILOAD, TestSupport.prevReal(n, 3).getOpcode(), label);
                    assertEquals(Opcodes.ILOAD, TestSupport.nextReal(n, 1).getOpcode(), label);
                    assertEquals(Opcodes.IRETURN, TestSupport.nextReal(n, 2).getOpcode(), label);
                }
            }
            assertReturnHooksGuarded(m, label);
        }
        for (String name : new String[] {"tryConvertToWriteLock", "tryConvertToReadLock", "tryConvertToOptimisticRead"}) {
            MethodNode m = TestSupport.method(c, name, "(J)J");
            List<String> hooks = hookCalls(m);
            assertEquals("beforeConvert", hooks.get(0), name);
            AbstractInsnNode entry = hook(m, "beforeConvert");
            assertEquals(2, TestSupport.realInsns(m).indexOf(entry), name);
            assertEquals(Opcodes.LLOAD, TestSupport.prevReal(entry, 1).getOpcode(), name);
            assertEquals(1, ((VarInsnNode) TestSupport.prevReal(entry, 1)).var, name);
            assertIsThis(TestSupport.prevReal(entry, 2), name);
            assertEquals(1, TestSupport.countHooks(m, "beforeConvert"), name);
            assertEquals(hooks.size() - 1, TestSupport.countHooks(m, "afterConvert"), name);
            assertEquals(TestSupport.count(m, Opcodes.LRETURN), TestSupport.countHooks(m, "afterConvert") + 1, name);
            for (AbstractInsnNode n : TestSupport.realInsns(m)) {
                if (TestSupport.isHook(n, "afterConvert")) {
                    assertIsThis(TestSupport.prevReal(n, 1), name);
                    assertEquals(Opcodes.LLOAD, TestSupport.prevReal(n, 2).getOpcode(), name);
                    assertEquals(Opcodes.LLOAD, TestSupport.nextReal(n, 1).getOpcode(), name);
                    assertEquals(Opcodes.LRETURN, TestSupport.nextReal(n, 2).getOpcode(), name);
                }
            }
            assertReturnHooksGuarded(m, name);
        }
        // Nothing else of StampedLock reports (tryOptimisticRead, validate, the as*Lock factories, the internals).
        Set<String> hooked = new HashSet<>(List.of("writeLock()J", "readLock()J", "writeLockInterruptibly()J",
                "readLockInterruptibly()J", "tryWriteLock()J", "tryReadLock()J",
                "tryWriteLock(JLjava/util/concurrent/TimeUnit;)J", "tryReadLock(JLjava/util/concurrent/TimeUnit;)J",
                "unlockWrite(J)V", "unlockRead(J)V", "unlock(J)V", "tryUnlockWrite()Z", "tryUnlockRead()Z",
                "unstampedUnlockWrite()V", "unstampedUnlockRead()V", "tryConvertToWriteLock(J)J",
                "tryConvertToReadLock(J)J", "tryConvertToOptimisticRead(J)J"));
        for (MethodNode m : c.methods) {
            if (!hooked.contains(m.name.concat(m.desc)) && !m.name.equals("<init>")) {
                assertEquals(List.of(), hookCalls(m), m.name.concat(m.desc));
            }
        }
    }

    /**
     * The lock types' constructors report the object before each return, so that a subclass instance (whose
     * {@code new} the rewriter could not recognise) is classed by the site that called its constructor.
     */
    @Test
    void lockConstructorsReportTheObject() {
        for (Class<?> type : List.of(ReentrantLock.class, java.util.concurrent.locks.ReentrantReadWriteLock.class,
                StampedLock.class)) {
            ClassNode c = instrumented(type);
            int constructors = 0;
            for (MethodNode m : c.methods) {
                if (!m.name.equals("<init>")) {
                    continue;
                }
                constructors++;
                String label = type.getSimpleName() + m.desc;
                assertEquals(TestSupport.count(m, Opcodes.RETURN), TestSupport.countHooks(m, "constructed"), label);
                for (AbstractInsnNode n : TestSupport.realInsns(m)) {
                    if (TestSupport.isHook(n, "constructed")) {
                        assertIsThis(TestSupport.prevReal(n, 1), label);
                        assertEquals(Opcodes.RETURN, TestSupport.nextReal(n, 1).getOpcode(), label);
                    }
                }
                assertEquals(List.of("constructed"), new java.util.ArrayList<>(new java.util.LinkedHashSet<>(
                        hookCalls(m))), label);
            }
            assertTrue(constructors >= 1, type.getName());
        }
    }

    /** unlock(long) reports itself only when it does not delegate to unlockWrite/unlockRead (it does on 17 and 25). */
    @Test
    void stampedUnlockIsHookedOnlyWhenItDoesNotDelegate() {
        ClassNode original = TestSupport.tree(jdkClassBytes(StampedLock.class));
        ClassNode c = instrumented(StampedLock.class);
        List<String> originalCallees = sameClassCallees(original, TestSupport.method(original, "unlock", "(J)V"));
        boolean delegates = originalCallees.contains("unlockWrite(J)V") || originalCallees.contains("unlockRead(J)V");
        MethodNode unlock = TestSupport.method(c, "unlock", "(J)V");
        if (delegates) {
            assertEquals(List.of(), hookCalls(unlock));
        } else {
            assertEquals(List.of("beforeUnlockStamp"), hookCalls(unlock));
            AbstractInsnNode n = hook(unlock, "beforeUnlockStamp");
            assertEquals(Opcodes.LLOAD, TestSupport.prevReal(n, 1).getOpcode());
            assertIsThis(TestSupport.prevReal(n, 2));
        }
        // Either way, every path through unlock(long) reports exactly one release.
        assertEquals(1, minEvents(c, "unlock(J)V", RELEASE_HOOKS));
        assertEquals(1, maxEvents(c, "unlock(J)V", RELEASE_HOOKS, new HashSet<String>()));
    }

    /** Along any chain of calls inside StampedLock, an operation is reported at most once. */
    @Test
    void stampedLockReportsNoOperationTwiceAlongADelegationPath() {
        ClassNode c = instrumented(StampedLock.class);
        for (MethodNode m : c.methods) {
            String key = m.name.concat(m.desc);
            assertTrue(maxEvents(c, key, RELEASE_HOOKS, new HashSet<String>()) <= 1, key);
            assertTrue(maxEvents(c, key, ACQUIRE_HOOKS, new HashSet<String>()) <= 1, key);
            assertTrue(maxEvents(c, key, CONVERT_HOOKS, new HashSet<String>()) <= 1, key);
        }
        for (String release : new String[] {"unlockWrite(J)V", "unlockRead(J)V", "unlock(J)V", "unstampedUnlockWrite()V",
                "unstampedUnlockRead()V"}) {
            assertEquals(1, maxEvents(c, release, RELEASE_HOOKS, new HashSet<String>()), release);
        }
        for (String acquire : new String[] {"writeLock()J", "readLock()J", "writeLockInterruptibly()J",
                "readLockInterruptibly()J", "tryWriteLock()J", "tryReadLock()J"}) {
            assertEquals(1, maxEvents(c, acquire, ACQUIRE_HOOKS, new HashSet<String>()), acquire);
        }
    }

    /** asReadLock()/asWriteLock(): every Lock method calls exactly one StampedLock method, which reports. */
    @Test
    void stampedLockViewsGoThroughHookedMethods() {
        ClassNode lock = instrumented(StampedLock.class);
        String timed = "(JLjava/util/concurrent/TimeUnit;)Z";
        Object[][] views = {{"java/util/concurrent/locks/StampedLock$ReadLockView", 1},
                {"java/util/concurrent/locks/StampedLock$WriteLockView", 0}};
        for (Object[] v : views) {
            String viewName = (String) v[0];
            int mode = (Integer) v[1];
            ClassNode view = TestSupport.tree(jdkClassBytes(viewName));
            String[][] expected = {{"lock", "()V", "beforeLock"}, {"lockInterruptibly", "()V", "beforeLock"},
                    {"tryLock", "()Z", "afterTryLockStamp"}, {"tryLock", timed, "afterTryLockStamp"},
                    {"unlock", "()V", "afterUnlock"}};
            for (String[] spec : expected) {
                String label = viewName.concat(".").concat(spec[0]).concat(spec[1]);
                MethodNode m = TestSupport.method(view, spec[0], spec[1]);
                List<MethodInsnNode> calls = new ArrayList<>();
                for (AbstractInsnNode n : TestSupport.realInsns(m)) {
                    if (n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.equals(STAMPED)) {
                        calls.add((MethodInsnNode) n);
                    }
                }
                assertEquals(1, calls.size(), label);
                MethodNode target = TestSupport.method(lock, calls.get(0).name, calls.get(0).desc);
                AbstractInsnNode h = hook(target, spec[2]);
                assertEquals(Integer.valueOf(mode), TestSupport.intValue(TestSupport.prevReal(h, 1)), label);
            }
        }
    }

    /**
     * The delegation rule is read from the method bodies: a synthetic class named like StampedLock whose unlock(long)
     * does not delegate gets beforeUnlockStamp; a method reaching another target through a helper is left alone.
     */
    @Test
    void delegationIsDecidedFromTheMethodBodies() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, STAMPED, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "unlock", "(J)V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "writeLock", "()J", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.LCONST_1);
        mv.visitInsn(Opcodes.LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        // writeLockInterruptibly() -> helper() -> writeLock()
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "writeLockInterruptibly", "()J", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, STAMPED, "helper", "()J", false);
        mv.visitInsn(Opcodes.LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(Opcodes.ACC_PRIVATE, "helper", "()J", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, STAMPED, "writeLock", "()J", false);
        mv.visitInsn(Opcodes.LRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        // unlockRead(long) -> unlockRead(long): recursion into itself is no delegation.
        mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "unlockRead", "(J)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.LLOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, STAMPED, "unlockRead", "(J)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        ClassNode c = TestSupport.tree(LockMethodInstrumenter.instrument(cw.toByteArray()));
        MethodNode unlock = TestSupport.method(c, "unlock", "(J)V");
        assertEquals(List.of("beforeUnlockStamp"), hookCalls(unlock));
        AbstractInsnNode n = hook(unlock, "beforeUnlockStamp");
        assertEquals(Opcodes.LLOAD, TestSupport.prevReal(n, 1).getOpcode());
        assertIsThis(TestSupport.prevReal(n, 2));
        assertEquals(List.of("beforeLock", "lockFailed"), hookCalls(TestSupport.method(c, "writeLock", "()J")));
        assertEquals(List.of(), hookCalls(TestSupport.method(c, "writeLockInterruptibly", "()J")));
        assertEquals(List.of(), hookCalls(TestSupport.method(c, "helper", "()J")));
        assertEquals(List.of("afterUnlock"), hookCalls(TestSupport.method(c, "unlockRead", "(J)V")));
    }

    private static void assertIsThis(AbstractInsnNode n) {
        assertIsThis(n, "");
    }

    /**
     * The handler that undoes the record covers the whole original body and comes after the method's own handlers,
     * so it only sees exceptions the method lets out.
     */
    private static void assertUndoHandlerIsLast(MethodNode m, String name) {
        org.objectweb.asm.tree.TryCatchBlockNode last = m.tryCatchBlocks.get(m.tryCatchBlocks.size() - 1);
        assertEquals(null, last.type, name);
        String undo = "lockFailed";
        AbstractInsnNode stored = TestSupport.nextReal(last.handler, 1);
        assertEquals(Opcodes.ASTORE, stored.getOpcode(), "the Throwable kept in a local in " + name);
        AbstractInsnNode call = TestSupport.nextReal(stored, 1);
        while (call != null && !TestSupport.isHook(call, undo)) {
            assertEquals(-1, List.of(Opcodes.ATHROW, Opcodes.RETURN, Opcodes.LRETURN).indexOf(call.getOpcode()), name);
            call = TestSupport.nextReal(call, 1);
        }
        assertTrue(call != null, undo + " in the handler of " + name);
        AbstractInsnNode rethrown = TestSupport.nextReal(call, 1);
        assertEquals(Opcodes.ALOAD, rethrown.getOpcode(), name);
        assertEquals(((VarInsnNode) stored).var, ((VarInsnNode) rethrown).var, name);
        assertEquals(Opcodes.ATHROW, TestSupport.nextReal(call, 2).getOpcode(), name);
        // The range starts right after the entry hook and ends at the handler.
        assertTrue(m.instructions.indexOf(last.start) > indexOfHook(m, "beforeLock"), name);
        assertTrue(TestSupport.nextReal(last.end, 1) == TestSupport.nextReal(last.handler, 1), name);
        // The undo's own hook call is guarded: if even the call overflows, the method's Throwable is rethrown.
        org.objectweb.asm.tree.TryCatchBlockNode guard = guardOf(m, call, name);
        assertEquals(Opcodes.POP, TestSupport.nextReal(guard.handler, 1).getOpcode(), name);
        assertEquals(((VarInsnNode) stored).var, ((VarInsnNode) TestSupport.nextReal(guard.handler, 2)).var, name);
        assertEquals(Opcodes.ATHROW, TestSupport.nextReal(guard.handler, 3).getOpcode(), name);
    }

    /**
     * A release is recorded when it has happened: {@code afterUnlock(identity, mode)} before each return, guarded, and
     * no hook on entry, so an unlock that throws (a thread that does not hold the lock, a stack overflow inside it)
     * leaves the record of a lock the thread still holds.
     */
    private static void assertReleaseRecordedOnReturn(MethodNode m, int mode, String name) {
        assertTrue(TestSupport.countHooks(m, "afterUnlock") >= 1, name);
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            if (TestSupport.isHook(n, "afterUnlock")) {
                assertEquals(Integer.valueOf(mode), TestSupport.intValue(TestSupport.prevReal(n, 1)), name);
                assertEquals(Opcodes.RETURN, TestSupport.nextReal(n, 1).getOpcode(), name);
            }
        }
        assertReturnHooksGuarded(m, name);
    }

    /**
     * Each hook call before a return (the lock is taken, or released, already) is guarded: if the call throws, the
     * guard's handler drops the Throwable and returns what the method was about to return.
     */
    private static void assertReturnHooksGuarded(MethodNode m, String name) {
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            AbstractInsnNode after = TestSupport.nextReal(n, 1);
            boolean beforeReturn = n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.equals(TestSupport.HOOKS)
                    && after != null && (isReturn(after) || (after instanceof VarInsnNode
                    && isReturn(TestSupport.nextReal(after, 1))));
            if (!beforeReturn) {
                continue;
            }
            org.objectweb.asm.tree.TryCatchBlockNode guard = guardOf(m, n, name);
            AbstractInsnNode handler = TestSupport.nextReal(guard.handler, 1);
            assertEquals(Opcodes.POP, handler.getOpcode(), name);
            AbstractInsnNode last = TestSupport.nextReal(handler, 1);
            if (!isReturn(last)) {
                assertTrue(last instanceof VarInsnNode, "the value loaded back in " + name);
                last = TestSupport.nextReal(last, 1);
            }
            assertTrue(isReturn(last), "the guard's handler returns in " + name);
        }
    }

    private static boolean isReturn(AbstractInsnNode n) {
        return n != null && n.getOpcode() >= Opcodes.IRETURN && n.getOpcode() <= Opcodes.RETURN;
    }

    /** The catch-all whose range is exactly this call, ahead of every other handler that covers it. */
    private static org.objectweb.asm.tree.TryCatchBlockNode guardOf(MethodNode m, AbstractInsnNode call,
                                                                     String name) {
        int at = m.instructions.indexOf(call);
        for (org.objectweb.asm.tree.TryCatchBlockNode t : m.tryCatchBlocks) {
            if (m.instructions.indexOf(t.start) <= at && at < m.instructions.indexOf(t.end)) {
                assertEquals(null, t.type, name);
                assertEquals(call, TestSupport.nextReal(t.start, 1), "the guard covers the call alone in " + name);
                assertEquals(TestSupport.nextReal(call, 1), TestSupport.nextReal(t.end, 1), name);
                return t;
            }
        }
        throw new AssertionError("no guard over " + ((MethodInsnNode) call).name + " in " + name);
    }

    @Test
    void withWaitsTrackedABlockingAcquisitionMarksItsEndBeforeEachReturn() {
        byte[] stamped = TestSupport.jdkClassBytes(StampedLock.class);
        ClassNode c = TestSupport.tree(LockMethodInstrumenter.instrument(stamped, true, true));
        // With lock statistics the slow paths say they are contended, and the operations stay rewritten.
        assertEquals(List.of("contended"), hookCalls(TestSupport.method(c, "acquireWrite", "(ZZJ)J")));
        assertEquals(List.of("contended"), hookCalls(TestSupport.method(c, "acquireRead", "(ZZJ)J")));
        for (String name : new String[] {"writeLock", "readLock"}) {
            MethodNode m = TestSupport.method(c, name, "()J");
            assertEquals(TestSupport.count(m, Opcodes.LRETURN), TestSupport.countHooks(m, "afterLock") + 1, name);
            for (AbstractInsnNode n : TestSupport.realInsns(m)) {
                if (TestSupport.isHook(n, "afterLock")) {
                    assertEquals(Opcodes.LLOAD, TestSupport.nextReal(n, 1).getOpcode(), name);
                    assertEquals(Opcodes.LRETURN, TestSupport.nextReal(n, 2).getOpcode(), name);
                }
            }
            assertReturnHooksGuarded(m, name);
        }
        TestSupport.verify(LockMethodInstrumenter.instrument(stamped, true, true), ClassLoader.getSystemClassLoader());
        byte[] aqs = TestSupport.jdkClassBytes(java.util.concurrent.locks.AbstractQueuedSynchronizer.class);
        assertEquals(null, LockMethodInstrumenter.instrument(aqs, true, false), "nothing to do without lock statistics");
        ClassNode slowPath = TestSupport.tree(LockMethodInstrumenter.instrument(aqs, false, true));
        assertEquals(List.of("contended"), hookCalls(TestSupport.method(slowPath, "acquire",
                "(Ljava/util/concurrent/locks/AbstractQueuedSynchronizer$Node;IZZZJ)I")));
        byte[] aqls = TestSupport.jdkClassBytes(java.util.concurrent.locks.AbstractQueuedLongSynchronizer.class);
        ClassNode longSlowPath = TestSupport.tree(LockMethodInstrumenter.instrument(aqls, false, true));
        assertEquals(List.of("contended"), hookCalls(TestSupport.method(longSlowPath, "acquire",
                "(Ljava/util/concurrent/locks/AbstractQueuedLongSynchronizer$Node;JZZZJ)I")));
    }

    private static void assertIsThis(AbstractInsnNode n, String label) {
        assertEquals(Opcodes.ALOAD, n.getOpcode(), label);
        assertEquals(0, ((VarInsnNode) n).var, label);
    }

    /** name+descriptor of the methods of the same class that {@code m} calls. */
    private static List<String> sameClassCallees(ClassNode c, MethodNode m) {
        List<String> out = new ArrayList<>();
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            if (n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.equals(c.name)) {
                out.add(((MethodInsnNode) n).name.concat(((MethodInsnNode) n).desc));
            }
        }
        return out;
    }

    private static boolean hasAnyHook(MethodNode m, String[] hookNames) {
        for (String h : hookNames) {
            if (TestSupport.countHooks(m, h) > 0) {
                return true;
            }
        }
        return false;
    }

    private static MethodNode byKey(ClassNode c, String key) {
        for (MethodNode m : c.methods) {
            if (m.name.concat(m.desc).equals(key)) {
                return m;
            }
        }
        return null;
    }

    /** The most methods reporting one of {@code hookNames} along one chain of same-class calls from {@code key}. */
    private static int maxEvents(ClassNode c, String key, String[] hookNames, Set<String> onPath) {
        MethodNode m = byKey(c, key);
        if (m == null || !onPath.add(key)) {
            return 0;
        }
        int deepest = 0;
        for (String callee : sameClassCallees(c, m)) {
            deepest = Math.max(deepest, maxEvents(c, callee, hookNames, onPath));
        }
        onPath.remove(key);
        return deepest + (hasAnyHook(m, hookNames) ? 1 : 0);
    }

    /** The fewest methods reporting one of {@code hookNames} along any chain of same-class calls from {@code key}. */
    private static int minEvents(ClassNode c, String key, String[] hookNames) {
        MethodNode m = byKey(c, key);
        if (hasAnyHook(m, hookNames)) {
            return 1;
        }
        List<String> callees = sameClassCallees(c, m);
        int fewest = Integer.MAX_VALUE;
        for (String callee : callees) {
            fewest = Math.min(fewest, minEvents(c, callee, hookNames));
        }
        return callees.isEmpty() ? 0 : fewest;
    }

    private static ClassNode instrumented(Class<?> lockClass) {
        byte[] rewritten = LockMethodInstrumenter.instrument(jdkClassBytes(lockClass));
        TestSupport.verify(rewritten, ClassLoader.getSystemClassLoader());
        return TestSupport.tree(rewritten);
    }

    private static int indexOfHook(MethodNode m, String name) {
        return TestSupport.realInsns(m).indexOf(hook(m, name));
    }

    private static int indexOfFirstNonHookCall(MethodNode m) {
        List<AbstractInsnNode> insns = TestSupport.realInsns(m);
        for (int i = 0; i < insns.size(); i++) {
            AbstractInsnNode n = insns.get(i);
            if (n instanceof MethodInsnNode && !((MethodInsnNode) n).owner.equals(TestSupport.HOOKS)) {
                return i;
            }
        }
        return insns.size();
    }
}
