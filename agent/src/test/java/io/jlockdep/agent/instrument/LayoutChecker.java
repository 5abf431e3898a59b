package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.TestSupport.HOOKS;
import static io.jlockdep.agent.instrument.TestSupport.count;
import static io.jlockdep.agent.instrument.TestSupport.countHooks;
import static io.jlockdep.agent.instrument.TestSupport.firstLine;
import static io.jlockdep.agent.instrument.TestSupport.intValue;
import static io.jlockdep.agent.instrument.TestSupport.isHook;
import static io.jlockdep.agent.instrument.TestSupport.isOpcode;
import static io.jlockdep.agent.instrument.TestSupport.lineOf;
import static io.jlockdep.agent.instrument.TestSupport.nextReal;
import static io.jlockdep.agent.instrument.TestSupport.prevReal;
import static io.jlockdep.agent.instrument.TestSupport.realInsns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jlockdep.runtime.lockclass.Sites;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Checks, instruction by instruction, that a rewritten class has its hooks where they belong and nothing else changed.
 * What "belongs" is worked out here independently of the instrumenter: the lock calls from this class's own lists, the
 * allocations by a data-flow analysis of which {@code new} each constructor call initializes, the wait/notify
 * replacements from {@link #MONITOR_CALLS}.
 */
final class LayoutChecker {
    static final Set<String> LOCK_OWNERS = new HashSet<>(Arrays.asList(
            "java/util/concurrent/locks/ReentrantLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock",
            "java/util/concurrent/locks/Lock",
            "java/util/concurrent/locks/StampedLock",
            "java/util/concurrent/locks/Condition"));
    static final Set<String> LOCK_METHODS = new HashSet<>(Arrays.asList(
            "lock", "lockInterruptibly", "tryLock", "readLock", "writeLock", "readLockInterruptibly",
            "writeLockInterruptibly", "tryReadLock", "tryWriteLock", "tryConvertToWriteLock", "tryConvertToReadLock",
            "await", "awaitNanos", "awaitUntil", "awaitUninterruptibly"));
    /**
     * Object's final wait/notify methods, name+descriptor → {hook name, hook descriptor}: a virtual or interface call
     * of one (whatever the owner: javac names the receiver's static type, an interface or an array type too) is
     * replaced by the hook, which takes the same arguments plus the site. An invokespecial ({@code super.wait()})
     * is not; of those, only wait gets a site hint.
     */
    static final Map<String, String[]> MONITOR_CALLS = Map.of(
            "wait()V", new String[] {"objectWait", "(Ljava/lang/Object;I)V"},
            "wait(J)V", new String[] {"objectWait", "(Ljava/lang/Object;JI)V"},
            "wait(JI)V", new String[] {"objectWait", "(Ljava/lang/Object;JII)V"},
            "notify()V", new String[] {"objectNotify", "(Ljava/lang/Object;I)V"},
            "notifyAll()V", new String[] {"objectNotifyAll", "(Ljava/lang/Object;I)V"});
    static final Set<String> MONITOR_HOOKS = Set.of("objectWait", "objectNotify", "objectNotifyAll");
    /** Types whose allocation is reported: the locks, Object, and the synchronizers the wait-for check classes. */
    static final Set<String> ALLOCATED_TYPES = new HashSet<>(Arrays.asList(
            "java/util/concurrent/locks/ReentrantLock", "java/util/concurrent/locks/ReentrantReadWriteLock",
            "java/util/concurrent/locks/StampedLock", "java/lang/Object",
            "java/util/concurrent/CountDownLatch", "java/util/concurrent/Semaphore",
            "java/util/concurrent/CyclicBarrier", "java/util/concurrent/Phaser",
            "java/util/concurrent/CompletableFuture", "java/util/concurrent/LinkedBlockingQueue",
            "java/util/concurrent/ArrayBlockingQueue", "java/util/concurrent/LinkedBlockingDeque",
            "java/util/concurrent/PriorityBlockingQueue", "java/util/concurrent/LinkedTransferQueue"));

    static {
        ALLOCATED_TYPES.addAll(MethodRewriter.SELF_LOCKING_JDK_TYPES);
        ALLOCATED_TYPES.addAll(MethodRewriter.PART_LOCKING_JDK_TYPES);
    }

    /** Field types whose stores (of a value not straight from its allocation) get a storedInField hook. */
    static final Set<String> LOCK_FIELD_TYPES = Set.of("Ljava/util/concurrent/locks/ReentrantLock;",
            "Ljava/util/concurrent/locks/ReentrantReadWriteLock;", "Ljava/util/concurrent/locks/StampedLock;",
            "Ljava/util/concurrent/locks/Lock;", "Ljava/util/concurrent/locks/ReadWriteLock;");
    /** Acquisitions hinted whatever the receiver's declared type (a subclass of a lock type). */
    static final Set<String> ACQUISITIONS = Set.of("lock()V", "lockInterruptibly()V", "tryLock()Z",
            "tryLock(JLjava/util/concurrent/TimeUnit;)Z");

    /** What the checks found, for assertions across a whole set of classes. */
    static final class Totals {
        int monitorEnters;
        int strippedMethods;
        int keptSyncMethods;
        int allocations;
        int fieldAllocations;
        /** Allocations stored into an instance field with its owner handed to the hook (allocatedIn). */
        int ownedAllocations;
        int factoryCalls;
        int storeHooks;
        int constructedHooks;
        int constructingHooks;
        /** Static initializers wrapped in initializing/initialized, and their stores into their class's statics. */
        int initializers;
        int initializerStores;
        int partMonitors;
        int siteHints;
        /** Of the site hints, those before an invokespecial Object.wait. */
        int specialWaitHints;
        /** Replaced wait/notify calls by original name+descriptor; "invokeinterface" counts those of that opcode. */
        final Map<String, Integer> replaced = new TreeMap<>();

        int replacedTotal() {
            int n = 0;
            for (Map.Entry<String, Integer> e : replaced.entrySet()) {
                if (!e.getKey().equals("invokeinterface")) {
                    n += e.getValue();
                }
            }
            return n;
        }
        final List<String> fieldKeys = new ArrayList<>();
        /** monitorenters whose monitor is read straight from a field, named after it. */
        int fieldMonitors;
    }

    private LayoutChecker() {
    }

    /** True when the class has something the instrumenter must rewrite. */
    static boolean expectsChanges(ClassNode original) {
        for (MethodNode m : original.methods) {
            if (m.instructions.size() == 0) {
                continue;
            }
            if (isSyncWithCode(m) || count(m, Opcodes.MONITORENTER) > 0 || count(m, Opcodes.MONITOREXIT) > 0
                    || !expectedHints(m).isEmpty() || !expectedReplacements(m).isEmpty()
                    || !expectedAllocations(original.name, m).isEmpty() || !factoryCalls(m).isEmpty()
                    || !expectedStores(original.name, m).isEmpty()
                    || (m.name.equals("<init>") && reportsConstructed(original))) {
                return true;
            }
        }
        return false;
    }

    static void checkClass(ClassNode original, ClassNode rewritten, boolean mayChangeMethodFlags, Totals totals) {
        assertEquals(original.name, rewritten.name);
        assertEquals(original.version, rewritten.version, "class file version");
        assertEquals(original.access, rewritten.access);
        assertEquals(original.superName, rewritten.superName);
        assertEquals(original.interfaces, rewritten.interfaces);
        assertEquals(describeFields(original), describeFields(rewritten), "fields of " + original.name);
        assertEquals(original.methods.size(), rewritten.methods.size(), "methods of " + original.name);
        for (int i = 0; i < original.methods.size(); i++) {
            MethodNode o = original.methods.get(i);
            MethodNode r = rewritten.methods.get(i);
            assertEquals(o.name + o.desc, r.name + r.desc, "method order of " + original.name);
            checkMethod(original, o, r, mayChangeMethodFlags, totals);
        }
    }

    private static void checkMethod(ClassNode owner, MethodNode o, MethodNode r, boolean mayChangeMethodFlags,
                                    Totals totals) {
        String where = owner.name + "." + o.name + o.desc;
        boolean sync = isSyncWithCode(o);
        boolean strip = sync && mayChangeMethodFlags;
        if (strip) {
            assertEquals(o.access & ~Opcodes.ACC_SYNCHRONIZED, r.access, "flags of " + where);
            totals.strippedMethods++;
        } else {
            assertEquals(o.access, r.access, "flags of " + where);
            if (sync) {
                totals.keptSyncMethods++;
            }
        }
        if (o.instructions.size() == 0) {
            assertEquals(0, r.instructions.size(), where);
            return;
        }
        int returns = countReturns(o);

        // monitorenter / monitorexit: each wrapped, with the site of its own line
        for (AbstractInsnNode n : realInsns(r)) {
            if (n.getOpcode() == Opcodes.MONITORENTER) {
                // A part of this (a value of a type nested in the class) goes with this: dup; aload 0; [site]
                boolean part = isHook(prevReal(n, 1), "monitorEnterPart");
                assertTrue(part || isHook(prevReal(n, 1), "monitorEnter"), "monitorEnter before monitorenter in "
                        + where);
                Integer site = intValue(prevReal(n, 2));
                assertNotNull(site, "site constant in " + where);
                if (part) {
                    AbstractInsnNode self = prevReal(n, 3);
                    assertTrue(self instanceof VarInsnNode && self.getOpcode() == Opcodes.ALOAD
                            && ((VarInsnNode) self).var == 0 && (o.access & Opcodes.ACC_STATIC) == 0
                            && !o.name.equals("<init>"), "aload 0 of an instance method's part in " + where);
                    totals.partMonitors++;
                }
                AbstractInsnNode hookStart = part ? prevReal(n, 1) : n; // the rest as for any monitorenter
                FieldInsnNode field = MethodRewriter.lockedField(prevReal(hookStart, 3).getPrevious());
                assertEquals(field == null ? Sites.code(owner.name, o.name, owner.sourceFile, lineOf(n))
                        : Sites.lockSite(owner.name, o.name, owner.sourceFile, lineOf(n), field.owner, field.name),
                        site.intValue(), "monitorenter site in " + where);
                if (field != null) {
                    totals.fieldMonitors++;
                }
                assertTrue(isOpcode(prevReal(hookStart, 3), Opcodes.DUP), "dup before the hook in " + where);
                totals.monitorEnters++;
            } else if (n.getOpcode() == Opcodes.MONITOREXIT && !isInGuardHandler(r, n)) {
                assertTrue(isHook(prevReal(n, 1), "monitorExit"), "monitorExit before monitorexit in " + where);
                assertTrue(isOpcode(prevReal(n, 2), Opcodes.DUP), "dup before the hook in " + where);
            }
        }
        int guards = checkGuards(r, where);
        int enters = count(o, Opcodes.MONITORENTER) + (strip ? 1 : 0);
        int exits = count(o, Opcodes.MONITOREXIT) + (strip ? returns + 1 : 0);
        // A stripped method's guard handlers release the monitor themselves: one for the returns, one for the throw.
        int handlerExits = strip ? (returns > 0 ? 1 : 0) + 1 : 0;
        assertEquals(enters, count(r, Opcodes.MONITORENTER), "monitorenters in " + where);
        assertEquals(exits + handlerExits, count(r, Opcodes.MONITOREXIT), "monitorexits in " + where);
        assertEquals(enters, countHooks(r, "monitorEnter") + countHooks(r, "monitorEnterPart"),
                "monitorEnter hooks in " + where);
        assertEquals(exits + (sync && !strip ? returns + 1 : 0), countHooks(r, "monitorExit"),
                "monitorExit hooks in " + where);
        // Every release hook of a synchronized method is guarded; a monitorexit of the code is when it finds only its
        // monitor on the stack (always, in javac's code)
        boolean initializer = isInitializer(owner, o);
        int releaseGuards = guards - (initializer ? returns + 1 : 0);
        assertTrue(releaseGuards >= (sync ? returns + 1 : 0) && releaseGuards <= countHooks(r, "monitorExit"),
                releaseGuards + " guarded release hooks in " + where);
        assertEquals(sync && !strip ? 1 : 0, countHooks(r, "syncMethodEntered"), "syncMethodEntered in " + where);

        if (sync) {
            checkSynchronizedMethod(owner, o, r, strip, where);
        }
        checkSiteHints(owner, o, r, where, totals);
        checkAllocations(owner, o, r, where, totals);
        checkStores(owner, o, r, where, totals);
        checkConstructed(owner, o, r, where, totals);
        int initializerPrologue = checkInitializer(owner, o, r, initializer, returns, where, totals);
        // The prologue of a synchronized method or an initializer, checked above, is not matched against the
        // original's first instructions (its aload 0 / ldc would stand in for the body's own).
        AbstractInsnNode[] kept = checkRestUnchanged(o, r, sync ? (strip ? 5 : 3) : initializerPrologue, where);
        checkReplacements(owner, o, r, kept, where, totals);
        assertEquals(o.tryCatchBlocks.size() + (sync || initializer ? 1 : 0) + guards, r.tryCatchBlocks.size(),
                "exception table of " + where);
    }

    /** The static initializer of a class that is no JDK class: wrapped (see {@code MethodRewriter.wrapInitializer}). */
    private static boolean isInitializer(ClassNode owner, MethodNode o) {
        return o.name.concat(o.desc).equals(MethodRewriter.INITIALIZER) && (o.access & Opcodes.ACC_STATIC) != 0
                && !MethodRewriter.isJdkClass(owner.name);
    }

    /**
     * A static initializer of class C: {@code [C] initializing} first; {@code [C] initialized} before each return and
     * in a catch-all handler that rethrows, each call guarded; {@code dup [C] initializerStored} before each store of
     * a new object straight into a static field of C (before that store's own hook, if it has one). Returns the length
     * of the prologue. Anything else: no such hook.
     */
    private static int checkInitializer(ClassNode owner, MethodNode o, MethodNode r, boolean initializer, int returns,
                                        String where, Totals totals) {
        if (!initializer) {
            assertEquals(0, countHooks(r, "initializing") + countHooks(r, "initialized")
                    + countHooks(r, "initializerStored"), "initializer hooks in " + where);
            return 0;
        }
        List<AbstractInsnNode> insns = realInsns(r);
        assertTrue(isClassConstant(insns.get(0), owner) && isHook(insns.get(1), "initializing"),
                "[C] initializing first in " + where);
        assertEquals(1, countHooks(r, "initializing"), "initializing hooks in " + where);
        for (AbstractInsnNode n : insns) {
            if (n.getOpcode() == Opcodes.RETURN && !isInGuardHandler(r, n)) {
                assertTrue(isHook(prevReal(n, 1), "initialized") && isClassConstant(prevReal(n, 2), owner),
                        "[C] initialized before return in " + where);
            }
            if (isHook(n, "initializerStored")) {
                assertTrue(isClassConstant(prevReal(n, 1), owner) && isOpcode(prevReal(n, 2), Opcodes.DUP),
                        "dup [C] before initializerStored in " + where);
                AbstractInsnNode store = isHook(nextReal(n, 3), "storedInField") ? nextReal(n, 4) : nextReal(n, 1);
                assertTrue(store.getOpcode() == Opcodes.PUTSTATIC && ((FieldInsnNode) store).owner.equals(owner.name),
                        "a store into a static field of the class after initializerStored in " + where);
            }
        }
        // javac's new T; dup; ...; invokespecial T.<init>; putstatic C.f
        int stores = 0;
        for (AbstractInsnNode n = o.instructions.getFirst(); n != null; n = n.getNext()) {
            if (n.getOpcode() == Opcodes.PUTSTATIC && ((FieldInsnNode) n).owner.equals(owner.name)) {
                AbstractInsnNode p = n.getPrevious();
                while (p instanceof org.objectweb.asm.tree.LineNumberNode) {
                    p = p.getPrevious();
                }
                if (p instanceof MethodInsnNode && p.getOpcode() == Opcodes.INVOKESPECIAL
                        && ((MethodInsnNode) p).name.equals("<init>")) {
                    stores++;
                }
            }
        }
        assertEquals(stores, countHooks(r, "initializerStored"), "initializerStored hooks in " + where);
        assertEquals(returns + 1, countHooks(r, "initialized"), "initialized hooks in " + where);
        totals.initializers++;
        totals.initializerStores += stores;
        return 2;
    }

    private static boolean isClassConstant(AbstractInsnNode n, ClassNode owner) {
        return n instanceof LdcInsnNode && ((LdcInsnNode) n).cst instanceof org.objectweb.asm.Type
                && ((org.objectweb.asm.Type) ((LdcInsnNode) n).cst).getInternalName().equals(owner.name);
    }

    /**
     * The guards of release hooks: each is a catch-all over one {@code Hooks.monitorExit} call and nothing else, placed
     * before every handler of the method's own, whose handler drops what the call threw and goes on without the hook:
     * back to the instruction after the call ({@code aload T; goto}), or to the same release and return or throw. No
     * handler may cover its own code. Returns how many there are.
     */
    private static int checkGuards(MethodNode r, String where) {
        int guards = 0;
        for (int i = 0; i < r.tryCatchBlocks.size(); i++) {
            TryCatchBlockNode t = r.tryCatchBlocks.get(i);
            if (!isGuard(t)) {
                continue;
            }
            assertEquals(guards, i, "guards come first in the exception table of " + where);
            guards++;
            assertEquals(null, t.type, where);
            AbstractInsnNode first = nextReal(t.handler, 1);
            assertTrue(isOpcode(first, Opcodes.POP), "a guard's handler drops the Throwable in " + where);
            for (AbstractInsnNode n = first; n != null; n = nextReal(n, 1)) {
                int op = n.getOpcode();
                assertTrue(op == Opcodes.POP || op == Opcodes.MONITOREXIT || op == Opcodes.GOTO || op == Opcodes.ATHROW
                        || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) || n instanceof VarInsnNode
                        || n instanceof LdcInsnNode, "only a release and the way on in a guard's handler in " + where
                        + ": " + render(n));
                if (op == Opcodes.GOTO) {
                    assertEquals(nextReal(t.end, 1), nextReal(((org.objectweb.asm.tree.JumpInsnNode) n).label, 1),
                            "back to the instruction after the hook call in " + where);
                }
                if (op == Opcodes.GOTO || op == Opcodes.ATHROW || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)) {
                    break;
                }
            }
            for (TryCatchBlockNode other : r.tryCatchBlocks) {
                assertFalse(covers(r, other, t.handler), "a handler covers the guard's handler in " + where);
            }
        }
        return guards;
    }

    /** A catch-all whose range is exactly one Hooks.monitorExit or Hooks.initialized call. */
    private static boolean isGuard(TryCatchBlockNode t) {
        AbstractInsnNode call = nextReal(t.start, 1);
        return t.type == null && (isHook(call, "monitorExit") || isHook(call, "initialized"))
                && nextReal(t.end, 1) == nextReal(call, 1);
    }

    private static boolean covers(MethodNode m, TryCatchBlockNode t, AbstractInsnNode n) {
        int at = m.instructions.indexOf(n);
        return m.instructions.indexOf(t.start) <= at && at < m.instructions.indexOf(t.end);
    }

    /** Whether n is code of a guard's handler (the way on without the hook). */
    private static boolean isInGuardHandler(MethodNode r, AbstractInsnNode n) {
        for (TryCatchBlockNode t : r.tryCatchBlocks) {
            if (isGuard(t)) {
                int at = r.instructions.indexOf(n);
                int handler = r.instructions.indexOf(t.handler);
                int stop = handler;
                for (AbstractInsnNode x = nextReal(t.handler, 1); x != null; x = nextReal(x, 1)) {
                    stop = r.instructions.indexOf(x);
                    int op = x.getOpcode();
                    if (op == Opcodes.GOTO || op == Opcodes.ATHROW || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)) {
                        break;
                    }
                }
                if (handler < at && at <= stop) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void checkSynchronizedMethod(ClassNode owner, MethodNode o, MethodNode r, boolean strip,
                                                String where) {
        boolean isStatic = (o.access & Opcodes.ACC_STATIC) != 0;
        int site = Sites.code(owner.name, o.name, owner.sourceFile, firstLine(o));
        List<AbstractInsnNode> insns = realInsns(r);
        assertMonitorLoad(owner, insns.get(0), isStatic, where);
        if (strip) {
            assertTrue(isOpcode(insns.get(1), Opcodes.DUP), where);
            assertEquals(Integer.valueOf(site), intValue(insns.get(2)), "site of " + where);
            assertTrue(isHook(insns.get(3), "monitorEnter"), where);
            assertTrue(isOpcode(insns.get(4), Opcodes.MONITORENTER), where);
        } else {
            assertEquals(Integer.valueOf(site), intValue(insns.get(1)), "site of " + where);
            assertTrue(isHook(insns.get(2), "syncMethodEntered"), where);
        }
        for (AbstractInsnNode n : insns) {
            if (n.getOpcode() >= Opcodes.IRETURN && n.getOpcode() <= Opcodes.RETURN && !isInGuardHandler(r, n)) {
                // [value] xstore R, the release, xload R: the value waits in a local while the hook runs
                boolean value = n.getOpcode() != Opcodes.RETURN;
                AbstractInsnNode last = value ? prevReal(n, 1) : n;
                if (value) {
                    assertTrue(last instanceof VarInsnNode && last.getOpcode() == n.getOpcode() - Opcodes.IRETURN
                            + Opcodes.ILOAD, "the return value loaded back in " + where);
                }
                if (strip) {
                    assertTrue(isOpcode(prevReal(last, 1), Opcodes.MONITOREXIT),
                            "monitorexit before return in " + where);
                    assertTrue(isHook(prevReal(last, 2), "monitorExit"), where);
                    assertTrue(isOpcode(prevReal(last, 3), Opcodes.DUP), where);
                    assertMonitorLoad(owner, prevReal(last, 4), isStatic, where);
                } else {
                    assertTrue(isHook(prevReal(last, 1), "monitorExit"), "monitorExit before return in " + where);
                    assertMonitorLoad(owner, prevReal(last, 2), isStatic, where);
                }
            }
        }
        // The catch-all handler is the last entry, covering the body from right after the prologue.
        TryCatchBlockNode body = null;
        for (TryCatchBlockNode t : r.tryCatchBlocks) {
            if (t.type == null && prevReal(t.start, 1) == insns.get(strip ? 4 : 2)) {
                body = t;
            }
        }
        assertNotNull(body, "catch-all over the body of " + where);
        assertEquals(r.tryCatchBlocks.size() - 1, r.tryCatchBlocks.indexOf(body),
                "the catch-all comes after the method's own handlers in " + where);
        AbstractInsnNode stored = nextReal(body.handler, 1);
        assertEquals(stored, nextReal(body.end, 1), "range ends at the handler in " + where);
        assertTrue(isOpcode(stored, Opcodes.ASTORE), "the exception kept in a local in " + where);
        AbstractInsnNode h = nextReal(stored, 1);
        assertMonitorLoad(owner, h, isStatic, where);
        int at = 1;
        if (strip) {
            assertTrue(isOpcode(nextReal(h, at++), Opcodes.DUP), where);
        }
        assertTrue(isHook(nextReal(h, at++), "monitorExit"), where);
        if (strip) {
            assertTrue(isOpcode(nextReal(h, at++), Opcodes.MONITOREXIT), where);
        }
        assertTrue(isOpcode(nextReal(h, at++), Opcodes.ALOAD), where);
        assertTrue(isOpcode(nextReal(h, at), Opcodes.ATHROW), where);
        for (TryCatchBlockNode t : r.tryCatchBlocks) {
            assertFalse(t != body && covers(r, t, stored) && !isGuard(t), "the handler covers itself in " + where);
        }
    }

    private static void assertMonitorLoad(ClassNode owner, AbstractInsnNode n, boolean isStatic, String where) {
        if (isStatic) {
            assertTrue(n instanceof LdcInsnNode && Type.getObjectType(owner.name).equals(((LdcInsnNode) n).cst),
                    "ldc of the class in " + where);
        } else {
            assertTrue(n instanceof VarInsnNode && n.getOpcode() == Opcodes.ALOAD && ((VarInsnNode) n).var == 0,
                    "aload 0 in " + where);
        }
    }

    private static void checkSiteHints(ClassNode owner, MethodNode o, MethodNode r, String where, Totals totals) {
        List<MethodInsnNode> expected = expectedHints(o);
        List<MethodInsnNode> actual = expectedHints(r);
        assertEquals(expected.size(), actual.size(), where);
        for (int i = 0; i < expected.size(); i++) {
            MethodInsnNode call = actual.get(i);
            String what = call.owner + "." + call.name + " in " + where;
            assertTrue(isHook(prevReal(call, 1), "site"), "site hint before " + what);
            FieldInsnNode field = receiverField(expected.get(i));
            int line = lineOf(expected.get(i));
            assertEquals(Integer.valueOf(field == null ? Sites.code(owner.name, o.name, owner.sourceFile, line)
                    : Sites.lockSite(owner.name, o.name, owner.sourceFile, line, field.owner, field.name)),
                    intValue(prevReal(call, 2)), "site of " + what);
            assertEquals(render(expected.get(i)), render(call), where);
            if (call.getOpcode() == Opcodes.INVOKESPECIAL) {
                totals.specialWaitHints++;
            }
        }
        assertEquals(expected.size(), countHooks(r, "site"), "site hints in " + where);
        totals.siteHints += expected.size();
    }

    /**
     * Each virtual or interface call of Object.wait/notify/notifyAll is gone, and in its place, matched to it by
     * {@link #checkRestUnchanged}, stands the hook of {@link #MONITOR_CALLS} with the site of the call's line pushed
     * right before it: no site hint, nothing else of the rewriter's in between, except the {@code allocated} hook of
     * a {@code new Object()} that is the receiver itself.
     */
    private static void checkReplacements(ClassNode owner, MethodNode o, MethodNode r, AbstractInsnNode[] kept,
                                          String where, Totals totals) {
        List<AbstractInsnNode> original = realInsns(o);
        List<MethodInsnNode> expected = expectedReplacements(o);
        assertEquals(List.of(), describe(expectedReplacements(r)), "wait/notify calls left in " + where);
        List<MethodInsnNode> hooks = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(r)) {
            if (n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.equals(HOOKS)
                    && MONITOR_HOOKS.contains(((MethodInsnNode) n).name)) {
                hooks.add((MethodInsnNode) n);
            }
        }
        assertEquals(expected.size(), hooks.size(), "wait/notify hooks in " + where);
        for (int i = 0; i < expected.size(); i++) {
            MethodInsnNode call = expected.get(i);
            String key = call.name + call.desc;
            String what = call.owner + "." + key + " at line " + lineOf(call) + " in " + where;
            int index = original.indexOf(call);
            MethodInsnNode hook = hooks.get(i);
            assertTrue(kept[index] == hook, "the hook stands where " + what + " was");
            assertEquals(Opcodes.INVOKESTATIC, hook.getOpcode(), what);
            assertEquals(HOOKS, hook.owner, what);
            assertEquals(MONITOR_CALLS.get(key)[0], hook.name, what);
            assertEquals(MONITOR_CALLS.get(key)[1], hook.desc, what);
            assertFalse(hook.itf, what);
            assertEquals(lineOf(call), lineOf(hook), "line of the hook replacing " + what);
            assertEquals(Integer.valueOf(Sites.code(owner.name, o.name, owner.sourceFile, lineOf(call))),
                    intValue(prevReal(hook, 1)), "site of " + what);
            // Before the site constant: the instruction that was before the call (the last argument or receiver).
            AbstractInsnNode before = prevReal(hook, 2);
            assertFalse(isHook(before, "site"), "no site hint before " + what);
            assertTrue(index > 0, what);
            boolean allocatedReceiver = isHook(before, "allocated") && prevReal(before, 3) == kept[index - 1]
                    && isConstructorCall(kept[index - 1]);
            assertTrue(before == kept[index - 1] || allocatedReceiver,
                    "nothing inserted before " + what + " but the site: found " + render(before));
            totals.replaced.merge(key, 1, Integer::sum);
            if (call.getOpcode() == Opcodes.INVOKEINTERFACE) {
                totals.replaced.merge("invokeinterface", 1, Integer::sum);
            }
        }
        for (String hook : MONITOR_HOOKS) {
            int n = 0;
            for (MethodInsnNode call : expected) {
                n += MONITOR_CALLS.get(call.name + call.desc)[0].equals(hook) ? 1 : 0;
            }
            assertEquals(n, countHooks(r, hook), hook + " hooks in " + where);
        }
    }

    private static boolean isConstructorCall(AbstractInsnNode n) {
        return n.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) n).name.equals("<init>");
    }

    private static List<String> describe(List<MethodInsnNode> calls) {
        List<String> out = new ArrayList<>();
        for (MethodInsnNode call : calls) {
            out.add(render(call));
        }
        return out;
    }

    private static void checkAllocations(ClassNode owner, MethodNode o, MethodNode r, String where, Totals totals) {
        List<MethodInsnNode> originalInits = constructorCalls(o);
        List<MethodInsnNode> rewrittenInits = constructorCalls(r);
        assertEquals(originalInits.size(), rewrittenInits.size(), where);
        List<MethodInsnNode> expected = expectedAllocations(owner.name, o);
        int ownerFrom = ownerUsableAfter(owner.name, o);
        int owned = 0;
        for (int i = 0; i < originalInits.size(); i++) {
            MethodInsnNode call = originalInits.get(i);
            AbstractInsnNode after = rewrittenInits.get(i);
            String what = "new " + call.owner + " in " + where;
            if (!expected.contains(call)) {
                assertFalse(isHook(nextReal(after, 3), "allocated") && isOpcode(nextReal(after, 1), Opcodes.DUP),
                        "no allocated hook after " + call.owner + ".<init> in " + where);
                continue;
            }
            AbstractInsnNode store = nextReal(call, 1);
            boolean withOwner = store.getOpcode() == Opcodes.PUTFIELD && o.instructions.indexOf(call) > ownerFrom;
            Integer id = checkRegistration(after, withOwner, what);
            owned += withOwner ? 1 : 0;
            if (store.getOpcode() == Opcodes.PUTFIELD || store.getOpcode() == Opcodes.PUTSTATIC) {
                FieldInsnNode f = (FieldInsnNode) store;
                // Same field, same id, whatever code site is passed now.
                assertEquals(Sites.allocation(call.owner, 999_999, f.owner, f.name), id.intValue(), "id of " + what);
                totals.fieldAllocations++;
                totals.fieldKeys.add(f.owner + "." + f.name + "=" + call.owner);
            } else {
                int line = lineOf(newOf(o, call));
                int codeSite = Sites.code(owner.name, o.name, owner.sourceFile, line);
                assertEquals(Sites.allocation(call.owner, codeSite, null, null), id.intValue(), "id of " + what);
            }
            totals.allocations++;
        }
        List<MethodInsnNode> factories = factoryCalls(o);
        List<MethodInsnNode> rewrittenFactories = factoryCalls(r);
        assertEquals(factories.size(), rewrittenFactories.size(), where);
        for (int k = 0; k < factories.size(); k++) {
            MethodInsnNode call = factories.get(k);
            AbstractInsnNode store = nextReal(call, 1);
            boolean withOwner = store.getOpcode() == Opcodes.PUTFIELD && o.instructions.indexOf(call) > ownerFrom;
            AbstractInsnNode inRewritten = rewrittenFactories.get(k);
            String what = call.owner + "." + call.name + " in " + where;
            Integer id = checkRegistration(inRewritten, withOwner, what);
            owned += withOwner ? 1 : 0;
            boolean field = store.getOpcode() == Opcodes.PUTFIELD || store.getOpcode() == Opcodes.PUTSTATIC;
            int codeSite = Sites.code(owner.name, o.name, owner.sourceFile, lineOf(call));
            FieldInsnNode f = field ? (FieldInsnNode) store : null;
            assertEquals(Sites.factoryCall(call.owner, call.name, codeSite, f == null ? null : f.owner,
                    f == null ? null : f.name), id.intValue(), "id of " + what);
            totals.factoryCalls++;
        }
        totals.ownedAllocations += owned;
        assertEquals(expected.size() + factories.size() - owned, countHooks(r, "allocated"),
                "allocated hooks in " + where);
        assertEquals(owned, countHooks(r, "allocatedIn"), "allocatedIn hooks in " + where);
    }

    /** After {@code at}: {@code dup; [id]; allocated}, or {@code dup2; [id]; allocatedIn}. Returns the id. */
    private static Integer checkRegistration(AbstractInsnNode at, boolean withOwner, String what) {
        assertTrue(isOpcode(nextReal(at, 1), withOwner ? Opcodes.DUP2 : Opcodes.DUP),
                (withOwner ? "dup2" : "dup") + " after " + what);
        Integer id = intValue(nextReal(at, 2));
        assertNotNull(id, what);
        assertTrue(isHook(nextReal(at, 3), withOwner ? "allocatedIn" : "allocated"), "hook after " + what);
        return id;
    }

    /**
     * Stores into a field of a lock type of a value that is not a hooked allocation's: {@code dup2; [id];
     * storedInField(owner, lock, id)} before a putfield, {@code dup; [id]; storedInField(lock, id)} before a putstatic.
     */
    private static void checkStores(ClassNode owner, MethodNode o, MethodNode r, String where, Totals totals) {
        List<FieldInsnNode> expected = expectedStores(owner.name, o);
        List<FieldInsnNode> stores = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(r)) {
            if (isFieldStore(n) && LOCK_FIELD_TYPES.contains(((FieldInsnNode) n).desc)) {
                stores.add((FieldInsnNode) n);
            }
        }
        int hooked = 0;
        for (FieldInsnNode store : stores) {
            if (!isHook(prevReal(store, 1), "storedInField")) {
                continue;
            }
            String what = "store into " + store.owner + "." + store.name + " in " + where;
            boolean instance = store.getOpcode() == Opcodes.PUTFIELD;
            assertEquals(instance ? "(Ljava/lang/Object;Ljava/lang/Object;I)V" : "(Ljava/lang/Object;I)V",
                    ((MethodInsnNode) prevReal(store, 1)).desc, what);
            assertEquals(Integer.valueOf(Sites.fieldStore(store.owner, store.name,
                    Sites.code(owner.name, o.name, owner.sourceFile, lineOf(store)))), intValue(prevReal(store, 2)),
                    "id of " + what);
            assertTrue(isOpcode(prevReal(store, 3), instance ? Opcodes.DUP2 : Opcodes.DUP), what);
            hooked++;
        }
        assertEquals(expected.size(), hooked, "storedInField hooks in " + where);
        assertEquals(expected.size(), countHooks(r, "storedInField"), "storedInField hooks in " + where);
        totals.storeHooks += hooked;
    }

    /** In the constructors of a class that locks itself: {@code aload 0; constructed} before each return. */
    private static void checkConstructed(ClassNode owner, MethodNode o, MethodNode r, String where, Totals totals) {
        boolean expected = o.name.equals("<init>") && reportsConstructed(owner);
        int hooks = 0;
        for (AbstractInsnNode n : realInsns(r)) {
            if (n.getOpcode() == Opcodes.RETURN && expected) {
                assertTrue(isHook(prevReal(n, 1), "constructed"), "constructed before return in " + where);
                AbstractInsnNode self = prevReal(n, 2);
                assertTrue(self instanceof VarInsnNode && self.getOpcode() == Opcodes.ALOAD
                        && ((VarInsnNode) self).var == 0, "aload 0 before constructed in " + where);
                hooks++;
            }
        }
        assertEquals(hooks, countHooks(r, "constructed"), "constructed hooks in " + where);
        totals.constructedHooks += hooks;
        // and, once this is initialized (after super(...) or this(...)), aload 0; constructing
        int constructing = 0;
        for (AbstractInsnNode n : realInsns(r)) {
            if (isHook(n, "constructing")) {
                AbstractInsnNode self = prevReal(n, 1);
                AbstractInsnNode call = prevReal(n, 2);
                assertTrue(expected && self instanceof VarInsnNode && self.getOpcode() == Opcodes.ALOAD
                        && ((VarInsnNode) self).var == 0 && call instanceof MethodInsnNode
                        && ((MethodInsnNode) call).name.equals("<init>"), "aload 0; constructing after super() in "
                        + where);
                constructing++;
            }
        }
        assertTrue(constructing <= 1, "constructing hooks in " + where);
        totals.constructingHooks += constructing;
    }

    /**
     * Every instruction of the original is still there, in order, except that a replaced wait/notify call stands as
     * its hook; everything added is hook material. Returns, for each original instruction (by index among the real
     * ones), the rewritten instruction it matched. The first {@code prologue} instructions are taken as hook material.
     */
    private static AbstractInsnNode[] checkRestUnchanged(MethodNode o, MethodNode r, int prologue, String where) {
        List<AbstractInsnNode> original = realInsns(o);
        AbstractInsnNode[] kept = new AbstractInsnNode[original.size()];
        int j = 0;
        List<AbstractInsnNode> rewritten = realInsns(r);
        for (AbstractInsnNode n : rewritten.subList(prologue, rewritten.size())) {
            if (j < original.size() && (isReplacement(original.get(j)) ? isReplacementOf(original.get(j), n)
                    : same(original.get(j), n))) {
                kept[j++] = n;
            } else if (!isHookMaterial(n)) {
                fail("unexpected " + render(n) + " in " + where + " (next original: "
                        + (j < original.size() ? render(original.get(j)) : "none") + ")");
            }
        }
        assertEquals(original.size(), j, "original instructions kept in " + where);
        return kept;
    }

    private static boolean isReplacement(AbstractInsnNode n) {
        return (n.getOpcode() == Opcodes.INVOKEVIRTUAL || n.getOpcode() == Opcodes.INVOKEINTERFACE)
                && MONITOR_CALLS.containsKey(((MethodInsnNode) n).name + ((MethodInsnNode) n).desc);
    }

    private static boolean isReplacementOf(AbstractInsnNode call, AbstractInsnNode n) {
        String[] hook = MONITOR_CALLS.get(((MethodInsnNode) call).name + ((MethodInsnNode) call).desc);
        return isHook(n, hook[0]) && ((MethodInsnNode) n).desc.equals(hook[1]);
    }

    private static boolean isHookMaterial(AbstractInsnNode n) {
        int op = n.getOpcode();
        if (op == Opcodes.DUP || op == Opcodes.DUP2 || op == Opcodes.MONITORENTER || op == Opcodes.MONITOREXIT
                || op == Opcodes.ATHROW
                || intValue(n) != null || n instanceof LdcInsnNode) {
            return true;
        }
        // the guards: a value kept in a fresh local across the hook call, and their handlers' way on
        if (op == Opcodes.POP || op == Opcodes.GOTO || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)) {
            return true;
        }
        if (n instanceof VarInsnNode) {
            return true;
        }
        return n instanceof MethodInsnNode && (((MethodInsnNode) n).owner.equals(HOOKS)
                || ((MethodInsnNode) n).name.equals("forName"));
    }

    private static boolean same(AbstractInsnNode a, AbstractInsnNode b) {
        return render(a).equals(render(b));
    }

    static String render(AbstractInsnNode n) {
        StringBuilder s = new StringBuilder().append(n.getOpcode());
        if (n instanceof MethodInsnNode) {
            MethodInsnNode m = (MethodInsnNode) n;
            s.append(' ').append(m.owner).append('.').append(m.name).append(m.desc);
        } else if (n instanceof FieldInsnNode) {
            FieldInsnNode f = (FieldInsnNode) n;
            s.append(' ').append(f.owner).append('.').append(f.name);
        } else if (n instanceof VarInsnNode) {
            s.append(" var ").append(((VarInsnNode) n).var);
        } else if (n instanceof TypeInsnNode) {
            s.append(' ').append(((TypeInsnNode) n).desc);
        } else if (n instanceof IntInsnNode) {
            s.append(' ').append(((IntInsnNode) n).operand);
        } else if (n instanceof LdcInsnNode) {
            s.append(' ').append(((LdcInsnNode) n).cst);
        } else if (n instanceof IincInsnNode) {
            s.append(" var ").append(((IincInsnNode) n).var).append(' ').append(((IincInsnNode) n).incr);
        }
        return s.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Independent expectations

    static boolean isSyncWithCode(MethodNode m) {
        return (m.access & Opcodes.ACC_SYNCHRONIZED) != 0 && m.instructions.size() > 0
                && !m.name.equals("<init>") && !m.name.equals("<clinit>");
    }

    static List<MethodInsnNode> expectedHints(MethodNode m) {
        List<MethodInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(m)) {
            if (!(n instanceof MethodInsnNode) || n.getOpcode() == Opcodes.INVOKESTATIC) {
                continue;
            }
            MethodInsnNode call = (MethodInsnNode) n;
            boolean lockCall = (n.getOpcode() == Opcodes.INVOKEVIRTUAL || n.getOpcode() == Opcodes.INVOKEINTERFACE)
                    && (LOCK_OWNERS.contains(call.owner) ? LOCK_METHODS.contains(call.name)
                    : n.getOpcode() == Opcodes.INVOKEVIRTUAL && ACQUISITIONS.contains(call.name + call.desc));
            boolean superWait = n.getOpcode() == Opcodes.INVOKESPECIAL && call.name.equals("wait")
                    && Arrays.asList("()V", "(J)V", "(JI)V").contains(call.desc);
            if (lockCall || superWait) {
                out.add(call);
            }
        }
        return out;
    }

    /** The calls of Object.wait/notify/notifyAll that are to be replaced by their hooks. */
    static List<MethodInsnNode> expectedReplacements(MethodNode m) {
        List<MethodInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(m)) {
            if (isReplacement(n)) {
                out.add((MethodInsnNode) n);
            }
        }
        return out;
    }

    private static List<MethodInsnNode> constructorCalls(MethodNode m) {
        List<MethodInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(m)) {
            if (n.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) n).name.equals("<init>")) {
                out.add((MethodInsnNode) n);
            }
        }
        return out;
    }

    /**
     * The constructor calls that initialize a {@code new} of a lock type immediately followed by {@code dup}, found by
     * data flow: a source analysis in which {@code dup} keeps the source of the value it copies.
     */
    static List<MethodInsnNode> expectedAllocations(String owner, MethodNode m) {
        List<MethodInsnNode> out = new ArrayList<>();
        if (constructorCalls(m).isEmpty()) {
            return out;
        }
        Frame<SourceValue>[] frames = sourceFrames(owner, m);
        for (MethodInsnNode call : constructorCalls(m)) {
            Frame<SourceValue> f = frames[m.instructions.indexOf(call)];
            if (f == null) {
                continue; // dead code
            }
            int args = Type.getArgumentTypes(call.desc).length;
            SourceValue receiver = f.getStack(f.getStackSize() - 1 - args);
            if (receiver.insns.size() != 1) {
                continue;
            }
            AbstractInsnNode source = receiver.insns.iterator().next();
            if (source.getOpcode() == Opcodes.NEW && ALLOCATED_TYPES.contains(((TypeInsnNode) source).desc)
                    && isOpcode(nextReal(source, 1), Opcodes.DUP)
                    && (!call.owner.equals("java/lang/Object") || isFieldStore(nextReal(call, 1)))) {
                // A plain Object is hooked only when stored straight into a field: it is then a lock object.
                out.add(call);
            }
        }
        return out;
    }

    /** The calls of {@code Collections.synchronized*}: their result is registered like an allocation. */
    static List<MethodInsnNode> factoryCalls(MethodNode m) {
        List<MethodInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(m)) {
            if (n.getOpcode() == Opcodes.INVOKESTATIC && ((MethodInsnNode) n).owner.equals("java/util/Collections")
                    && ((MethodInsnNode) n).name.startsWith("synchronized")) {
                out.add((MethodInsnNode) n);
            }
        }
        return out;
    }

    /**
     * Stores into a field of a lock type whose value is not straight from a hooked allocation; in a constructor, a
     * putfield only once {@code this} is initialized.
     */
    static List<FieldInsnNode> expectedStores(String owner, MethodNode m) {
        List<FieldInsnNode> out = new ArrayList<>();
        List<MethodInsnNode> allocations = null;
        int ownerFrom = Integer.MIN_VALUE;
        for (AbstractInsnNode n : realInsns(m)) {
            if (!isFieldStore(n) || !LOCK_FIELD_TYPES.contains(((FieldInsnNode) n).desc)) {
                continue;
            }
            if (allocations == null) {
                allocations = expectedAllocations(owner, m);
                ownerFrom = ownerUsableAfter(owner, m);
            }
            AbstractInsnNode before = prevReal(n, 1);
            if (allocations.contains(before) && !labelBetween(before, n)) {
                continue; // the allocation's own hook names the field, and nothing else reaches the store
            }
            if (n.getOpcode() == Opcodes.PUTFIELD && m.instructions.indexOf(n) <= ownerFrom) {
                continue;
            }
            out.add((FieldInsnNode) n);
        }
        return out;
    }

    private static boolean labelBetween(AbstractInsnNode from, AbstractInsnNode to) {
        for (AbstractInsnNode n = from.getNext(); n != to; n = n.getNext()) {
            if (n instanceof LabelNode) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a field's owner may be handed to a hook: after the constructor's {@code super(...)}/{@code this(...)} call
     * (the constructor call whose receiver comes from {@code aload 0}); anywhere in other methods.
     */
    static int ownerUsableAfter(String owner, MethodNode m) {
        if (!m.name.equals("<init>")) {
            return -1;
        }
        Frame<SourceValue>[] frames = sourceFrames(owner, m);
        for (MethodInsnNode call : constructorCalls(m)) {
            Frame<SourceValue> f = frames[m.instructions.indexOf(call)];
            if (f == null) {
                continue;
            }
            SourceValue receiver = f.getStack(f.getStackSize() - 1 - Type.getArgumentTypes(call.desc).length);
            if (receiver.insns.size() == 1) {
                AbstractInsnNode source = receiver.insns.iterator().next();
                if (source instanceof VarInsnNode && source.getOpcode() == Opcodes.ALOAD
                        && ((VarInsnNode) source).var == 0) {
                    return m.instructions.indexOf(call);
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * A class outside the JDK whose instances lock themselves: a synchronized instance method, or a monitorenter of
     * {@code this} in an instance method, or a JDK superclass that locks itself.
     */
    static boolean reportsConstructed(ClassNode c) {
        if (c.name.startsWith("java/") || c.name.startsWith("javax/") || c.name.startsWith("jdk/")
                || c.name.startsWith("sun/") || c.name.startsWith("com/sun/")) {
            return false;
        }
        if (MethodRewriter.SELF_LOCKING_JDK_TYPES.contains(c.superName)) {
            return true;
        }
        for (MethodNode m : c.methods) {
            if ((m.access & Opcodes.ACC_STATIC) != 0 || m.instructions.size() == 0) {
                continue;
            }
            if (isSyncWithCode(m)) {
                return true;
            }
            Frame<SourceValue>[] frames = null;
            for (AbstractInsnNode n : realInsns(m)) {
                if (n.getOpcode() != Opcodes.MONITORENTER) {
                    continue;
                }
                if (frames == null) {
                    frames = sourceFrames(c.name, m);
                }
                Frame<SourceValue> f = frames[m.instructions.indexOf(n)];
                if (f != null) {
                    for (AbstractInsnNode source : f.getStack(f.getStackSize() - 1).insns) {
                        if (source instanceof VarInsnNode && ((VarInsnNode) source).var == 0) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The field a no-argument lock call's receiver is read from (through a read/write lock's view), or null. */
    static FieldInsnNode receiverField(MethodInsnNode call) {
        if (!call.desc.startsWith("()")) {
            return null;
        }
        AbstractInsnNode p = prevReal(call, 1);
        if (p instanceof MethodInsnNode
                && ((MethodInsnNode) p).owner.equals("java/util/concurrent/locks/ReentrantReadWriteLock")
                && ((MethodInsnNode) p).desc.startsWith("()")) {
            p = prevReal(p, 1);
        }
        return p instanceof FieldInsnNode && (p.getOpcode() == Opcodes.GETFIELD || p.getOpcode() == Opcodes.GETSTATIC)
                && ((FieldInsnNode) p).desc.startsWith("L") ? (FieldInsnNode) p : null;
    }

    /** Sources of each value, with {@code dup} keeping the source of what it copies. */
    private static Frame<SourceValue>[] sourceFrames(String owner, MethodNode m) {
        Analyzer<SourceValue> analyzer = new Analyzer<>(new SourceInterpreter(Opcodes.ASM9) {
            @Override
            public SourceValue copyOperation(AbstractInsnNode insn, SourceValue value) {
                return insn.getOpcode() == Opcodes.DUP ? value : super.copyOperation(insn, value);
            }
        });
        try {
            return analyzer.analyze(owner, m);
        } catch (AnalyzerException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isFieldStore(AbstractInsnNode n) {
        return n != null && (n.getOpcode() == Opcodes.PUTFIELD || n.getOpcode() == Opcodes.PUTSTATIC);
    }

    private static AbstractInsnNode newOf(MethodNode m, MethodInsnNode call) {
        // The matching NEW for a javac allocation: the nearest earlier NEW of the type with balanced nesting.
        int depth = 0;
        for (AbstractInsnNode p = call.getPrevious(); p != null; p = p.getPrevious()) {
            if (p.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) p).name.equals("<init>")
                    && p != call && ((MethodInsnNode) p).owner.equals(call.owner)) {
                depth++;
            } else if (p.getOpcode() == Opcodes.NEW && ((TypeInsnNode) p).desc.equals(call.owner)) {
                if (depth == 0) {
                    return p;
                }
                depth--;
            }
        }
        fail("no new for " + call.owner + " in " + m.name);
        return null;
    }

    private static int countReturns(MethodNode m) {
        int n = 0;
        for (AbstractInsnNode i : realInsns(m)) {
            if (i.getOpcode() >= Opcodes.IRETURN && i.getOpcode() <= Opcodes.RETURN) {
                n++;
            }
        }
        return n;
    }

    private static List<String> describeFields(ClassNode c) {
        List<String> out = new ArrayList<>();
        for (FieldNode f : c.fields) {
            out.add(f.access + " " + f.name + " " + f.desc);
        }
        return out;
    }

    static void assertNoHooks(MethodNode m) {
        for (AbstractInsnNode n : realInsns(m)) {
            assertFalse(n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.equals(HOOKS),
                    "hook in " + m.name);
        }
    }

    static void assertUnchanged(MethodNode original, MethodNode rewritten) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(original)) {
            a.add(render(n));
        }
        for (AbstractInsnNode n : realInsns(rewritten)) {
            b.add(render(n));
        }
        assertEquals(a, b, "instructions of " + original.name);
        assertEquals(original.access, rewritten.access);
    }
}
