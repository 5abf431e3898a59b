package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.TestSupport.jdkClassBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.Hooks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/** The running JDK's classes behind waits that are not locks, rewritten: bytes in, bytes out, verified. */
class WaitMethodInstrumenterTest {

    @Test
    void everyTargetClassOfThisJdkIsRewrittenAndVerifies() {
        int rewritten = 0;
        for (String internalName : WaitMethodInstrumenter.targetClasses()) {
            String name = internalName.replace('/', '.');
            if (ClassLoader.getSystemResource(internalName + ".class") == null) {
                continue; // java.lang.VirtualThread before JDK 21
            }
            byte[] out = WaitMethodInstrumenter.instrument(jdkClassBytes(internalName));
            assertNotNull(out, name);
            TestSupport.verify(out, ClassLoader.getSystemClassLoader());
            rewritten++;
        }
        assertTrue(rewritten >= 14, "rewritten: " + rewritten);
        assertNull(WaitMethodInstrumenter.instrument(jdkClassBytes(String.class)));
        assertTrue(WaitMethodInstrumenter.handles("java/util/concurrent/FutureTask"));
    }

    @Test
    void aWaitReportsOnEntryAndOnEveryWayOut() {
        ClassNode c = instrumented(FutureTask.class);
        MethodNode get = TestSupport.method(c, "get", "()Ljava/lang/Object;");
        AbstractInsnNode first = TestSupport.realInsns(get).get(5);
        assertTrue(TestSupport.isHook(first, "beforeEventWait"), "the entry code, before anything can block");
        assertEquals(EventType.CODE_TASK, TestSupport.intValue(TestSupport.prevReal(first, 4)));
        assertEquals(Opcodes.ACONST_NULL, TestSupport.prevReal(first, 1).getOpcode(), "no time limit");
        assertEquals(TestSupport.count(get, Opcodes.ARETURN), TestSupport.countHooks(get, "afterEventWait"),
                "before each return but the guard's (one more return, no hook), and in the handler");
        assertExitHandlerIsLast(get, "afterEventWait");
        assertTrue(TestSupport.firstLine(get) > 0, "the entry code has the method's first line");

        MethodNode timed = TestSupport.method(c, "get", "(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;");
        AbstractInsnNode call = TestSupport.hook(timed, "beforeEventWait");
        assertEquals(3, ((VarInsnNode) TestSupport.prevReal(call, 1)).var, "the unit");
        assertEquals(1, ((VarInsnNode) TestSupport.prevReal(call, 2)).var, "the timeout");
    }

    @Test
    void aTaskReportsItsCreationItsRunAndItsResult() {
        ClassNode c = instrumented(FutureTask.class);
        for (String init : new String[] {"(Ljava/util/concurrent/Callable;)V", "(Ljava/lang/Runnable;Ljava/lang/Object;)V"}) {
            MethodNode m = TestSupport.method(c, "<init>", init);
            AbstractInsnNode created = TestSupport.hook(m, "taskCreated");
            assertEquals(Opcodes.RETURN, TestSupport.nextReal(created, 1).getOpcode(), "before the return");
            assertEquals(1, ((VarInsnNode) TestSupport.prevReal(created, 1)).var, "the body");
        }
        MethodNode run = TestSupport.method(c, "run", "()V");
        assertTrue(TestSupport.isHook(TestSupport.realInsns(run).get(1), "taskBegin"));
        assertExitHandlerIsLast(run, "taskEnd");
        assertEquals(List.of("taskDone"), TestSupport.hookCalls(TestSupport.method(c, "set", "(Ljava/lang/Object;)V")));

        ClassNode async = TestSupport.tree(instrument("java/util/concurrent/CompletableFuture$AsyncSupply"));
        MethodNode init = TestSupport.method(async, "<init>",
                "(Ljava/util/concurrent/CompletableFuture;Ljava/util/function/Supplier;)V");
        AbstractInsnNode created = TestSupport.hook(init, "taskCreated");
        assertEquals(2, ((VarInsnNode) TestSupport.prevReal(created, 1)).var, "the supplier");
        assertEquals(1, ((VarInsnNode) TestSupport.prevReal(created, 2)).var, "the future it completes");
    }

