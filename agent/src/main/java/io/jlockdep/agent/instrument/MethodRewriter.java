package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.List;

import io.jlockdep.runtime.lockclass.Sites;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites the instructions of one method (a {@link MethodNode} read with {@code EXPAND_FRAMES}) in place. Everything
 * it inserts between existing instructions is stack-neutral and touches no local variable, so the existing stack map
 * frames stay valid; the only new branch target is the catch-all handler of a synchronized method, for which it writes
 * the frame itself (class files of version 50 and later). It sets max stack and max locals itself, so the class writer
 * needs no COMPUTE_* flag.
 */
final class MethodRewriter {
    private static final String OBJECT = "java/lang/Object";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String LOCKS = "java/util/concurrent/locks/";

    private final String className;
    private final String sourceFile;
    private final int majorVersion;
    private final boolean mayChangeMethodFlags;
    private final boolean markMonitorEntered;
    private final MethodNode method;

    MethodRewriter(String className, String sourceFile, int version, boolean mayChangeMethodFlags,
                   boolean markMonitorEntered, MethodNode method) {
        this.className = className;
        this.sourceFile = sourceFile;
        this.majorVersion = version & 0xFFFF;
        this.mayChangeMethodFlags = mayChangeMethodFlags;
        this.markMonitorEntered = markMonitorEntered;
        this.method = method;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What is instrumented

    /** A synchronized method whose monitor the rewriter handles: has code, and is no constructor or initializer. */
    static boolean isSynchronizedMethod(int access, String name) {
        return (access & Opcodes.ACC_SYNCHRONIZED) != 0
                && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
                && !name.equals("<init>") && !name.equals("<clinit>");
    }

    /** Types whose {@code new} gets an {@code allocated} hook. */
    static boolean isLockAllocation(String type) {
        switch (type) {
            case LOCKS + "ReentrantLock":
            case LOCKS + "ReentrantReadWriteLock":
            case LOCKS + "StampedLock":
            case OBJECT:
                return true;
            default:
                return false;
        }
    }

    /**
     * For a virtual or interface call of Object.wait/notify/notifyAll, the hook that replaces it (same arguments, plus
     * the site): the hook checks, then makes the call itself. Null for other calls.
     */
    static Hook monitorCallReplacement(int opcode, String name, String descriptor) {
        if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
            return null;
        }
        switch (name.concat(descriptor)) {
            case "wait()V":
                return Hook.OBJECT_WAIT;
            case "wait(J)V":
                return Hook.OBJECT_WAIT_MILLIS;
            case "wait(JI)V":
                return Hook.OBJECT_WAIT_NANOS;
            case "notify()V":
                return Hook.OBJECT_NOTIFY;
            case "notifyAll()V":
                return Hook.OBJECT_NOTIFY_ALL;
            default:
                return null;
        }
    }

