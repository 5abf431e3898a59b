package io.jlockdep.agent.instrument;

import io.jlockdep.runtime.lockclass.EventType;
import java.util.HashMap;
import java.util.Map;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites the JDK methods behind waits that are not locks, so that they report to {@code io.jlockdep.runtime.Hooks}
 * (through the {@link Hook} table)
 * (the wait-for check): a method that may wait ({@code Future.get}, {@code CountDownLatch.await},
 * {@code Semaphore.acquire}, a blocking queue's {@code take}/{@code put}, {@code Thread.join}) calls
 * {@code beforeEventWait} on entry and {@code afterEventWait} on every way out; a method that produces an event
 * ({@code countDown}, {@code release}, {@code put}/{@code offer}, {@code take}/{@code poll},
 * {@code CompletableFuture.complete}) calls {@code eventProduced} on entry; a task's run ({@code FutureTask.run}, a
 * {@code CompletableFuture}'s async task) calls {@code taskBegin} on entry and {@code taskEnd} on every way out, and
 * {@code taskDone} when its result is set; constructors of tasks, threads and {@code ThreadPoolExecutor} report the new
 * object before they return, and those of {@code ExecutorCompletionService} report its queue; {@code
 * ThreadPoolExecutor.execute} and {@code runWorker} say which pool a task goes to and which threads are a pool's
 * workers.
 *
 * <p>The JDK's own methods are rewritten rather than their callers: one hook per operation whatever calls it (the
 * program, a library, or the JDK itself, as {@code invokeAll} calls {@code Future.get}), through any interface, on any
 * thread (virtual threads too), and nothing to do in the program's classes. Most of these classes are loaded after the
 * agent and are rewritten as they load; those loaded before are retransformed at start-up. Only method bodies change:
 * code is inserted at instruction boundaries, stack-neutral but for its own arguments, plus one catch-all handler per
 * method that must report its way out, which is last in the exception table and rethrows.
 *
 * <p>A hook never throws, but its call can overflow the stack before any of it runs. At entry that is as if the
 * method itself had overflowed, before it did anything. After the work is done (before a return, in the catch-all
 * handler) it must change nothing: each such call is guarded by a handler of its own, first in the exception table,
 * that goes on as the method would have (returns the value it kept in a fresh local, rethrows its own Throwable).
 */
public final class WaitMethodInstrumenter {
    private static final String CONCURRENT = "java/util/concurrent/";

    // The runtime's event codes, which javac copies here.
    private static final int TASK = EventType.CODE_TASK;
    private static final int FUTURE = EventType.CODE_FUTURE;
    private static final int LATCH = EventType.CODE_LATCH;
    private static final int SEMAPHORE = EventType.CODE_SEMAPHORE;
    private static final int ELEMENT = EventType.CODE_QUEUE_ELEMENT;
    private static final int SPACE = EventType.CODE_QUEUE_SPACE;
    private static final int THREAD_END = EventType.CODE_THREAD_END;
    private static final int BARRIER = EventType.CODE_BARRIER;
    private static final int PHASER = EventType.CODE_PHASER;
    private static final int NONE = -1;

    private enum Kind {
        /** beforeEventWait on entry (after eventProduced when the method produces one too), afterEventWait on exits. */
        WAIT,
        /** eventProduced on entry. */
        EVENT,
        /** taskBegin(this) on entry, taskEnd(this) on exits. */
        TASK_RUN,
        /** taskDone(this) on entry. */
        TASK_DONE,
        /** Constructor: taskCreated(this, future, body) before each return. */
        TASK_CREATED,
        /** Constructor: poolCreated(this) before each return. */
        POOL_CREATED,
        /** Constructor: completionServiceCreated(this.completionQueue) before each return. */
        COMPLETIONS_CREATED,
        /** taskSubmitted(this, argument 1) on entry. */
        SUBMITTED,
        /** workerBegin(this) on entry, workerEnd() on exits. */
        WORKER
    }