    @Test
    void synchronizersReportTheirWaitsAndEvents() {
        ClassNode latch = instrumented(CountDownLatch.class);
        assertEquals(List.of("eventProduced"), TestSupport.hookCalls(TestSupport.method(latch, "countDown", "()V")));
        assertEquals(EventType.CODE_LATCH, TestSupport.intValue(TestSupport.prevReal(
                TestSupport.hook(TestSupport.method(latch, "countDown", "()V"), "eventProduced"), 1)));

        ClassNode semaphore = instrumented(Semaphore.class);
        AbstractInsnNode acquire = TestSupport.hook(TestSupport.method(semaphore, "acquire", "(I)V"), "beforeEventWait");
        assertEquals(Opcodes.ILOAD, TestSupport.prevReal(acquire, 3).getOpcode(), "the permits asked for");

        ClassNode completable = instrumented(CompletableFuture.class);
        assertEquals(List.of("eventProduced"),
                TestSupport.hookCalls(TestSupport.method(completable, "complete", "(Ljava/lang/Object;)Z")));
        assertEquals(List.of("beforeEventWait", "afterEventWait", "afterEventWait"),
                TestSupport.hookCalls(TestSupport.method(completable, "join", "()Ljava/lang/Object;")));
    }

    @Test
    void aQueuesTakeFreesRoomThenWaitsForAnElement() {
        for (Class<?> queue : new Class<?>[] {LinkedBlockingQueue.class, LinkedBlockingDeque.class}) {
            ClassNode c = instrumented(queue);
            MethodNode take = TestSupport.method(c, "take", "()Ljava/lang/Object;");
            List<String> hooks = TestSupport.hookCalls(take);
            assertEquals("eventProduced", hooks.get(0), queue.getName());
            assertEquals("beforeEventWait", hooks.get(1), queue.getName());
            assertEquals(EventType.CODE_QUEUE_SPACE,
                    TestSupport.intValue(TestSupport.prevReal(TestSupport.hook(take, "eventProduced"), 1)));
            assertEquals(EventType.CODE_QUEUE_ELEMENT,
                    TestSupport.intValue(TestSupport.prevReal(TestSupport.hook(take, "beforeEventWait"), 4)));
            MethodNode put = TestSupport.method(c, "put", "(Ljava/lang/Object;)V");
            assertEquals(EventType.CODE_QUEUE_ELEMENT,
                    TestSupport.intValue(TestSupport.prevReal(TestSupport.hook(put, "eventProduced"), 1)));
        }
    }

    @Test
    void threadsReportTheirTaskAndTheirJoins() {
        ClassNode c = instrumented(Thread.class);
        int constructors = 0;
        for (MethodNode m : c.methods) {
            if (m.name.equals("<init>") && m.desc.contains("Ljava/lang/Runnable;")) {
                assertTrue(TestSupport.countHooks(m, "taskCreated") >= 1, m.desc);
                constructors++;
            }
        }
        assertTrue(constructors >= 3, "constructors taking a task: " + constructors);
        MethodNode join = TestSupport.method(c, "join", "(J)V");
        AbstractInsnNode call = TestSupport.hook(join, "beforeEventWait");
        assertEquals(Opcodes.LLOAD, TestSupport.prevReal(call, 2).getOpcode(), "the millis");
        assertEquals(EventType.CODE_THREAD_END, TestSupport.intValue(TestSupport.prevReal(call, 4)));
        assertExitHandlerIsLast(join, "afterEventWait");
    }

    @Test
    void poolsReportTheirCreationTheirTasksAndTheirWorkers() {
        ClassNode c = instrumented(ThreadPoolExecutor.class);
        for (MethodNode m : c.methods) {
            if (m.name.equals("<init>")) {
                assertEquals(1, TestSupport.countHooks(m, "poolCreated"), m.desc);
            }
        }
        assertEquals(List.of("taskSubmitted"),
                TestSupport.hookCalls(TestSupport.method(c, "execute", "(Ljava/lang/Runnable;)V")));
        MethodNode runWorker = TestSupport.method(c, "runWorker", "(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V");
        assertEquals("workerBegin", TestSupport.hookCalls(runWorker).get(0));
        assertExitHandlerIsLast(runWorker, "workerEnd");
        MethodNode getTask = TestSupport.method(c, "getTask", "()Ljava/lang/Runnable;");
        assertEquals("beforeEventWait", TestSupport.hookCalls(getTask).get(0), "a worker waits for its next task");
        assertExitHandlerIsLast(getTask, "afterEventWait");
    }