    /** A call that gets a {@code site} hint before it: a lock or wait method of java.util.concurrent. */
    static boolean needsSiteHint(int opcode, String owner, String name, String descriptor) {
        if (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKEDYNAMIC) {
            return false;
        }
        if (name.equals("wait")) {
            // virtual and interface calls are replaced (monitorCallReplacement); a super.wait() only gets the hint
            if (opcode != Opcodes.INVOKESPECIAL) {
                return false;
            }
            return descriptor.equals("()V") || descriptor.equals("(J)V") || descriptor.equals("(JI)V");
        }
        if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
            return false;
        }
        return isLockOwner(owner) && isLockMethodName(name);
    }

    private static boolean isLockOwner(String owner) {
        switch (owner) {
            case LOCKS + "ReentrantLock":
            case LOCKS + "ReentrantReadWriteLock$ReadLock":
            case LOCKS + "ReentrantReadWriteLock$WriteLock":
            case LOCKS + "Lock":
            case LOCKS + "StampedLock":
            case LOCKS + "Condition":
                return true;
            default:
                return false;
        }
    }

    private static boolean isLockMethodName(String name) {
        switch (name) {
            case "lock":
            case "lockInterruptibly":
            case "tryLock":
            case "readLock":
            case "writeLock":
            case "readLockInterruptibly":
            case "writeLockInterruptibly":
            case "tryReadLock":
            case "tryWriteLock":
            case "tryConvertToWriteLock":
            case "tryConvertToReadLock":
            case "await":
            case "awaitNanos":
            case "awaitUninterruptibly":
            case "awaitUntil":
                return true;
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rewriting

    /** Rewrites the method; returns false when nothing had to change (the method is then exactly as read). */
    boolean rewrite() {
        InsnList insns = method.instructions;
        if (insns.size() == 0) {
            return false;
        }
        boolean changed = false;
        List<AbstractInsnNode> returns = new ArrayList<>();
        // Which new a constructor call initializes is told by stack depth, computed before anything is inserted.
        int[] depths = hasLockAllocation(insns) ? StackDepths.compute(method) : null;
        List<PendingNew> pendingNews = new ArrayList<>();
        List<AbstractInsnNode> monitorEnters = new ArrayList<>();
        int line = -1;
        int firstLine = -1;
        int index = -1;
        AbstractInsnNode next;
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = next) {
            next = insn.getNext(); // inserted code goes before insn or right after it: never visited
            index++;
            int opcode = insn.getOpcode();
            if (insn instanceof LineNumberNode) {
                line = ((LineNumberNode) insn).line;
                if (firstLine < 0) {
                    firstLine = line;
                }
                continue;
            }
            switch (opcode) {
                case Opcodes.MONITORENTER: {
                    FieldInsnNode field = lockedField(insn.getPrevious());
                    InsnList hook = new InsnList();
                    hook.add(new InsnNode(Opcodes.DUP));
                    hook.add(intConstant(field == null ? codeSite(line)
                            : Sites.lockSite(className, method.name, sourceFile, line, field.owner, field.name)));
                    hook.add(Hook.MONITOR_ENTER.insn());
                    insns.insertBefore(insn, hook);
                    monitorEnters.add(insn);
                    changed = true;
                    break;
                }
                case Opcodes.MONITOREXIT: {
                    InsnList hook = new InsnList();
                    hook.add(new InsnNode(Opcodes.DUP));
                    hook.add(Hook.MONITOR_EXIT.insn());
                    insns.insertBefore(insn, hook);
                    changed = true;
                    break;
                }
                case Opcodes.NEW: {
                    String type = ((TypeInsnNode) insn).desc;
                    AbstractInsnNode following = nextReal(insn);
                    if (depths != null && depths[index] >= 0 && isLockAllocation(type)
                            && following != null && following.getOpcode() == Opcodes.DUP) {
                        pendingNews.add(new PendingNew(type, depths[index], line));
                    }
                    break;
                }
                case Opcodes.INVOKESPECIAL: {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    if (call.name.equals("<init>")) {
                        PendingNew allocation = matchingNew(pendingNews, call, depths, index);
                        if (allocation != null && insertAllocatedHook(call, allocation)) {
                            changed = true;
                        }
                    } else if (needsSiteHint(opcode, call.owner, call.name, call.desc)) {
                        insertSiteHint(call, line);
                        changed = true;
                    }
                    break;
                }
                case Opcodes.INVOKEVIRTUAL:
                case Opcodes.INVOKEINTERFACE: {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    Hook replacement = monitorCallReplacement(opcode, call.name, call.desc);
                    if (replacement != null) {
                        replaceMonitorCall(call, replacement, line);
                        changed = true;
                    } else if (needsSiteHint(opcode, call.owner, call.name, call.desc)) {
                        insertSiteHint(call, line);
                        changed = true;
                    }
                    break;
                }
                case Opcodes.IRETURN:
                case Opcodes.LRETURN:
                case Opcodes.FRETURN:
                case Opcodes.DRETURN:
                case Opcodes.ARETURN:
                case Opcodes.RETURN:
                    returns.add(insn);
                    break;
                default:
                    break;
            }
        }
        if (markMonitorEntered) {
            for (AbstractInsnNode enter : monitorEnters) {
                markEntered(enter); // after the walk: the depths are by position
            }
        }
        if (isSynchronizedMethod(method.access, method.name)) {
            rewriteSynchronizedMethod(returns, firstLine);
            changed = true;
        }
        if (changed) {
            // Every inserted sequence needs at most two slots over the stack where it stands; the prologue and the
            // handler of a synchronized method need three (monitor, dup, site / exception, monitor, dup).
            method.maxStack = Math.min(0xFFFF, Math.max(method.maxStack + 2, 3));
        }
        return changed;
    }

    /**
     * Inserts {@code Hooks.monitorEntered()} right after a {@code monitorenter}, in a range of its own with the
     * handlers of the ranges that start at the next instruction (the one that releases the monitor), so even a stack
     * overflow on the call leaves no monitor held. Not after the labels that follow: one of them may be the head of a
     * loop in the block, which would run the hook on every iteration.
     */
    private void markEntered(AbstractInsnNode enter) {
        AbstractInsnNode following = nextReal(enter);
        if (following == null) {
            return;
        }
        LabelNode callStart = new LabelNode();
        InsnList call = new InsnList();
        call.add(callStart);
        call.add(Hook.MONITOR_ENTERED.insn());
        method.instructions.insert(enter, call);
        List<TryCatchBlockNode> blocks = method.tryCatchBlocks;
        for (int i = blocks.size() - 1; i >= 0; i--) {
            TryCatchBlockNode block = blocks.get(i);
            if (isBetween(block.start, callStart, following)) {
                // Right before it in the table, so it keeps its place before the handlers of enclosing blocks.
                blocks.add(i, new TryCatchBlockNode(callStart, block.start, block.handler, block.type));
            }
        }
    }

    private static boolean isBetween(AbstractInsnNode node, AbstractInsnNode from, AbstractInsnNode to) {
        for (AbstractInsnNode n = from.getNext(); n != null && n != to; n = n.getNext()) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLockAllocation(InsnList insns) {
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.NEW && isLockAllocation(((TypeInsnNode) insn).desc)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pending {@code new T; dup} that this {@code T.<init>} call initializes: the one whose copy sits where the
     * call finds its receiver, below the arguments. Nested allocations, {@code super()} and {@code this()} calls, and
     * code that does not follow javac's order are all told apart this way. Removes and returns it, or returns null.
     */
    private static PendingNew matchingNew(List<PendingNew> pending, MethodInsnNode call, int[] depths, int index) {
        if (depths == null || pending.isEmpty() || depths[index] < 0) {
            return null;
        }
        int receiver = depths[index] - StackDepths.argumentSlots(call.desc) - 1;
        for (int i = pending.size() - 1; i >= 0; i--) {
            PendingNew candidate = pending.get(i);
            if (candidate.depth + 1 == receiver && candidate.type.equals(call.owner)) {
                pending.remove(i);
                return candidate;
            }
        }
        return null;
    }

    /**
     * Inserts {@code Hooks.allocated} after a lock's constructor call; returns false when a plain {@code new Object()}
     * is not stored straight into a field: most such objects are never locked, and one that is gets the class of the
     * site where it is first locked instead, at no cost to every other allocation.
     */
    private boolean insertAllocatedHook(MethodInsnNode constructorCall, PendingNew allocation) {
        String fieldOwner = null;
        String fieldName = null;
        AbstractInsnNode following = nextReal(constructorCall);
        if (following != null
                && (following.getOpcode() == Opcodes.PUTFIELD || following.getOpcode() == Opcodes.PUTSTATIC)) {
            FieldInsnNode store = (FieldInsnNode) following;
            fieldOwner = store.owner;
            fieldName = store.name;
        } else if (allocation.type.equals(OBJECT)) {
            return false;
        }
        int allocationId = Sites.allocation(allocation.type, codeSite(allocation.line), fieldOwner, fieldName);
        InsnList hook = new InsnList();
        hook.add(new InsnNode(Opcodes.DUP));
        hook.add(intConstant(allocationId));
        hook.add(Hook.ALLOCATED.insn());
        method.instructions.insert(constructorCall, hook);
        return true;
    }

    /** {@code [obj args] invokevirtual wait/notify} becomes {@code [obj args] [site] Hooks.objectWait/...}. */
    private void replaceMonitorCall(MethodInsnNode call, Hook hook, int line) {
        method.instructions.insertBefore(call, intConstant(codeSite(line)));
        method.instructions.set(call, hook.insn());
    }

    private void insertSiteHint(MethodInsnNode call, int line) {
        InsnList hook = new InsnList();
        hook.add(intConstant(codeSite(line)));
        hook.add(Hook.SITE.insn());
        method.instructions.insertBefore(call, hook);
    }

    /**
     * A synchronized method. Stripped of its flag when allowed, the body takes and releases the monitor itself:
     * <pre>
     *   [monitor] dup [site] Hooks.monitorEnter monitorenter
     *   start: ...body, each xRETURN preceded by [monitor] dup Hooks.monitorExit monitorexit...
     *   end:
     *   handler: [monitor] dup Hooks.monitorExit  handlerExit: monitorexit athrow
     *   try [start, end) catch any -> handler; try [handler, handlerExit) catch any -> handler
     * </pre>
     * The second range retries the hook call if it fails (say, a StackOverflowError), so the monitor is never left
     * held; like javac's own handler it does not cover the monitorexit, so an IllegalMonitorStateException leaves.
     * Otherwise the flag stays and the hooks only report: {@code [monitor] [site] Hooks.syncMethodEntered} at entry,
     * {@code [monitor] Hooks.monitorExit} before each xRETURN and in a catch-all handler that rethrows.
     *
     * <p>The monitor is {@code this} (slot 0), the class constant for a static method ({@code Class.forName} before
     * version 49, which has no class constants). When slot 0 may not hold {@code this} all along (the method stores
     * into it, or a frame drops it), the flag stays and {@code this} is copied at entry into a new local, added to
     * every frame.
     */
    private void rewriteSynchronizedMethod(List<AbstractInsnNode> returns, int firstLine) {
        InsnList insns = method.instructions;
        boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
        boolean thisStaysInSlot0 = isStatic || (!writesSlot0() && framesKeepSlot0());
        boolean strip = mayChangeMethodFlags && thisStaysInSlot0;
        int monitorSlot = 0;
        if (!thisStaysInSlot0) {
            monitorSlot = Math.max(method.maxLocals, maxFrameSlots());
            addLocalToFrames(monitorSlot);
            method.maxLocals = monitorSlot + 1;
        }
        int site = codeSite(firstLine);

        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        LabelNode handler = new LabelNode();
        InsnList prologue = new InsnList();
        if (firstLine >= 0) {
            LabelNode lineLabel = new LabelNode();
            prologue.add(lineLabel);
            prologue.add(new LineNumberNode(firstLine, lineLabel));
        }
        if (monitorSlot != 0) {
            prologue.add(new VarInsnNode(Opcodes.ALOAD, 0));
            prologue.add(new InsnNode(Opcodes.DUP));
            prologue.add(new VarInsnNode(Opcodes.ASTORE, monitorSlot));
        } else {
            loadMonitor(prologue, isStatic, 0);
        }
        if (strip) {
            prologue.add(new InsnNode(Opcodes.DUP));
            prologue.add(intConstant(site));
            prologue.add(Hook.MONITOR_ENTER.insn());
            prologue.add(new InsnNode(Opcodes.MONITORENTER));
        } else {
            prologue.add(intConstant(site));
            prologue.add(Hook.SYNC_METHOD_ENTERED.insn());
        }
        prologue.add(start);
        if (strip && markMonitorEntered) {
            prologue.add(Hook.MONITOR_ENTERED.insn()); // inside [start, end): the handler releases the monitor
        }

        for (AbstractInsnNode ret : returns) {
            InsnList epilogue = new InsnList();
            loadMonitor(epilogue, isStatic, monitorSlot);
            if (strip) {
                epilogue.add(new InsnNode(Opcodes.DUP));
                epilogue.add(Hook.MONITOR_EXIT.insn());
                epilogue.add(new InsnNode(Opcodes.MONITOREXIT));
            } else {
                epilogue.add(Hook.MONITOR_EXIT.insn());
            }
            insns.insertBefore(ret, epilogue);
        }

        InsnList tail = new InsnList();
        tail.add(end);
        tail.add(handler);
        if (majorVersion >= Opcodes.V1_6) {
            Object[] locals;
            if (isStatic) {
                locals = new Object[0];
            } else {
                // Slot 0 (or the copy) as Object: assignable from whatever reference type a frame gives it.
                locals = new Object[monitorSlot + 1];
                for (int i = 0; i < monitorSlot; i++) {
                    locals[i] = Opcodes.TOP;
                }
                locals[monitorSlot] = OBJECT;
            }
            tail.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
        }
        loadMonitor(tail, isStatic, monitorSlot);
        LabelNode handlerExit = null;
        if (strip) {
            handlerExit = new LabelNode();
            tail.add(new InsnNode(Opcodes.DUP));
            tail.add(Hook.MONITOR_EXIT.insn());
            tail.add(handlerExit);
            tail.add(new InsnNode(Opcodes.MONITOREXIT));
        } else {
            tail.add(Hook.MONITOR_EXIT.insn());
        }
        tail.add(new InsnNode(Opcodes.ATHROW));

        insns.insert(prologue);
        insns.add(tail);
        // Last in the table: every handler of the original body is tried first.
        method.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
        if (handlerExit != null) {
            method.tryCatchBlocks.add(new TryCatchBlockNode(handler, handlerExit, handler, null));
        }
        if (strip) {
            method.access &= ~Opcodes.ACC_SYNCHRONIZED;
        }
    }

    /** Pushes the method's monitor. */
    private void loadMonitor(InsnList list, boolean isStatic, int slot) {
        if (!isStatic) {
            list.add(new VarInsnNode(Opcodes.ALOAD, slot));
        } else if (majorVersion >= Opcodes.V1_5) {
            list.add(new LdcInsnNode(Type.getObjectType(className)));
        } else {
            list.add(new LdcInsnNode(className.replace('/', '.')));
            list.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                    "(Ljava/lang/String;)Ljava/lang/Class;", false));
        }
    }

    private boolean writesSlot0() {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof VarInsnNode) {
                int opcode = insn.getOpcode();
                if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE && ((VarInsnNode) insn).var == 0) {
                    return true;
                }
            } else if (insn instanceof IincInsnNode && ((IincInsnNode) insn).var == 0) {
                return true;
            }
        }
        return false;
    }

    /** True when every stack map frame still gives slot 0 a reference type, so {@code aload 0} is valid everywhere. */
    private boolean framesKeepSlot0() {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode) {
                List<Object> locals = ((FrameNode) insn).local;
                if (locals == null || locals.isEmpty() || !(locals.get(0) instanceof String)) {
                    return false;
                }
            }
        }
        return true;
    }

    private int maxFrameSlots() {
        int max = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode) {
                max = Math.max(max, slots(((FrameNode) insn).local));
            }
        }
        return max;
    }

    /** Gives every (expanded) frame the new local {@code slot} holding {@code this}, as an Object. */
    private void addLocalToFrames(int slot) {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode) {
                FrameNode frame = (FrameNode) insn;
                if (frame.type != Opcodes.F_NEW) {
                    throw new IllegalStateException("frames were not expanded");
                }
                List<Object> locals = frame.local == null ? new ArrayList<Object>() : new ArrayList<Object>(frame.local);
                for (int used = slots(locals); used < slot; used++) {
                    locals.add(Opcodes.TOP);
                }
                locals.add(OBJECT);
                frame.local = locals;
            }
        }
    }

    private static int slots(List<Object> locals) {
        if (locals == null) {
            return 0;
        }
        int slots = 0;
        for (Object local : locals) {
            slots += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        return slots;
    }

    /**
     * The field a {@code monitorenter} locks the value of, when the code reads it straight from one: javac's
     * {@code getfield/getstatic; dup; astore n; monitorenter}, or the field load right before the monitorenter.
     * {@code last} is the node just before the monitorenter. Null when the value comes from anything else, or when a
     * label on the way means another path may supply it.
     */
    static FieldInsnNode lockedField(AbstractInsnNode last) {
        AbstractInsnNode p = previousThroughLines(last, true);
        if (p != null && p.getOpcode() == Opcodes.ASTORE) {
            AbstractInsnNode dup = previousThroughLines(p, false);
            if (dup == null || dup.getOpcode() != Opcodes.DUP) {
                return null;
            }
            p = previousThroughLines(dup, false);
        }
        if (p instanceof FieldInsnNode && (p.getOpcode() == Opcodes.GETFIELD || p.getOpcode() == Opcodes.GETSTATIC)) {
            FieldInsnNode f = (FieldInsnNode) p;
            return f.desc.startsWith("L") ? f : null;
        }
        return null;
    }

    /** {@code n} itself (when {@code inclusive}) or the instruction before it, passing line numbers but no label. */
    private static AbstractInsnNode previousThroughLines(AbstractInsnNode n, boolean inclusive) {
        AbstractInsnNode p = inclusive ? n : (n == null ? null : n.getPrevious());
        while (p instanceof LineNumberNode) {
            p = p.getPrevious();
        }
        return p instanceof LabelNode || p instanceof FrameNode ? null : p;
    }

    private int codeSite(int line) {
        return Sites.code(className, method.name, sourceFile, line);
    }

    private static AbstractInsnNode nextReal(AbstractInsnNode insn) {
        AbstractInsnNode next = insn.getNext();
        while (next != null && next.getOpcode() < 0) {
            next = next.getNext();
        }
        return next;
    }

    static AbstractInsnNode intConstant(int value) {
        if (value >= -1 && value <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + value);
        }
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, value);
        }
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, value);
        }
        return new LdcInsnNode(value);
    }

    /** A {@code new T; dup} of a lock type whose constructor call has not been seen yet. */
    private static final class PendingNew {
        final String type;
        /** Stack depth before the {@code new}: its value sits at this position, the copy right above. */
        final int depth;
        final int line;

        PendingNew(String type, int depth, int line) {
            this.type = type;
            this.depth = depth;
            this.line = line;
        }
    }
}
