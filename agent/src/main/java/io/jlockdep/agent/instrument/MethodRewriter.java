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
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
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
    private final String superName;
    private final String sourceFile;
    private final int majorVersion;
    private final boolean mayChangeMethodFlags;
    private final boolean markMonitorEntered;
    /** The class locks its instances ({@link #locksItself}) and is no JDK class: its constructors report the object. */
    private final boolean reportConstructed;
    private final MethodNode method;
    /** The store right after an allocation whose hook already gives the object the stored field's class. */
    private AbstractInsnNode storeOfHookedAllocation;

    MethodRewriter(String className, String superName, String sourceFile, int version, boolean mayChangeMethodFlags,
                   boolean markMonitorEntered, boolean reportConstructed, MethodNode method) {
        this.className = className;
        this.superName = superName;
        this.sourceFile = sourceFile;
        this.majorVersion = version & 0xFFFF;
        this.mayChangeMethodFlags = mayChangeMethodFlags;
        this.markMonitorEntered = markMonitorEntered;
        this.reportConstructed = reportConstructed;
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

    /**
     * Types whose {@code new} gets an {@code allocated} hook: the lock types, Object, and the JDK types whose instances
     * lock themselves ({@link #SELF_LOCKING_JDK_TYPES}).
     */
    static boolean isLockAllocation(String type) {
        switch (type) {
            case LOCKS + "ReentrantLock":
            case LOCKS + "ReentrantReadWriteLock":
            case LOCKS + "StampedLock":
            case OBJECT:
                return true;
            default:
                return SELF_LOCKING_JDK_TYPES.contains(type);
        }
    }

    /** The JDK types that lock themselves (see {@link ClassFilePreScan#SELF_LOCKING_JDK_TYPES}). */
    static final java.util.Set<String> SELF_LOCKING_JDK_TYPES = ClassFilePreScan.SELF_LOCKING_JDK_TYPES;

    /**
     * The JDK's factories of objects that lock themselves ({@code Collections.synchronizedList} and its kin): their
     * call is the allocation site of what they return. Name + descriptor.
     */
    static boolean isSelfLockingFactory(int opcode, String owner, String name) {
        return opcode == Opcodes.INVOKESTATIC && owner.equals("java/util/Collections")
                && name.startsWith("synchronized");
    }

    /** Field types whose stores get a {@code storedInField} hook: a lock stored there takes the field's class. */
    static boolean isLockField(String descriptor) {
        switch (descriptor) {
            case "L" + LOCKS + "ReentrantLock;":
            case "L" + LOCKS + "ReentrantReadWriteLock;":
            case "L" + LOCKS + "StampedLock;":
            case "L" + LOCKS + "Lock;":
            case "L" + LOCKS + "ReadWriteLock;":
                return true;
            default:
                return false;
        }
    }

    /** A class of the JDK, by internal name: its allocations are told by {@link #SELF_LOCKING_JDK_TYPES} alone. */
    static boolean isJdkClass(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/") || internalName.startsWith("com/sun/");
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
        // A receiver declared as a subclass of a lock type, which the rewriter cannot tell from any other class:
        // the blocking and trying acquisitions, by their exact signatures.
        return isLockOwner(owner) ? isLockMethodName(name)
                : opcode == Opcodes.INVOKEVIRTUAL && isAcquisitionSignature(name.concat(descriptor));
    }

    private static boolean isAcquisitionSignature(String nameAndDescriptor) {
        switch (nameAndDescriptor) {
            case "lock()V":
            case "lockInterruptibly()V":
            case "tryLock()Z":
            case "tryLock(JLjava/util/concurrent/TimeUnit;)Z":
                return true;
            default:
                return false;
        }
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
        boolean constructor = method.name.equals("<init>");
        int[] depths = hasLockAllocation(insns) || (constructor && hasLockStore(insns))
                ? StackDepths.compute(method) : null;
        // From which instruction on a field's owner may be handed to a hook: in a constructor, only once this is
        // initialized (a field of this may be assigned before super(), when the object is not usable yet).
        int ownerUsableAfter = !constructor ? -1 : depths == null ? Integer.MAX_VALUE : superCallIndex(depths);
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
                        if (allocation != null && insertAllocatedHook(call, allocation, index > ownerUsableAfter)) {
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
                case Opcodes.INVOKESTATIC: {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    if (isSelfLockingFactory(opcode, call.owner, call.name)) {
                        insertFactoryHook(call, line, index > ownerUsableAfter);
                        changed = true;
                    }
                    break;
                }
                case Opcodes.PUTFIELD:
                case Opcodes.PUTSTATIC: {
                    FieldInsnNode store = (FieldInsnNode) insn;
                    if (isLockField(store.desc) && insn != storeOfHookedAllocation
                            && (opcode == Opcodes.PUTSTATIC || index > ownerUsableAfter)) {
                        insertStoreHook(store, line);
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
        if (constructor && reportConstructed && !writesSlot0()) {
            for (AbstractInsnNode ret : returns) {
                InsnList hook = new InsnList();
                hook.add(new VarInsnNode(Opcodes.ALOAD, 0));
                hook.add(Hook.CONSTRUCTED.insn());
                insns.insertBefore(ret, hook);
                changed = true;
            }
        }
        if (isSynchronizedMethod(method.access, method.name)) {
            rewriteSynchronizedMethod(returns, firstLine);
            changed = true;
        }
        if (changed) {
            // Every inserted sequence needs at most three slots over the stack where it stands (a field's owner and
            // value copied, and a site), as do the prologue and the handler of a synchronized method (monitor, dup,
            // site / exception, monitor, dup).
            method.maxStack = Math.min(0xFFFF, Math.max(method.maxStack + 3, 3));
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

    private static boolean hasLockStore(InsnList insns) {
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.PUTFIELD && isLockField(((FieldInsnNode) insn).desc)
                    || insn instanceof MethodInsnNode && isSelfLockingFactory(insn.getOpcode(),
                    ((MethodInsnNode) insn).owner, ((MethodInsnNode) insn).name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * In a constructor, the index of the {@code super(...)} or {@code this(...)} call, after which {@code this} is
     * initialized on every path: the constructor call on this class or its superclass whose receiver is the only value
     * on the stack (a {@code new}'s receiver always has its own copy below it). {@code Integer.MAX_VALUE} when there
     * is none, or when a branch or a handler crosses it, so that some path might skip it.
     */
    private int superCallIndex(int[] depths) {
        AbstractInsnNode[] nodes = method.instructions.toArray();
        int call = -1;
        for (int i = 0; i < nodes.length && call < 0; i++) {
            if (nodes[i].getOpcode() == Opcodes.INVOKESPECIAL && depths[i] >= 0) {
                MethodInsnNode m = (MethodInsnNode) nodes[i];
                if (m.name.equals("<init>") && (m.owner.equals(className) || m.owner.equals(superName))
                        && depths[i] - StackDepths.argumentSlots(m.desc) - 1 == 0) {
                    call = i;
                }
            }
        }
        if (call < 0) {
            return Integer.MAX_VALUE;
        }
        InsnList insns = method.instructions;
        for (int i = 0; i < call; i++) {
            AbstractInsnNode n = nodes[i];
            List<LabelNode> targets = new ArrayList<>();
            if (n instanceof JumpInsnNode) {
                targets.add(((JumpInsnNode) n).label);
            } else if (n instanceof TableSwitchInsnNode) {
                targets.addAll(((TableSwitchInsnNode) n).labels);
                targets.add(((TableSwitchInsnNode) n).dflt);
            } else if (n instanceof LookupSwitchInsnNode) {
                targets.addAll(((LookupSwitchInsnNode) n).labels);
                targets.add(((LookupSwitchInsnNode) n).dflt);
            }
            for (LabelNode target : targets) {
                if (insns.indexOf(target) > call) {
                    return Integer.MAX_VALUE;
                }
            }
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            if (insns.indexOf(block.start) <= call && insns.indexOf(block.handler) > call) {
                return Integer.MAX_VALUE;
            }
        }
        return call;
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
     * site where it is first locked instead, at no cost to every other allocation. An object stored straight into an
     * instance field goes to {@code Hooks.allocatedIn} with the field's owner, when {@code ownerUsable}.
     */
    private boolean insertAllocatedHook(MethodInsnNode constructorCall, PendingNew allocation, boolean ownerUsable) {
        FieldInsnNode store = storeAfter(constructorCall);
        if (store == null && allocation.type.equals(OBJECT)) {
            return false;
        }
        int allocationId = Sites.allocation(allocation.type, codeSite(allocation.line),
                store == null ? null : store.owner, store == null ? null : store.name);
        insertRegistration(constructorCall, store, allocationId, ownerUsable);
        return true;
    }

    /** After {@code Collections.synchronizedList(...)} and its kin: the result is registered like an allocation. */
    private void insertFactoryHook(MethodInsnNode call, int line, boolean ownerUsable) {
        FieldInsnNode store = storeAfter(call);
        int allocationId = Sites.factoryCall(call.owner, call.name, codeSite(line), store == null ? null : store.owner,
                store == null ? null : store.name);
        insertRegistration(call, store, allocationId, ownerUsable);
    }

    private static boolean labelBetween(AbstractInsnNode from, AbstractInsnNode to) {
        for (AbstractInsnNode n = from.getNext(); n != null && n != to; n = n.getNext()) {
            if (n instanceof LabelNode) {
                return true;
            }
        }
        return false;
    }

    /** The field store right after {@code insn}, or null. */
    private static FieldInsnNode storeAfter(AbstractInsnNode insn) {
        AbstractInsnNode following = nextReal(insn);
        return following != null && (following.getOpcode() == Opcodes.PUTFIELD
                || following.getOpcode() == Opcodes.PUTSTATIC) ? (FieldInsnNode) following : null;
    }

    /**
     * After {@code insn}, which leaves a new object on the stack: {@code dup; [id]; Hooks.allocated}, or, before a
     * store into an instance field whose owner is usable, {@code dup2; [id]; Hooks.allocatedIn} (owner and object).
     */
    private void insertRegistration(AbstractInsnNode insn, FieldInsnNode store, int allocationId,
                                    boolean ownerUsable) {
        boolean withOwner = store != null && store.getOpcode() == Opcodes.PUTFIELD && ownerUsable;
        method.instructions.insert(insn, objectHook(withOwner ? Hook.ALLOCATED_IN : Hook.ALLOCATED, allocationId));
        // The store's own hook is left out only when nothing but this allocation reaches it (no label between).
        storeOfHookedAllocation = store != null && !labelBetween(insn, store) ? store : null;
    }

    /**
     * Before a store into a field of a lock type of a value that does not come straight from its allocation:
     * {@code dup2; [id]; Hooks.storedInField} with the owner, or {@code dup; [id]; Hooks.storedInField} for a static.
     */
    private void insertStoreHook(FieldInsnNode store, int line) {
        int fieldId = Sites.fieldStore(store.owner, store.name, codeSite(line));
        method.instructions.insertBefore(store,
                objectHook(store.getOpcode() == Opcodes.PUTFIELD ? Hook.STORED_IN_FIELD_OF : Hook.STORED_IN_FIELD, fieldId));
    }

    /**
     * {@code dup; [id]; Hooks.<name>(Object, int)} on the object on top of the stack, or, for a hook that also takes
     * the owner, {@code dup2; [id]; Hooks.<name>(Object, Object, int)} on the owner and the object a putfield is about
     * to store.
     */
    private static InsnList objectHook(Hook hook, int id) {
        boolean withOwner = hook.argumentCount() == 3;
        InsnList insns = new InsnList();
        insns.add(new InsnNode(withOwner ? Opcodes.DUP2 : Opcodes.DUP));
        insns.add(intConstant(id));
        insns.add(hook.insn());
        return insns;
    }

    /** {@code [obj args] invokevirtual wait/notify} becomes {@code [obj args] [site] Hooks.objectWait/...}. */
    private void replaceMonitorCall(MethodInsnNode call, Hook hook, int line) {
        method.instructions.insertBefore(call, intConstant(codeSite(line)));
        method.instructions.set(call, hook.insn());
    }

    /**
     * {@code [site]; Hooks.site} before a lock call. When the call takes no argument and its receiver is read straight
     * from a field ({@code this.lock.lock()}, {@code this.rw.writeLock().lock()}), the site names the field: a lock
     * that was allocated where jlockdep did not see it (before the agent started) is then classed by that field.
     */
    private void insertSiteHint(MethodInsnNode call, int line) {
        FieldInsnNode field = call.desc.startsWith("()") ? receiverField(call) : null;
        InsnList hook = new InsnList();
        hook.add(intConstant(field == null ? codeSite(line)
                : Sites.lockSite(className, method.name, sourceFile, line, field.owner, field.name)));
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

    /**
     * The field a no-argument call's receiver is read from: {@code getfield/getstatic} right before the call, or right
     * before a {@code readLock()}/{@code writeLock()} call that returns the receiver (a ReentrantReadWriteLock's view).
     */
    private static FieldInsnNode receiverField(MethodInsnNode call) {
        AbstractInsnNode p = previousThroughLines(call, false);
        if (p instanceof MethodInsnNode && ((MethodInsnNode) p).owner.equals(LOCKS + "ReentrantReadWriteLock")
                && ((MethodInsnNode) p).desc.startsWith("()")) {
            p = previousThroughLines(p, false);
        }
        if (p instanceof FieldInsnNode && (p.getOpcode() == Opcodes.GETFIELD || p.getOpcode() == Opcodes.GETSTATIC)
                && ((FieldInsnNode) p).desc.startsWith("L")) {
            return (FieldInsnNode) p;
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