    /**
     * What to do for one method. Slots are local variable indexes; -1 for a constant (permits: 1; -2: -1, an arrival
     * that then waits).
     */
    private static final class Target {
        final Kind kind;
        /** The event waited for or produced. */
        final int type;
        /** For a wait that also produces an event (a queue's put produces an element): that event, else NONE. */
        final int produces;
        final int permitsSlot;
        final int timeoutSlot;
        final int unitSlot;
        /** For TASK_CREATED: the slots of the future (0: this) and of the body (-1: none). */
        final int futureSlot;
        final int bodySlot;

        private Target(Kind kind, int type, int produces, int permitsSlot, int timeoutSlot, int unitSlot,
                       int futureSlot, int bodySlot) {
            this.kind = kind;
            this.type = type;
            this.produces = produces;
            this.permitsSlot = permitsSlot;
            this.timeoutSlot = timeoutSlot;
            this.unitSlot = unitSlot;
            this.futureSlot = futureSlot;
            this.bodySlot = bodySlot;
        }

        static Target of(Kind kind) {
            return new Target(kind, NONE, NONE, -1, -1, -1, 0, -1);
        }

        static Target event(int type) {
            return new Target(Kind.EVENT, type, NONE, -1, -1, -1, 0, -1);
        }

        /** A wait; {@code timeoutSlot}/{@code unitSlot} -1 when it has no limit. */
        static Target wait(int type, int produces, int permitsSlot, int timeoutSlot, int unitSlot) {
            return new Target(Kind.WAIT, type, produces, permitsSlot, timeoutSlot, unitSlot, 0, -1);
        }

        static Target created(int futureSlot, int bodySlot) {
            return new Target(Kind.TASK_CREATED, NONE, NONE, -1, -1, -1, futureSlot, bodySlot);
        }
    }

    private static final Map<String, Map<String, Target>> TARGETS = new HashMap<>();
    /** Classes whose every constructor taking a Runnable reports a new task: the threads. */
    private static final String THREAD = "java/lang/Thread";
    private static final String VIRTUAL_THREAD = "java/lang/VirtualThread";
    /** Its queue, where its tasks' futures arrive: what its take and poll (and invokeAny) wait for. */
    private static final String COMPLETION_SERVICE = CONCURRENT + "ExecutorCompletionService";
    private static final String COMPLETION_QUEUE = "completionQueue";
    private static final String BLOCKING_QUEUE = "Ljava/util/concurrent/BlockingQueue;";

