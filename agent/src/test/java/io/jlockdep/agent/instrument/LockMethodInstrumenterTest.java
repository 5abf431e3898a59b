package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** The running JDK's own lock classes, rewritten: bytes in, bytes out, verified. */
class LockMethodInstrumenterTest {

    @Test
    void reentrantLockChecksBeforeBlockingAndRecordsAfterReturning() {
        ClassNode c = instrumented(ReentrantLock.class);
        for (String name : new String[] {"lock", "lockInterruptibly"}) {
            MethodNode m = TestSupport.method(c, name, "()V");
            List<String> hooks = hookCalls(m);
            assertEquals("beforeLock", hooks.get(0), name);
            assertEquals("afterLock", hooks.get(hooks.size() - 1), name);
            // beforeLock comes before the first call into the synchronizer, where the thread can block.
            assertTrue(indexOfHook(m, "beforeLock") < indexOfFirstNonHookCall(m), name);
        }
        assertEquals(List.of("afterTryLock"), hookCalls(TestSupport.method(c, "tryLock", "()Z")));
        assertEquals(List.of("afterTryLock"),
                hookCalls(TestSupport.method(c, "tryLock", "(JLjava/util/concurrent/TimeUnit;)Z")));
        assertEquals(List.of("beforeUnlock"), hookCalls(TestSupport.method(c, "unlock", "()V")));
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
    void otherClassesAreNotTouched() {
        assertNull(LockMethodInstrumenter.instrument(jdkClassBytes(String.class)));
        assertTrue(LockMethodInstrumenter.handles("java/util/concurrent/locks/ReentrantLock"));
        assertTrue(!LockMethodInstrumenter.handles("java/util/concurrent/locks/StampedLock"));
    }

    private static ClassNode instrumented(Class<?> lockClass) {
        byte[] rewritten = LockMethodInstrumenter.instrument(jdkClassBytes(lockClass));
        TestSupport.verify(rewritten, ClassLoader.getSystemClassLoader());
        return TestSupport.tree(rewritten);
    }

    private static byte[] jdkClassBytes(Class<?> c) {
        try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> hookCalls(MethodNode m) {
        List<String> names = new ArrayList<>();
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            if (n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.equals(TestSupport.HOOKS)) {
                names.add(((MethodInsnNode) n).name);
            }
        }
        return names;
    }

    private static AbstractInsnNode hook(MethodNode m, String name) {
        for (AbstractInsnNode n : TestSupport.realInsns(m)) {
            if (TestSupport.isHook(n, name)) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + m.name);
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