    @Test
    void aCompletionServiceReportsItsQueue() {
        ClassNode c = instrumented(ExecutorCompletionService.class);
        int constructors = 0;
        for (MethodNode m : c.methods) {
            if (m.name.equals("<init>")) {
                AbstractInsnNode created = TestSupport.hook(m, "completionServiceCreated");
                FieldInsnNode queue = (FieldInsnNode) TestSupport.prevReal(created, 1);
                assertEquals("completionQueue", queue.name, m.desc);
                assertEquals(Opcodes.RETURN, TestSupport.nextReal(created, 1).getOpcode(), "before the return");
                constructors++;
            }
        }
        assertEquals(2, constructors);
    }

    private static byte[] instrument(String internalName) {
        byte[] out = WaitMethodInstrumenter.instrument(jdkClassBytes(internalName));
        TestSupport.verify(out, ClassLoader.getSystemClassLoader());
        return out;
    }

    private static ClassNode instrumented(Class<?> c) {
        return TestSupport.tree(instrument(c.getName().replace('.', '/')));
    }

    /** The catch-all handler that reports the way out is the last entry of the exception table, and rethrows. */
    private static void assertExitHandlerIsLast(MethodNode m, String exitHook) {
        TryCatchBlockNode last = m.tryCatchBlocks.get(m.tryCatchBlocks.size() - 1);
        assertNull(last.type, m.name);
        AbstractInsnNode handlerCode = TestSupport.nextReal(last.handler, 1);
        while (!(handlerCode instanceof MethodInsnNode)) {
            handlerCode = TestSupport.nextReal(handlerCode, 1);
        }
        assertTrue(TestSupport.isHook(handlerCode, exitHook), m.name);
        assertEquals(Opcodes.ALOAD, TestSupport.nextReal(handlerCode, 1).getOpcode(), m.name);
        assertEquals(Opcodes.ATHROW, TestSupport.nextReal(handlerCode, 2).getOpcode(), m.name);
    }

    /**
     * A hook call after the work is done (before a return, in the catch-all handler) is guarded: if even the call
     * overflows the stack, a handler first in the exception table returns the method's value (rethrows its Throwable).
     */
    @Test
    void theHookCallsAfterTheWorkAreGuarded() {
        ClassNode c = instrumented(FutureTask.class);
        for (MethodNode m : new MethodNode[] {TestSupport.method(c, "get", "()Ljava/lang/Object;"),
            TestSupport.method(c, "run", "()V"),
            TestSupport.method(c, "<init>", "(Ljava/util/concurrent/Callable;)V")}) {
            List<MethodInsnNode> exits = new ArrayList<>();
            for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (TestSupport.isHook(insn, "afterEventWait") || TestSupport.isHook(insn, "taskEnd")
                        || TestSupport.isHook(insn, "taskCreated")) {
                    exits.add((MethodInsnNode) insn);
                }
            }
            assertTrue(!exits.isEmpty(), m.name);
            for (MethodInsnNode call : exits) {
                TryCatchBlockNode guard = firstCovering(m, call);
                assertNull(guard.type, m.name);
                assertEquals(call, TestSupport.nextReal(guard.start, 1), m.name + ": the guard covers the call alone");
                assertEquals(Opcodes.POP, TestSupport.nextReal(guard.handler, 1).getOpcode(), m.name);
                AbstractInsnNode after = TestSupport.nextReal(guard.handler, 2);
                int goesOn = (after instanceof VarInsnNode ? TestSupport.nextReal(after, 1) : after).getOpcode();
                assertTrue(goesOn == Opcodes.ATHROW || goesOn >= Opcodes.IRETURN && goesOn <= Opcodes.RETURN,
                        m.name + ": returns or rethrows");
            }
        }
    }

    private static TryCatchBlockNode firstCovering(MethodNode m, AbstractInsnNode insn) {
        int at = m.instructions.indexOf(insn);
        for (TryCatchBlockNode b : m.tryCatchBlocks) {
            if (m.instructions.indexOf(b.start) <= at && at < m.instructions.indexOf(b.end)) {
                return b;
            }
        }
        throw new AssertionError(m.name + ": no handler covers the hook call");
    }

}