    static {
        Map<String, Target> futureTask = methods(CONCURRENT + "FutureTask");
        futureTask.put("<init>(Ljava/util/concurrent/Callable;)V", Target.created(0, 1));
        futureTask.put("<init>(Ljava/lang/Runnable;Ljava/lang/Object;)V", Target.created(0, 1));
        futureTask.put("run()V", Target.of(Kind.TASK_RUN));
        futureTask.put("runAndReset()Z", Target.of(Kind.TASK_RUN));
        futureTask.put("set(Ljava/lang/Object;)V", Target.of(Kind.TASK_DONE));
        futureTask.put("setException(Ljava/lang/Throwable;)V", Target.of(Kind.TASK_DONE));
        futureTask.put("get()Ljava/lang/Object;", Target.wait(TASK, NONE, -1, -1, -1));
        futureTask.put("get(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;", Target.wait(TASK, NONE, -1, 1, 3));

        Map<String, Target> completable = methods(CONCURRENT + "CompletableFuture");
        completable.put("get()Ljava/lang/Object;", Target.wait(FUTURE, NONE, -1, -1, -1));
        completable.put("join()Ljava/lang/Object;", Target.wait(FUTURE, NONE, -1, -1, -1));
        completable.put("get(JLjava/util/concurrent/TimeUnit;)Ljava/lang/Object;",
                Target.wait(FUTURE, NONE, -1, 1, 3));
        completable.put("complete(Ljava/lang/Object;)Z", Target.event(FUTURE));
        completable.put("completeExceptionally(Ljava/lang/Throwable;)Z", Target.event(FUTURE));
        completable.put("postComplete()V", Target.of(Kind.TASK_DONE));
        Map<String, Target> asyncSupply = methods(CONCURRENT + "CompletableFuture$AsyncSupply");
        asyncSupply.put("<init>(Ljava/util/concurrent/CompletableFuture;Ljava/util/function/Supplier;)V",
                Target.created(1, 2));
        asyncSupply.put("run()V", Target.of(Kind.TASK_RUN));
        Map<String, Target> asyncRun = methods(CONCURRENT + "CompletableFuture$AsyncRun");
        asyncRun.put("<init>(Ljava/util/concurrent/CompletableFuture;Ljava/lang/Runnable;)V", Target.created(1, 2));
        asyncRun.put("run()V", Target.of(Kind.TASK_RUN));

        Map<String, Target> latch = methods(CONCURRENT + "CountDownLatch");
        latch.put("await()V", Target.wait(LATCH, NONE, -1, -1, -1));
        latch.put("await(JLjava/util/concurrent/TimeUnit;)Z", Target.wait(LATCH, NONE, -1, 1, 3));
        latch.put("countDown()V", Target.event(LATCH));

        Map<String, Target> semaphore = methods(CONCURRENT + "Semaphore");
        semaphore.put("acquire()V", Target.wait(SEMAPHORE, NONE, -1, -1, -1));
        semaphore.put("acquireUninterruptibly()V", Target.wait(SEMAPHORE, NONE, -1, -1, -1));
        semaphore.put("acquire(I)V", Target.wait(SEMAPHORE, NONE, 1, -1, -1));
        semaphore.put("acquireUninterruptibly(I)V", Target.wait(SEMAPHORE, NONE, 1, -1, -1));
        semaphore.put("tryAcquire(JLjava/util/concurrent/TimeUnit;)Z", Target.wait(SEMAPHORE, NONE, -1, 1, 3));
        semaphore.put("tryAcquire(IJLjava/util/concurrent/TimeUnit;)Z", Target.wait(SEMAPHORE, NONE, 1, 2, 4));
        semaphore.put("release()V", Target.event(SEMAPHORE));
        semaphore.put("release(I)V", Target.event(SEMAPHORE));

        // A barrier's await and a phaser's arriveAndAwaitAdvance arrive (an event the others wait for), then wait.
        Map<String, Target> barrier = methods(CONCURRENT + "CyclicBarrier");
        barrier.put("await()I", Target.wait(BARRIER, BARRIER, -1, -1, -1));
        barrier.put("await(JLjava/util/concurrent/TimeUnit;)I", Target.wait(BARRIER, BARRIER, -1, 1, 3));
        Map<String, Target> phaser = methods(CONCURRENT + "Phaser");
        phaser.put("arrive()I", Target.event(PHASER));
        phaser.put("arriveAndDeregister()I", Target.event(PHASER));
        phaser.put("arriveAndAwaitAdvance()I", Target.wait(PHASER, PHASER, -2, -1, -1));
        phaser.put("awaitAdvance(I)I", Target.wait(PHASER, NONE, 1, -1, -1));
        phaser.put("awaitAdvanceInterruptibly(I)I", Target.wait(PHASER, NONE, 1, -1, -1));
        phaser.put("awaitAdvanceInterruptibly(IJLjava/util/concurrent/TimeUnit;)I", Target.wait(PHASER, NONE, 1, 2, 4));

        for (String queue : new String[] {"LinkedBlockingQueue", "ArrayBlockingQueue", "LinkedBlockingDeque",
            "PriorityBlockingQueue", "LinkedTransferQueue"}) {
            queue(methods(CONCURRENT + queue));
        }

        Map<String, Target> thread = methods(THREAD);
        thread.put("join()V", Target.wait(THREAD_END, NONE, -1, -1, -1));
        thread.put("join(J)V", Target.wait(THREAD_END, NONE, -1, 1, -1));
        thread.put("join(JI)V", Target.wait(THREAD_END, NONE, -1, 1, -1));
        thread.put("join(Ljava/time/Duration;)Z", Target.wait(THREAD_END, NONE, -1, -1, 1));
        methods(VIRTUAL_THREAD);

        Map<String, Target> pool = methods(CONCURRENT + "ThreadPoolExecutor");
        pool.put("execute(Ljava/lang/Runnable;)V", Target.of(Kind.SUBMITTED));
        pool.put("runWorker(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V", Target.of(Kind.WORKER));
        // A worker waiting for its next task: a wait on an object that is never followed, so nothing is checked, but
        // what the worker produces next (in a plain Runnable, which has no context of its own) starts from there.
        pool.put("getTask()Ljava/lang/Runnable;", Target.wait(TASK, NONE, -1, -1, -1));
        Map<String, Target> scheduled = methods(CONCURRENT + "ScheduledThreadPoolExecutor");
        scheduled.put("delayedExecute(Ljava/util/concurrent/RunnableScheduledFuture;)V", Target.of(Kind.SUBMITTED));
        Map<String, Target> completions = methods(COMPLETION_SERVICE);
        completions.put("<init>(Ljava/util/concurrent/Executor;)V", Target.of(Kind.COMPLETIONS_CREATED));
        completions.put("<init>(Ljava/util/concurrent/Executor;Ljava/util/concurrent/BlockingQueue;)V",
                Target.of(Kind.COMPLETIONS_CREATED));
    }

