package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    /** The static initializer, by name and descriptor. */
    static final String INITIALIZER = "<clinit>()V";

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
     * Types whose {@code new} gets an {@code allocated} hook: the lock types, Object, the JDK types whose instances
     * lock themselves ({@link #SELF_LOCKING_JDK_TYPES}) and the synchronizers ({@link #SYNCHRONIZERS}).
     */
    static boolean isLockAllocation(String type) {
        switch (type) {
            case LOCKS + "ReentrantLock":
            case LOCKS + "ReentrantReadWriteLock":
            case LOCKS + "StampedLock":
            case OBJECT:
                return true;
            default:
                return SELF_LOCKING_JDK_TYPES.contains(type) || SYNCHRONIZERS.contains(type)
                        || PART_LOCKING_JDK_TYPES.contains(type);
        }
    }

    /**
     * JDK types whose instance methods lock internal parts of the object (see {@link PartMonitors}): their
     * {@code new} gets an {@code allocated} hook, so that each container has a class (its field, or its allocation
     * site) by which its parts are classed. A JDK class cannot be told to lock its parts when the allocating code is
     * rewritten (it may not be loaded yet), hence a list; {@code PartLockingJdkTypesTest} checks it against the JDK.
     */
    static final java.util.Set<String> PART_LOCKING_JDK_TYPES = java.util.Set.of(
            "java/util/concurrent/ConcurrentHashMap");

    /**
     * The synchronizers whose waits the wait-for check follows and which it classes by allocation site, like locks
     * (the runtime's {@code EventType.ofAllocatedType} names the same types).
     */
    static final java.util.Set<String> SYNCHRONIZERS = java.util.Set.of(
            "java/util/concurrent/CountDownLatch", "java/util/concurrent/Semaphore",
            "java/util/concurrent/CyclicBarrier", "java/util/concurrent/Phaser",
            "java/util/concurrent/CompletableFuture", "java/util/concurrent/LinkedBlockingQueue",
            "java/util/concurrent/ArrayBlockingQueue", "java/util/concurrent/LinkedBlockingDeque",
            "java/util/concurrent/PriorityBlockingQueue", "java/util/concurrent/LinkedTransferQueue");

    /**
     * JDK types whose instances are their own lock (synchronized methods, or {@code synchronized (this)} in their
     * methods) and that programs allocate for unrelated purposes all over: classed by their allocation site, not their
     * type, so that a program's own {@code new Properties()} is not one lock with the JVM's system properties. A JDK
     * class cannot be told to lock itself when the allocating code is rewritten (it may not be loaded yet), hence a
     * list; subclasses outside the JDK are found by their constructors (see {@code ClassInstrumenter}: a class that
     * locks itself reports each object it constructs).
     */
    static final java.util.Set<String> SELF_LOCKING_JDK_TYPES = java.util.Set.of(
            "java/util/Hashtable", "java/util/Properties", "java/util/Vector", "java/util/Stack",
            "java/lang/StringBuffer", "java/io/PrintStream", "java/io/ByteArrayOutputStream",
            "java/io/ByteArrayInputStream", "java/io/BufferedInputStream", "java/io/BufferedOutputStream",
            "java/io/PipedInputStream", "java/io/CharArrayWriter", "java/util/Observable");

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
        // Which new a constructor call initializes, and whether a monitorexit's release hook can be guarded, are told
        // by stack depth, computed before anything is inserted; frames by AnalyzerAdapter, for the guards' handlers.
        boolean constructor = method.name.equals("<init>");
        boolean exits = has(insns, Opcodes.MONITOREXIT);
        // A static initializer marks its class, and the objects it allocates and stores straight into the class's
        // static fields, as private to this thread until it ends (an object read from elsewhere may be shared). JDK
        // classes are left alone: most initialized before the agent started, and the others may be initialized by
        // jlockdep's own code while it runs (their objects are classed by type or allocation site as usual). A
        // retransformed class gets the hooks too (a method body may change); its initializer has usually run already
        // and never runs again, so they cost nothing then. Class files before Java 5 are left alone too: they cannot
        // load their own class as a constant, and Class.forName in an initializer may fail under an odd loader (the
        // marks only take reports away, so leaving them out is safe).
        boolean initializer = method.name.concat(method.desc).equals(INITIALIZER)
                && (method.access & Opcodes.ACC_STATIC) != 0 && !isJdkClass(className)
                && majorVersion >= Opcodes.V1_5;
        int[] depths = hasLockAllocation(insns) || (constructor && (hasLockStore(insns) || reportConstructed))
                || (exits && !hasFrames()) || initializer ? StackDepths.compute(method) : null;
        Map<AbstractInsnNode, FrameNode> exitFrames = exits && hasFrames() ? ExitFrames.at(className, method) : null;
        // From which instruction on a field's owner may be handed to a hook: in a constructor, only once this is
        // initialized (a field of this may be assigned before super(), when the object is not usable yet).
        int ownerUsableAfter = !constructor ? -1 : depths == null ? Integer.MAX_VALUE : superCallIndex(depths);
        // From there on, the object is being constructed on this thread: its monitor taken there cannot block.
        int constructingAfter = constructor && reportConstructed && !writesSlot0() ? ownerUsableAfter : -1;
        boolean instanceMethod = (method.access & Opcodes.ACC_STATIC) == 0 && !constructor
                && !method.name.equals("<clinit>");
        java.util.Set<AbstractInsnNode> partMonitors = instanceMethod && hasFrames() && has(insns, Opcodes.MONITORENTER)
                && !writesSlot0() ? PartMonitors.in(className, superName, method) : java.util.Set.of();
        List<PendingNew> pendingNews = new ArrayList<>();
        // In a static initializer, every new (not only a lock's), and the stores of such objects into the class's
        // own static fields right after their constructor call.
        List<PendingNew> initializerNews = new ArrayList<>();
        java.util.Set<AbstractInsnNode> freshStaticStores = new java.util.HashSet<>();
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
                    boolean part = partMonitors.contains(insn);
                    InsnList hook = new InsnList();
                    hook.add(new InsnNode(Opcodes.DUP));
                    if (part) {
                        hook.add(new VarInsnNode(Opcodes.ALOAD, 0)); // the container
                    }
                    hook.add(intConstant(field == null ? codeSite(line)
                            : Sites.lockSite(className, method.name, sourceFile, line, field.owner, field.name)));
                    hook.add((part ? Hook.MONITOR_ENTER_PART : Hook.MONITOR_ENTER).insn());
                    insns.insertBefore(insn, hook);
                    monitorEnters.add(insn);
                    changed = true;
                    break;
                }
                case Opcodes.MONITOREXIT: {
                    FrameNode frame = exitFrames == null ? null : exitFrames.get(insn);
                    boolean guarded = exitFrames != null ? frame != null
                            : depths != null && index < depths.length && depths[index] == 1;
                    insns.insertBefore(insn, guarded ? guardedExitHook(frame) : releaseHook(new InsnList()));
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
                    if (initializer && depths != null && depths[index] >= 0
                            && following != null && following.getOpcode() == Opcodes.DUP) {
                        initializerNews.add(new PendingNew(type, depths[index], line));
                    }
                    break;
                }
                case Opcodes.INVOKESPECIAL: {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    if (call.name.equals("<init>")) {
                        FieldInsnNode store = storeAfter(call);
                        if (initializer && store != null && store.getOpcode() == Opcodes.PUTSTATIC
                                && store.owner.equals(className) && !labelBetween(call, store)
                                && matchingNew(initializerNews, call, depths, index) != null) {
                            freshStaticStores.add(store);
                        }
                        PendingNew allocation = matchingNew(pendingNews, call, depths, index);
                        if (allocation != null && insertAllocatedHook(call, allocation, index > ownerUsableAfter)) {
                            changed = true;
                        } else if (allocation == null && hintsConstruction(call, constructor)) {
                            insertAllocatingHint(call, line);
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
                    if (freshStaticStores.contains(insn)) {
                        InsnList hook = new InsnList();
                        hook.add(new InsnNode(Opcodes.DUP));
                        loadMonitor(hook, true, 0);
                        hook.add(Hook.INITIALIZER_STORED.insn());
                        insns.insertBefore(insn, hook);
                        changed = true; // before the store's own hook, which stays right before the store
                    }
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
            if (index == constructingAfter) {
                InsnList hook = new InsnList();
                hook.add(new VarInsnNode(Opcodes.ALOAD, 0));
                hook.add(Hook.CONSTRUCTING.insn());
                insns.insert(insn, hook);
                changed = true;
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
        // Before the synchronized method's rewriting, which may add a local to every frame, theirs included; its
        // catch-all handler goes in between, so that its range ends with the method's own code.
        AbstractInsnNode codeEnd = insns.getLast();
        appendGuardHandlers();
        if (isSynchronizedMethod(method.access, method.name)) {
            rewriteSynchronizedMethod(returns, firstLine, codeEnd);
            changed = true;
        } else if (initializer) {
            wrapInitializer(returns, codeEnd);
            changed = true;
        }
        appendGuardHandlers();
        method.tryCatchBlocks.addAll(0, guardRanges);
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

    private static boolean has(InsnList insns, int opcode) {
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == opcode) {
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

    /** Class files of version 50 and later carry stack map frames, which new branch targets must get. */
    private boolean hasFrames() {
        return majorVersion >= Opcodes.V1_6;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Guarded release hooks
    //
    // A release hook runs before the monitorexit (or the return) that releases the monitor. If the call into the hook
    // itself overflows the stack, the monitorexit must still run: otherwise the method leaves with the monitor held,
    // or, inside the exception handler javac writes for a synchronized block (which covers itself, to retry its
    // monitorexit), the handler calls the hook again, overflows again, and spins for ever. So each release hook call
    // gets a handler of its own, first in the exception table: it drops what the call threw and does what the code
    // after the call does, without the hook. The release is then unknown to jlockdep, which finds out from the JVM
    // before it next trusts that record.

    /** The guards' handlers, appended after the code. */
    private final InsnList guardHandlers = new InsnList();
    /** The guards' ranges (each a release hook call), put first in the exception table. */
    private final List<TryCatchBlockNode> guardRanges = new ArrayList<>();

    /** A handler for guards, appended after the code; returns its label. */
    private LabelNode guardHandler(InsnList code) {
        LabelNode label = new LabelNode();
        guardHandlers.add(label);
        guardHandlers.add(code);
        return label;
    }

    /** The hook call {@code [start, end)} goes on at {@code handler} if the call throws. */
    private void guard(LabelNode start, LabelNode end, LabelNode handler) {
        guardRanges.add(new TryCatchBlockNode(start, end, handler, null));
    }

    /** {@code [monitor] dup Hooks.monitorExit}: stack-neutral, the monitor stays for the monitorexit. */
    private static InsnList releaseHook(InsnList list) {
        list.add(new InsnNode(Opcodes.DUP));
        list.add(Hook.MONITOR_EXIT.insn());
        return list;
    }

    /**
     * The release hook of a monitorexit, guarded. {@code frame} is the frame there (null for a class file without
     * frames, whose monitorexit then finds nothing but its monitor on the stack); the values under the monitor (a
     * return value inside a synchronized block, say) wait in fresh locals S while the hook runs:
     * <pre>
     *   [values monitor] astore T xstore S... xload S... aload T dup  start: Hooks.monitorExit  end: monitorexit ...
     *   handler: pop xload S... aload T goto end
     * </pre>
     */
    private InsnList guardedExitHook(FrameNode frame) {
        int t = guardSlot();
        List<Object> below = frame == null ? new ArrayList<Object>() : frame.stack.subList(0, frame.stack.size() - 1);
        int[] spill = new int[below.size()];
        List<Object> locals = frame == null ? null : withLocal(frame.local, t, OBJECT);
        for (int i = 0; i < spill.length; i++) {
            spill[i] = newLocal(isWide(below.get(i)) ? 2 : 1);
            locals = withLocal(locals, spill[i], below.get(i));
        }
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        InsnList hook = new InsnList();
        hook.add(new VarInsnNode(Opcodes.ASTORE, t));
        for (int i = spill.length - 1; i >= 0; i--) {
            hook.add(new VarInsnNode(frameValueOpcode(below.get(i), Opcodes.ISTORE), spill[i]));
        }
        reload(hook, below, spill, t);
        hook.add(new InsnNode(Opcodes.DUP));
        hook.add(start);
        hook.add(Hook.MONITOR_EXIT.insn());
        hook.add(end);
        InsnList handler = new InsnList();
        if (frame != null) {
            List<Object> stack = new ArrayList<Object>(below);
            stack.add(OBJECT);
            hook.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.size(), stack.toArray()));
            handler.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {THROWABLE}));
        }
        handler.add(new InsnNode(Opcodes.POP));
        reload(handler, below, spill, t);
        handler.add(new JumpInsnNode(Opcodes.GOTO, end));
        guard(start, end, guardHandler(handler));
        return hook;
    }

    /** Pushes the spilled values back, then the monitor. */
    private static void reload(InsnList list, List<Object> values, int[] slots, int monitor) {
        for (int i = 0; i < slots.length; i++) {
            list.add(new VarInsnNode(frameValueOpcode(values.get(i), Opcodes.ILOAD), slots[i]));
        }
        list.add(new VarInsnNode(Opcodes.ALOAD, monitor));
    }

    private static boolean isWide(Object frameValue) {
        return frameValue == Opcodes.LONG || frameValue == Opcodes.DOUBLE;
    }

    /** The load or store ({@code base} ILOAD or ISTORE) for a value of this frame type. */
    private static int frameValueOpcode(Object frameValue, int base) {
        if (frameValue == Opcodes.INTEGER) {
            return base;
        }
        if (frameValue == Opcodes.LONG) {
            return base + 1;
        }
        if (frameValue == Opcodes.FLOAT) {
            return base + 2;
        }
        if (frameValue == Opcodes.DOUBLE) {
            return base + 3;
        }
        return base + 4; // a reference, or null
    }

    private int guardSlot = -1;

    /** The local the guarded monitorexits keep their monitor in, one for the whole method. */
    private int guardSlot() {
        if (guardSlot < 0) {
            guardSlot = newLocal(1);
        }
        return guardSlot;
    }

    /** A new local of {@code size} slots, above every slot the code or its frames use. */
    private int newLocal(int size) {
        int slot = Math.max(method.maxLocals, maxFrameSlots());
        method.maxLocals = slot + size;
        return slot;
    }

    /**
     * A frame's locals (one entry per value, as in frames) with {@code type} put in slot {@code slot}; null for a class
     * file without frames.
     */
    private static List<Object> withLocal(List<Object> locals, int slot, Object type) {
        if (locals == null) {
            return null;
        }
        List<Object> out = new ArrayList<Object>(locals);
        int used = slots(out);
        if (used > slot) {
            throw new IllegalStateException("slot " + slot + " is in use");
        }
        for (; used < slot; used++) {
            out.add(Opcodes.TOP);
        }
        out.add(type);
        return out;
    }

    /** Locals of a guard's handler frame: nothing but {@code types} in {@code slots}, TOP everywhere below them. */
    private static Object[] sparseLocals(int[] slots, Object[] types) {
        List<Object> out = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0) {
                continue;
            }
            for (; used < slots[i]; used++) {
                out.add(Opcodes.TOP);
            }
            out.add(types[i]);
            used += types[i] == Opcodes.LONG || types[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        return out.toArray();
    }

    /** Appends the guards' handlers made so far after the code (never inside the walk: it would visit them). */
    private void appendGuardHandlers() {
        method.instructions.add(guardHandlers);
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

    /**
     * Whether this constructor call gets an {@code allocating} hint: it initializes a fresh {@code new} of a type outside
     * the JDK that gets no {@code allocated} hook. Whether that type locks itself is unknown here (it is loaded when the
     * {@code new} first runs), so the runtime decides it on the first hint. Outside constructors every constructor call
     * initializes a fresh object; in a constructor, a call on its own class or superclass may be its {@code this(...)}
     * or {@code super(...)} call, so those get none (the walk finds those objects' sites). Class files before Java 5
     * cannot load a class constant, and get none either.
     */
    private boolean hintsConstruction(MethodInsnNode constructorCall, boolean inConstructor) {
        String type = constructorCall.owner;
        return majorVersion >= Opcodes.V1_5 && !type.startsWith("[") && !isJdkClass(type) && !isLockAllocation(type)
                && !(inConstructor && (type.equals(className) || type.equals(superName)));
    }

    /**
     * Right before the constructor call, with the arguments on the stack: {@code ldc type; [site]; Hooks.allocating}.
     * The site is registered as the stack walk from the constructor would register it (the caller's class, method,
     * file and the line of this call, then the allocation of the type there), so both give the object the same class.
     */
    private void insertAllocatingHint(MethodInsnNode constructorCall, int line) {
        InsnList hook = new InsnList();
        hook.add(new LdcInsnNode(Type.getObjectType(constructorCall.owner)));
        hook.add(intConstant(Sites.allocation(constructorCall.owner, codeSite(line), null, null)));
        hook.add(Hook.ALLOCATING.insn());
        method.instructions.insertBefore(constructorCall, hook);
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
     *   start: ...body, each xRETURN preceded by [value] xstore R [monitor] dup Hooks.monitorExit monitorexit xload R
     *   end:
     *   handler: astore E [monitor] dup Hooks.monitorExit monitorexit aload E athrow
     *   try [start, end) catch any -> handler
     * </pre>
     * Each monitorExit call is guarded (see {@link Guard}): its handler releases the monitor without the hook and goes
     * on to the return or the throw, so the monitor is never left held and no handler covers itself. Like javac's own
     * handler, nothing covers the handler's monitorexit, so an IllegalMonitorStateException leaves. Otherwise the flag
     * stays and the hooks only report: {@code [monitor] [site] Hooks.syncMethodEntered} at entry, a guarded
     * {@code [monitor] Hooks.monitorExit} before each xRETURN and in a catch-all handler that rethrows.
     *
     * <p>The monitor is {@code this} (slot 0), the class constant for a static method ({@code Class.forName} before
     * version 49, which has no class constants). When slot 0 may not hold {@code this} all along (the method stores
     * into it, or a frame drops it), the flag stays and {@code this} is copied at entry into a new local, added to
     * every frame.
     */
    private void rewriteSynchronizedMethod(List<AbstractInsnNode> returns, int firstLine, AbstractInsnNode codeEnd) {
        InsnList insns = method.instructions;
        boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
        boolean thisStaysInSlot0 = isStatic || (!writesSlot0() && framesKeepSlot0());
        boolean strip = mayChangeMethodFlags && thisStaysInSlot0;
        int monitorSlot = 0;
        if (!thisStaysInSlot0) {
            monitorSlot = newLocal(1);
            addLocalToFrames(monitorSlot);
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

        // Where each guard's handler finds the monitor: a local, or none for a static method's class constant.
        int monitorLocal = isStatic ? -1 : monitorSlot;
        Type returnType = Type.getReturnType(method.desc);
        int result = returnType.getSort() == Type.VOID ? -1 : newLocal(returnType.getSize());
        LabelNode returnHandler = null; // one for every return: they all go on alike
        for (AbstractInsnNode ret : returns) {
            if (returnHandler == null) {
                InsnList code = new InsnList();
                if (hasFrames()) {
                    Object[] locals = sparseLocals(new int[] {monitorLocal, result},
                            new Object[] {OBJECT, frameType(returnType)});
                    code.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
                }
                code.add(new InsnNode(Opcodes.POP));
                releaseWithoutHook(code, isStatic, monitorSlot, strip);
                returnValue(code, returnType, result);
                code.add(new InsnNode(ret.getOpcode()));
                returnHandler = guardHandler(code);
            }
            InsnList epilogue = new InsnList();
            if (result >= 0) {
                epilogue.add(new VarInsnNode(returnType.getOpcode(Opcodes.ISTORE), result));
            }
            epilogue.add(guardedRelease(isStatic, monitorSlot, strip, returnHandler));
            returnValue(epilogue, returnType, result);
            insns.insertBefore(ret, epilogue);
        }

        int exception = newLocal(1);
        InsnList tail = new InsnList();
        tail.add(end);
        tail.add(handler);
        if (hasFrames()) {
            Object[] locals = isStatic ? new Object[0] : sparseLocals(new int[] {monitorSlot}, new Object[] {OBJECT});
            tail.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
        }
        tail.add(new VarInsnNode(Opcodes.ASTORE, exception));
        InsnList throwHandler = new InsnList();
        if (hasFrames()) {
            Object[] locals = sparseLocals(new int[] {monitorLocal, exception}, new Object[] {OBJECT, THROWABLE});
            throwHandler.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
        }
        throwHandler.add(new InsnNode(Opcodes.POP));
        releaseWithoutHook(throwHandler, isStatic, monitorSlot, strip);
        throwHandler.add(new VarInsnNode(Opcodes.ALOAD, exception));
        throwHandler.add(new InsnNode(Opcodes.ATHROW));
        tail.add(guardedRelease(isStatic, monitorSlot, strip, guardHandler(throwHandler)));
        tail.add(new VarInsnNode(Opcodes.ALOAD, exception));
        tail.add(new InsnNode(Opcodes.ATHROW));

        insns.insert(prologue);
        insns.insert(codeEnd, tail);
        // Last in the table: every handler of the original body is tried first.
        method.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
        if (strip) {
            method.access &= ~Opcodes.ACC_SYNCHRONIZED;
        }
    }

    /**
     * A static initializer of class C, between {@code Hooks.initializing(C)} and {@code Hooks.initialized(C)}:
     * <pre>
     *   [C] Hooks.initializing
     *   start: ...body, each return preceded by [C] Hooks.initialized
     *   end:
     *   handler: astore E [C] Hooks.initialized aload E athrow
     *   try [start, end) catch any -> handler
     * </pre>
     * and {@code dup [C] Hooks.initializerStored} before each store of a new object straight into a static field of C.
     * Each {@code initialized} call is guarded (see {@link #guard}): if the call itself overflows the stack, the
     * initializer returns or rethrows all the same (its marks then stay until newer ones push them out).
     */
    private void wrapInitializer(List<AbstractInsnNode> returns, AbstractInsnNode codeEnd) {
        InsnList insns = method.instructions;
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        LabelNode handler = new LabelNode();
        InsnList prologue = new InsnList();
        loadMonitor(prologue, true, 0);
        prologue.add(Hook.INITIALIZING.insn());
        prologue.add(start);

        LabelNode returnHandler = null; // one for every return: they all go on alike
        for (AbstractInsnNode ret : returns) {
            if (returnHandler == null) {
                InsnList code = new InsnList();
                if (hasFrames()) {
                    code.add(new FrameNode(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {THROWABLE}));
                }
                code.add(new InsnNode(Opcodes.POP));
                code.add(new InsnNode(Opcodes.RETURN));
                returnHandler = guardHandler(code);
            }
            insns.insertBefore(ret, guardedInitialized(returnHandler));
        }

        int exception = newLocal(1);
        InsnList tail = new InsnList();
        tail.add(end);
        tail.add(handler);
        if (hasFrames()) {
            tail.add(new FrameNode(Opcodes.F_NEW, 0, new Object[0], 1, new Object[] {THROWABLE}));
        }
        tail.add(new VarInsnNode(Opcodes.ASTORE, exception));
        InsnList throwHandler = new InsnList();
        if (hasFrames()) {
            Object[] locals = sparseLocals(new int[] {exception}, new Object[] {THROWABLE});
            throwHandler.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
        }
        throwHandler.add(new InsnNode(Opcodes.POP));
        throwHandler.add(new VarInsnNode(Opcodes.ALOAD, exception));
        throwHandler.add(new InsnNode(Opcodes.ATHROW));
        tail.add(guardedInitialized(guardHandler(throwHandler)));
        tail.add(new VarInsnNode(Opcodes.ALOAD, exception));
        tail.add(new InsnNode(Opcodes.ATHROW));

        insns.insert(prologue);
        insns.insert(codeEnd, tail);
        // Last in the table: every handler of the original body is tried first.
        method.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    }

    /** {@code [C] start: Hooks.initialized end:}, the call guarded by {@code handler}. */
    private InsnList guardedInitialized(LabelNode handler) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        InsnList list = new InsnList();
        loadMonitor(list, true, 0);
        list.add(start);
        list.add(Hook.INITIALIZED.insn());
        list.add(end);
        guard(start, end, handler);
        return list;
    }

    /**
     * {@code [monitor] (dup) start: Hooks.monitorExit end: (monitorexit)}, the call guarded by {@code handler}; the
     * monitorexit only when the flag was stripped.
     */
    private InsnList guardedRelease(boolean isStatic, int monitorSlot, boolean strip, LabelNode handler) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        InsnList list = new InsnList();
        loadMonitor(list, isStatic, monitorSlot);
        if (strip) {
            list.add(new InsnNode(Opcodes.DUP));
        }
        list.add(start);
        list.add(Hook.MONITOR_EXIT.insn());
        list.add(end);
        if (strip) {
            list.add(new InsnNode(Opcodes.MONITOREXIT));
        }
        guard(start, end, handler);
        return list;
    }

    /** What a guard's handler does instead of the hook: the monitorexit alone, when the flag was stripped. */
    private void releaseWithoutHook(InsnList list, boolean isStatic, int monitorSlot, boolean strip) {
        if (strip) {
            loadMonitor(list, isStatic, monitorSlot);
            list.add(new InsnNode(Opcodes.MONITOREXIT));
        }
    }

    private static void returnValue(InsnList list, Type returnType, int result) {
        if (result >= 0) {
            list.add(new VarInsnNode(returnType.getOpcode(Opcodes.ILOAD), result));
        }
    }

    /** A return value's type as a frame holds it. */
    static Object frameType(Type t) {
        switch (t.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            default:
                return t.getInternalName();
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