    private static Map<String, Target> methods(String internalName) {
        Map<String, Target> m = new HashMap<>();
        TARGETS.put(internalName, m);
        return m;
    }

    /** A blocking queue's (and deque's) waits and events; a method the class does not declare is simply not found. */
    private static void queue(Map<String, Target> m) {
        String timed = "JLjava/util/concurrent/TimeUnit;)";
        for (String take : new String[] {"take", "takeFirst", "takeLast"}) {
            m.put(take + "()Ljava/lang/Object;", Target.wait(ELEMENT, SPACE, -1, -1, -1));
        }
        for (String poll : new String[] {"poll", "pollFirst", "pollLast"}) {
            m.put(poll + "(" + timed + "Ljava/lang/Object;", Target.wait(ELEMENT, SPACE, -1, 1, 3));
            m.put(poll + "()Ljava/lang/Object;", Target.event(SPACE));
        }
        for (String put : new String[] {"put", "putFirst", "putLast"}) {
            m.put(put + "(Ljava/lang/Object;)V", Target.wait(SPACE, ELEMENT, -1, -1, -1));
        }
        for (String offer : new String[] {"offer", "offerFirst", "offerLast"}) {
            m.put(offer + "(Ljava/lang/Object;" + timed + "Z", Target.wait(SPACE, ELEMENT, -1, 2, 4));
            m.put(offer + "(Ljava/lang/Object;)Z", Target.event(ELEMENT));
        }
        m.put("add(Ljava/lang/Object;)Z", Target.event(ELEMENT));
        for (String add : new String[] {"addFirst", "addLast", "push"}) {
            m.put(add + "(Ljava/lang/Object;)V", Target.event(ELEMENT));
        }
        for (String remove : new String[] {"removeFirst", "removeLast", "pop"}) {
            m.put(remove + "()Ljava/lang/Object;", Target.event(SPACE));
        }
        m.put("remove(Ljava/lang/Object;)Z", Target.event(SPACE));
        m.put("drainTo(Ljava/util/Collection;)I", Target.event(SPACE));
        m.put("drainTo(Ljava/util/Collection;I)I", Target.event(SPACE));
        m.put("clear()V", Target.event(SPACE));
    }

    private WaitMethodInstrumenter() {
    }

    /** True for the JDK classes whose methods this instrumenter rewrites. */
    public static boolean handles(String internalName) {
        return TARGETS.containsKey(internalName);
    }

    /** The internal names of those classes, for the tests. */
    static java.util.Set<String> targetClasses() {
        return TARGETS.keySet();
    }

    /** Returns the rewritten class file, or null when the class is not one of the targets or has none of the methods. */
    public static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        String owner = reader.getClassName();
        Map<String, Target> targets = TARGETS.get(owner);
        if (targets == null) {
            return null;
        }
        ClassNode c = new ClassNode();
        reader.accept(c, ClassReader.EXPAND_FRAMES);
        boolean threadClass = owner.equals(THREAD) || owner.equals(VIRTUAL_THREAD);
        boolean changed = false;
        for (MethodNode m : c.methods) {
            if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0
                    || m.instructions.size() == 0) {
                continue;
            }
            Target t = targets.get(m.name.concat(m.desc));
            if (t == null && threadClass && m.name.equals("<init>")) {
                t = threadConstructor(m.desc);
            }
            if (t == null && owner.equals(CONCURRENT + "ThreadPoolExecutor") && m.name.equals("<init>")) {
                t = Target.of(Kind.POOL_CREATED);
            }
            if (t != null && t.kind == Kind.COMPLETIONS_CREATED && !hasField(c, COMPLETION_QUEUE, BLOCKING_QUEUE)) {
                t = null; // another JDK's layout: left alone
            }
            if (t != null) {
                rewrite(owner, m, t);
                changed = true;
            }
        }
        if (!changed) {
            return null;
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        c.accept(writer);
        return writer.toByteArray();
    }

    private static boolean hasField(ClassNode c, String name, String descriptor) {
        for (FieldNode f : c.fields) {
            if (f.name.equals(name) && f.desc.equals(descriptor) && (f.access & Opcodes.ACC_STATIC) == 0) {
                return true;
            }
        }
        return false;
    }

    /** A thread constructor that takes the thread's task (a Runnable): it reports the thread as a new task. */
    private static Target threadConstructor(String descriptor) {
        Type[] args = Type.getArgumentTypes(descriptor);
        int slot = 1;
        for (Type arg : args) {
            if (arg.getDescriptor().equals("Ljava/lang/Runnable;")) {
                return Target.created(0, slot);
            }
            slot += arg.getSize();
        }
        return null;
    }

    private static void rewrite(String owner, MethodNode m, Target t) {
        Guards guards = new Guards(m);
        try {
            rewrite(owner, m, t, guards);
        } finally {
            guards.close();
        }
    }

    private static void rewrite(String owner, MethodNode m, Target t, Guards guards) {
        InsnList entry = new InsnList();
        InsnList exit = null;
        switch (t.kind) {
            case WAIT:
                if (t.produces != NONE) {
                    produced(entry, t.produces);
                }
                entry.add(new VarInsnNode(Opcodes.ALOAD, 0));
                entry.add(MethodRewriter.intConstant(t.type));
                entry.add(t.permitsSlot >= 0 ? new VarInsnNode(Opcodes.ILOAD, t.permitsSlot)
                        : new InsnNode(t.permitsSlot == -2 ? Opcodes.ICONST_M1 : Opcodes.ICONST_1));
                entry.add(t.timeoutSlot < 0 ? new LdcInsnNode(-1L) : new VarInsnNode(Opcodes.LLOAD, t.timeoutSlot));
                entry.add(t.unitSlot < 0 ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD,
                        t.unitSlot));
                entry.add(Hook.BEFORE_EVENT_WAIT.insn());
                exit = new InsnList();
                exit.add(Hook.AFTER_EVENT_WAIT.insn());
                break;
            case EVENT:
                produced(entry, t.type);
                break;
            case TASK_RUN:
                entry.add(new VarInsnNode(Opcodes.ALOAD, 0));
                entry.add(Hook.TASK_BEGIN.insn());
                exit = new InsnList();
                exit.add(new VarInsnNode(Opcodes.ALOAD, 0));
                exit.add(Hook.TASK_END.insn());
                break;
            case TASK_DONE:
                entry.add(new VarInsnNode(Opcodes.ALOAD, 0));
                entry.add(Hook.TASK_DONE.insn());
                break;
            case SUBMITTED:
                entry.add(new VarInsnNode(Opcodes.ALOAD, 0));
                entry.add(new VarInsnNode(Opcodes.ALOAD, 1));
                entry.add(Hook.TASK_SUBMITTED.insn());
                break;
            case WORKER:
                entry.add(new VarInsnNode(Opcodes.ALOAD, 0));
                entry.add(Hook.WORKER_BEGIN.insn());
                exit = new InsnList();
                exit.add(Hook.WORKER_END.insn());
                break;
            case TASK_CREATED:
                guards.beforeReturns(created(t));
                return;
            case COMPLETIONS_CREATED:
                InsnList queue = new InsnList();
                queue.add(new VarInsnNode(Opcodes.ALOAD, 0));
                queue.add(new FieldInsnNode(Opcodes.GETFIELD, owner, COMPLETION_QUEUE, BLOCKING_QUEUE));
                queue.add(Hook.COMPLETION_SERVICE_CREATED.insn());
                guards.beforeReturns(queue);
                return;
            default: // POOL_CREATED
                InsnList created = new InsnList();
                created.add(new VarInsnNode(Opcodes.ALOAD, 0));
                created.add(Hook.POOL_CREATED.insn());
                guards.beforeReturns(created);
                return;
        }
        if (exit != null) {
            guards.beforeReturns(exit);
            addExitHandler(owner, m, exit, guards);
        }
        withFirstLine(m, entry);
        m.instructions.insert(entry);
    }

    /** Gives the entry code the method's first line, so that a stack taken in its hook shows a line number. */
    private static void withFirstLine(MethodNode m, InsnList entry) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LineNumberNode) {
                LabelNode start = new LabelNode();
                entry.insert(new LineNumberNode(((LineNumberNode) insn).line, start));
                entry.insert(start);
                return;
            }
        }
    }

    private static void produced(InsnList list, int type) {
        list.add(new VarInsnNode(Opcodes.ALOAD, 0));
        list.add(MethodRewriter.intConstant(type));
        list.add(Hook.EVENT_PRODUCED.insn());
    }

    private static InsnList created(Target t) {
        InsnList list = new InsnList();
        list.add(new VarInsnNode(Opcodes.ALOAD, 0));
        list.add(new VarInsnNode(Opcodes.ALOAD, t.futureSlot));
        list.add(t.bodySlot < 0 ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, t.bodySlot));
        list.add(Hook.TASK_CREATED.insn());
        return list;
    }

    /**
     * The guarded hook calls of one method: those after its work is done. Two fresh locals above the method's own keep
     * the value a return returns and the Throwable the catch-all handler rethrows; the guards' handlers go after
     * everything else ({@link #close}), outside the catch-all's range.
     */
    private static final class Guards {
        private final MethodNode m;
        private final Type returnType;
        private final int resultLocal;
        private final int exceptionLocal;
        private final InsnList handlers = new InsnList();
        private LabelNode returnGuard;

        Guards(MethodNode m) {
            this.m = m;
            this.returnType = Type.getReturnType(m.desc);
            this.resultLocal = m.maxLocals;
            this.exceptionLocal = m.maxLocals + 2;
        }

        /**
         * Inserts a copy of {@code code} before every return instruction of the method, its hook call guarded:
         * {@code [value] xstore R, code, xload R, xreturn}; if the call throws, the guard returns R.
         */
        void beforeReturns(InsnList code) {
            for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                int op = insn.getOpcode();
                if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                    if (returnGuard == null) {
                        returnGuard = new LabelNode();
                        handlers.add(returnGuard);
                        Object[] locals = returnType.getSort() == Type.VOID ? new Object[0]
                                : localsWith(resultLocal, MethodRewriter.frameType(returnType));
                        handlers.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
                        handlers.add(new InsnNode(Opcodes.POP));
                        loadResult(handlers);
                        handlers.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
                    }
                    InsnList l = new InsnList();
                    if (returnType.getSort() != Type.VOID) {
                        l.add(new VarInsnNode(returnType.getOpcode(Opcodes.ISTORE), resultLocal));
                    }
                    l.add(guarded(code, returnGuard));
                    loadResult(l);
                    m.instructions.insertBefore(insn, l);
                }
            }
        }

        /**
         * The catch-all handler's code, the Throwable on the stack: {@code astore E, code, aload E, athrow}; if the
         * call throws, its guard rethrows E. Its frame keeps only {@code this} (and E).
         */
        InsnList rethrowing(String owner, InsnList code) {
            LabelNode guard = new LabelNode();
            handlers.add(guard);
            Object[] locals = localsWith(exceptionLocal, THROWABLE);
            locals[0] = owner;
            handlers.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
            handlers.add(new InsnNode(Opcodes.POP));
            handlers.add(new VarInsnNode(Opcodes.ALOAD, exceptionLocal));
            handlers.add(new InsnNode(Opcodes.ATHROW));
            InsnList l = new InsnList();
            l.add(new VarInsnNode(Opcodes.ASTORE, exceptionLocal));
            l.add(guarded(code, guard));
            l.add(new VarInsnNode(Opcodes.ALOAD, exceptionLocal));
            l.add(new InsnNode(Opcodes.ATHROW));
            return l;
        }

        /** A copy of {@code code}, whose last instruction is the hook call, with that call covered by {@code guard}. */
        private InsnList guarded(InsnList code, LabelNode guard) {
            InsnList l = copy(code);
            LabelNode start = new LabelNode();
            LabelNode end = new LabelNode();
            l.insertBefore(l.getLast(), start);
            l.add(end);
            m.tryCatchBlocks.add(0, new TryCatchBlockNode(start, end, guard, null));
            return l;
        }

        private void loadResult(InsnList l) {
            if (returnType.getSort() != Type.VOID) {
                l.add(new VarInsnNode(returnType.getOpcode(Opcodes.ILOAD), resultLocal));
            }
        }

        /** Frame locals that are TOP up to {@code slot}, which holds {@code type}. */
        private static Object[] localsWith(int slot, Object type) {
            Object[] locals = new Object[slot + 1];
            java.util.Arrays.fill(locals, Opcodes.TOP);
            locals[slot] = type;
            return locals;
        }

        void close() {
            m.instructions.add(handlers);
        }
    }

    private static final String THROWABLE = "java/lang/Throwable";

    /**
     * Covers the whole original body with a catch-all handler, last in the exception table, that runs {@code exit}
     * and rethrows: the exit hook runs however the method ends. Its frame keeps only {@code this}.
     */
    private static void addExitHandler(String owner, MethodNode m, InsnList exit, Guards guards) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        LabelNode handler = new LabelNode();
        m.instructions.insert(start);
        m.instructions.add(end);
        m.instructions.add(handler);
        m.instructions.add(new FrameNode(Opcodes.F_NEW, 1, new Object[] {owner}, 1, new Object[] {THROWABLE}));
        m.instructions.add(guards.rethrowing(owner, exit));
        m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    }

    private static InsnList copy(InsnList code) {
        InsnList out = new InsnList();
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            out.add(insn.clone(null));
        }
        return out;
    }

}
