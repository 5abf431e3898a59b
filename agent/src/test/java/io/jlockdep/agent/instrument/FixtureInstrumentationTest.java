package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.jlockdep.agent.instrument.TestSupport.ByteClassLoader;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Instruments real javac output (the fixtures under test resources instrument/fixtures, compiled in memory for several
 * --release levels), in both modes, then verifies, runs and inspects it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FixtureInstrumentationTest {
    private static final String[] COMMON_SOURCES = {
        "SyncBlocks.java", "SyncMethods.java", "Allocations.java", "LockCalls.java", "Plain.java", "WaitNotify.java",
    };
    private static final String[] TOP_LEVEL = {
        "jlfixture/SyncBlocks", "jlfixture/SyncMethods", "jlfixture/Allocations", "jlfixture/LockCalls",
        "jlfixture/Plain", "jlfixture/WaitNotify",
    };
    private static final Map<String, Map<String, byte[]>> COMPILED = new ConcurrentHashMap<>();

    static Stream<Arguments> releasesAndModes() {
        Set<String> releases = new LinkedHashSet<>(Arrays.asList("8", "17",
                String.valueOf(Runtime.version().feature())));
        List<Arguments> out = new ArrayList<>();
        for (String release : releases) {
            out.add(Arguments.of(release, true));
            out.add(Arguments.of(release, false));
        }
        return out.stream();
    }

    private static Map<String, byte[]> compiled(String release) {
        return COMPILED.computeIfAbsent(release, r -> {
            List<String> sources = new ArrayList<>(Arrays.asList(COMMON_SOURCES));
            if (Integer.parseInt(r) >= 17) {
                sources.add("Modern.java");
            }
            return TestSupport.compileFixtures(r, sources.toArray(new String[0]));
        });
    }

    private static List<String> topLevel(String release) {
        List<String> names = new ArrayList<>(Arrays.asList(TOP_LEVEL));
        if (Integer.parseInt(release) >= 17) {
            names.add("jlfixture/Modern");
        }
        return names;
    }

    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void rewrittenClassesPassTheAsmVerifier(String release, boolean mayChangeMethodFlags) {
        Map<String, byte[]> original = compiled(release);
        Map<String, byte[]> rewritten = TestSupport.instrumentAll(original, mayChangeMethodFlags);
        int changed = 0;
        for (String name : original.keySet()) {
            if (rewritten.get(name) != original.get(name)) {
                changed++;
            }
        }
        assertTrue(changed >= 10, "only " + changed + " classes rewritten");
        TestSupport.verifyAll(rewritten);
    }

    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void rewrittenClassesBehaveLikeTheOriginals(String release, boolean mayChangeMethodFlags) throws Exception {
        Map<String, byte[]> original = compiled(release);
        ByteClassLoader before = new ByteClassLoader(original);
        ByteClassLoader after = new ByteClassLoader(TestSupport.instrumentAll(original, mayChangeMethodFlags));
        before.linkAll();
        after.linkAll(); // the JVM's verifier checks every rewritten class here
        int scenarios = 0;
        for (String name : topLevel(release)) {
            String binary = name.replace('/', '.');
            Map<String, String> expected = TestSupport.runScenarios(Class.forName(binary, true, before));
            Map<String, String> actual = TestSupport.runScenarios(Class.forName(binary, true, after));
            assertEquals(expected, actual, name);
            scenarios += expected.size();
        }
        assertTrue(scenarios >= 35, "ran " + scenarios + " scenarios");
    }

    /**
     * Every call into the release hook throws a StackOverflowError, as it does at the edge of the stack: each monitor
     * is released all the same, and each scenario ends as it does without the agent. Before the release hooks were
     * guarded, a stripped synchronized method's handler called the hook again for ever, javac's handler for a
     * synchronized block (which covers itself, to retry its monitorexit) too, and a retransformed synchronized method
     * left with the hook's error instead of its result.
     */
    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void aReleaseHookCallThatOverflowsStillReleasesTheMonitor(String release, boolean mayChangeMethodFlags)
            throws Exception {
        Map<String, byte[]> original = compiled(release);
        Map<String, byte[]> recording =
                TestSupport.recording(TestSupport.instrumentAll(original, mayChangeMethodFlags));
        ByteClassLoader before = new ByteClassLoader(original);
        ByteClassLoader after = new ByteClassLoader(recording);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        RecordingHooks.reset();
        try {
            for (String name : topLevel(release)) {
                String binary = name.replace('/', '.');
                Map<String, String> expected = TestSupport.runScenarios(Class.forName(binary, true, before));
                Map<String, String> actual = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofMinutes(2), () -> {
                            RecordingHooks.exitsOverflow = true;
                            try {
                                Map<String, String> outcomes =
                                        TestSupport.runScenarios(Class.forName(binary, true, after));
                                long me = Thread.currentThread().getId();
                                assertEquals(0, threads.getThreadInfo(new long[] {me}, true, false)[0]
                                        .getLockedMonitors().length, "monitors left held by " + name);
                                return outcomes;
                            } finally {
                                RecordingHooks.exitsOverflow = false;
                            }
                        }, "a handler retried the release hook for ever in " + name);
                assertEquals(expected, actual, name);
            }
            assertTrue(RecordingHooks.count("monitorExit") > 100, "monitorExit calls that overflowed");
        } finally {
            RecordingHooks.reset();
        }
    }

    /**
     * A static initializer that throws ends its marks all the same (its catch-all handler reports the end, then
     * rethrows): the program sees the same error, and the monitor it held is released.
     */
    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void anInitializerThatThrowsStillEnds(String release, boolean mayChangeMethodFlags) throws Exception {
        Map<String, byte[]> recording =
                TestSupport.recording(TestSupport.instrumentAll(compiled(release), mayChangeMethodFlags));
        RecordingHooks.reset();
        System.setProperty("jlfixture.failInitializer", "true");
        try {
            ByteClassLoader after = new ByteClassLoader(recording);
            ExceptionInInitializerError e = org.junit.jupiter.api.Assertions.assertThrows(
                    ExceptionInInitializerError.class,
                    () -> Class.forName("jlfixture.SyncMethods$FailingInitializer", true, after));
            assertEquals("initializer fails, held=true", e.getCause().getMessage());
            assertEquals(1, RecordingHooks.count("initializing"));
            assertEquals(1, RecordingHooks.count("initialized"));
            assertEquals(List.of(), RecordingHooks.problems());
            assertEquals(List.of(), RecordingHooks.stillHeld());
        } finally {
            System.clearProperty("jlfixture.failInitializer");
            RecordingHooks.reset();
        }
    }

    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void hooksFollowTheProtocolAtRuntime(String release, boolean mayChangeMethodFlags) throws Exception {
        Map<String, byte[]> original = compiled(release);
        Map<String, byte[]> recording =
                TestSupport.recording(TestSupport.instrumentAll(original, mayChangeMethodFlags));
        ByteClassLoader before = new ByteClassLoader(original);
        RecordingHooks.reset();
        ByteClassLoader after = new ByteClassLoader(recording);
        after.linkAll();
        for (String name : topLevel(release)) {
            String binary = name.replace('/', '.');
            Map<String, String> expected = TestSupport.runScenarios(Class.forName(binary, true, before));
            Map<String, String> actual = TestSupport.runScenarios(Class.forName(binary, true, after));
            assertEquals(expected, actual, name);
            assertEquals(List.of(), RecordingHooks.problems(), name);
            assertEquals(List.of(), RecordingHooks.stillHeld(), name);
        }
        assertTrue(RecordingHooks.count("monitorEnter") > 100, "monitorEnter calls");
        assertTrue(RecordingHooks.count("monitorExit") > 100, "monitorExit calls");
        assertTrue(RecordingHooks.count("allocated") > 20, "allocated calls");
        assertTrue(RecordingHooks.count("site") > 20, "site calls");
        // SyncMethods' Registry, FailingInitializer and Shared (an interface), Allocations: each one ended.
        assertTrue(RecordingHooks.count("initialized") >= 4, "initialized calls");
        assertEquals(RecordingHooks.count("initializing"), RecordingHooks.count("initialized"), "initializers ended");
        assertTrue(RecordingHooks.count("initializerStored") >= 4, "initializerStored calls");
        // Every wait/notify form went through its stand-in, which made the real call (the results above match).
        for (String call : Arrays.asList("objectWait()", "objectWait(J)", "objectWait(JI)", "objectNotify()",
                "objectNotifyAll()")) {
            assertTrue(RecordingHooks.count(call) >= 5, call + " calls: " + RecordingHooks.count(call));
        }
        assertEquals(RecordingHooks.count("objectWait"), RecordingHooks.count("objectWait()")
                + RecordingHooks.count("objectWait(J)") + RecordingHooks.count("objectWait(JI)"));
        for (String hook : Arrays.asList("objectWait", "objectNotify", "objectNotifyAll")) {
            assertTrue(RecordingHooks.count(hook + " on null") >= 1, hook + " on null");
            assertTrue(RecordingHooks.count(hook + " without the monitor") >= 1, hook + " without the monitor");
        }
        if (mayChangeMethodFlags) {
            assertEquals(0, RecordingHooks.count("syncMethodEntered"));
        } else {
            assertTrue(RecordingHooks.count("syncMethodEntered") > 100, "syncMethodEntered calls");
        }
        Set<String> types = new HashSet<>(RecordingHooks.allocatedTypes());
        assertTrue(types.contains("java.util.concurrent.locks.ReentrantLock"), types.toString());
        assertTrue(types.contains("java.util.concurrent.locks.ReentrantReadWriteLock"), types.toString());
        assertTrue(types.contains("java.util.concurrent.locks.StampedLock"), types.toString());
        assertTrue(types.contains("java.lang.Object"), types.toString());
        types.removeAll(Arrays.asList("java.util.concurrent.locks.ReentrantLock",
                "java.util.concurrent.locks.ReentrantReadWriteLock", "java.util.concurrent.locks.StampedLock",
                "java.lang.Object"));
        // JDK objects that lock themselves, and what Collections.synchronizedList returns.
        assertTrue(types.remove("java.util.Hashtable"), types.toString());
        assertTrue(types.remove("java.lang.StringBuffer"), types.toString());
        assertTrue(types.remove("java.util.Vector"), types.toString()); // SyncMethods.Registry's, in its initializer
        assertTrue(types.remove("java.util.Collections$SynchronizedRandomAccessList"), types.toString());
        assertEquals(Set.of(), types, "allocated hook on other types (subclasses, super() calls)");
        assertTrue(RecordingHooks.count("allocatedIn") >= 10, "allocatedIn calls");
        assertTrue(RecordingHooks.count("storedInField") >= 2, "storedInField calls");
        // Account (twice: this(0) delegates to the other constructor, which reports too) and Ledger.
        assertTrue(RecordingHooks.count("constructed") >= 3, "constructed calls");
    }

    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void hooksAreWhereTheyBelong(String release, boolean mayChangeMethodFlags) {
        Map<String, byte[]> original = compiled(release);
        LayoutChecker.Totals totals = new LayoutChecker.Totals();
        for (Map.Entry<String, byte[]> e : original.entrySet()) {
            ClassNode before = TestSupport.tree(e.getValue());
            byte[] rewritten = ClassInstrumenter.instrument(e.getValue(), mayChangeMethodFlags);
            if (!LayoutChecker.expectsChanges(before)) {
                assertNull(rewritten, e.getKey() + " has nothing to instrument");
                continue;
            }
            assertNotNull(rewritten, e.getKey());
            LayoutChecker.checkClass(before, TestSupport.tree(rewritten), mayChangeMethodFlags, totals);
        }
        assertTrue(totals.monitorEnters >= 20, "monitorenters checked: " + totals.monitorEnters);
        assertTrue(totals.siteHints >= 30, "site hints checked: " + totals.siteHints);
        // super.wait(), super.wait(1), super.wait(1, 1) in WaitNotify.superCalls keep their call and get a hint.
        assertEquals(3, totals.specialWaitHints, "hints before invokespecial wait");
        for (String call : Arrays.asList("wait()V", "wait(J)V", "wait(JI)V", "notify()V", "notifyAll()V")) {
            Integer replaced = totals.replaced.get(call);
            assertTrue(replaced != null && replaced >= 6, call + " replaced: " + totals.replaced);
        }
        if (Runtime.version().feature() >= 18) {
            // javac 18+ calls Object's methods on an interface-typed receiver with invokeinterface (JDK-8272564).
            Integer viaInterface = totals.replaced.get("invokeinterface");
            assertTrue(viaInterface != null && viaInterface >= 4, "invokeinterface replaced: " + totals.replaced);
        }
        // Every lock allocation of the fixtures, and each plain Object stored straight into a field.
        assertTrue(totals.allocations >= 20, "allocations checked: " + totals.allocations);
        assertTrue(totals.ownedAllocations >= 10, "allocations with their owner: " + totals.ownedAllocations);
        assertTrue(totals.factoryCalls >= 2, "Collections.synchronizedList calls: " + totals.factoryCalls);
        // Allocations.fromFactory and STATIC_FROM_FACTORY; Holder's constructors store their argument.
        assertTrue(totals.storeHooks >= 4, "stores into lock fields: " + totals.storeHooks);
        // Account's two constructors, Ledger's default one.
        assertTrue(totals.constructedHooks >= 3, "constructed hooks: " + totals.constructedHooks);
        assertTrue(totals.constructingHooks >= 3, "constructing hooks: " + totals.constructingHooks);
        // SyncMethods' Registry, FailingInitializer and Shared, Allocations; each stores into its statics.
        assertTrue(totals.initializers >= 4, "initializers: " + totals.initializers);
        assertTrue(totals.initializerStores >= 5, "stores into statics in initializers: " + totals.initializerStores);
        assertTrue(totals.partMonitors >= 1, "monitors of parts of this: " + totals.partMonitors);
        if (mayChangeMethodFlags) {
            assertTrue(totals.strippedMethods >= 30, "stripped: " + totals.strippedMethods);
            assertEquals(0, totals.keptSyncMethods);
        } else {
            assertTrue(totals.keptSyncMethods >= 30, "kept: " + totals.keptSyncMethods);
            assertEquals(0, totals.strippedMethods);
        }
        // Allocations stored straight into a field are named after it.
        for (String key : Arrays.asList(
                "jlfixture/Allocations.STATIC_LOCK=java/util/concurrent/locks/ReentrantLock",
                "jlfixture/Allocations.STATIC_MONITOR=java/lang/Object",
                "jlfixture/Allocations.staticReadWrite=java/util/concurrent/locks/ReentrantReadWriteLock",
                "jlfixture/Allocations.reentrant=java/util/concurrent/locks/ReentrantLock",
                "jlfixture/Allocations.fair=java/util/concurrent/locks/ReentrantLock",
                "jlfixture/Allocations.readWrite=java/util/concurrent/locks/ReentrantReadWriteLock",
                "jlfixture/Allocations.stamped=java/util/concurrent/locks/StampedLock",
                "jlfixture/Allocations.monitor=java/lang/Object",
                "jlfixture/LockCalls.lock=java/util/concurrent/locks/ReentrantLock",
                "jlfixture/LockCalls.asLock=java/util/concurrent/locks/ReentrantLock",
                "jlfixture/SyncBlocks.a=java/lang/Object")) {
            assertTrue(totals.fieldKeys.contains(key), key + " in " + totals.fieldKeys);
        }
        // ...and only those: a conditional, an array element, a constructor argument are not.
        for (String key : totals.fieldKeys) {
            assertFalse(key.startsWith("jlfixture/Allocations.maybe") || key.startsWith("jlfixture/Allocations.monitors")
                    || key.startsWith("jlfixture/Allocations.holder") || key.contains("$Holder."), key);
        }
    }

    /**
     * At run time each replaced call reaches its stand-in in program order, with the site of its own line: the calls
     * of WaitNotify.scenarioEveryKind, read from the original bytecode, against what RecordingHooks saw.
     */
    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void replacedCallsReachTheirHooksInOrderWithTheirSites(String release, boolean mayChangeMethodFlags)
            throws Exception {
        Map<String, byte[]> original = compiled(release);
        MethodNode m = TestSupport.method(TestSupport.tree(original.get("jlfixture/WaitNotify")), "scenarioEveryKind");
        List<String> expected = new ArrayList<>();
        for (MethodInsnNode call : LayoutChecker.expectedReplacements(m)) {
            String hook = LayoutChecker.MONITOR_CALLS.get(call.name + call.desc)[0];
            String arguments = call.desc.substring(0, call.desc.indexOf(')') + 1);
            expected.add(hook + arguments + " jlfixture.WaitNotify.scenarioEveryKind:" + TestSupport.lineOf(call));
        }
        assertEquals(5, expected.size(), expected.toString());
        Map<String, byte[]> recording =
                TestSupport.recording(TestSupport.instrumentAll(original, mayChangeMethodFlags));
        RecordingHooks.reset();
        Class<?> before = TestSupport.load(original, "jlfixture/WaitNotify");
        Class<?> after = TestSupport.load(recording, "jlfixture/WaitNotify");
        String outcome = TestSupport.outcome(before.getMethod("scenarioEveryKind"));
        assertEquals("returned interrupted,true,false", outcome);
        RecordingHooks.reset();
        assertEquals(outcome, TestSupport.outcome(after.getMethod("scenarioEveryKind")));
        assertEquals(expected, RecordingHooks.monitorCalls());
        assertEquals(List.of(), RecordingHooks.problems());
        assertEquals(List.of(), RecordingHooks.stillHeld());
        assertEquals(0, RecordingHooks.count("site"));
    }

    /** What is not a virtual call of Object's five methods keeps its call: super.x(), overloads named like them. */
    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void superCallsAndLookAlikesKeepTheirCalls(String release, boolean mayChangeMethodFlags) {
        byte[] classFile = compiled(release).get("jlfixture/WaitNotify");
        ClassNode before = TestSupport.tree(classFile);
        ClassNode after = TestSupport.tree(ClassInstrumenter.instrument(classFile, mayChangeMethodFlags));

        MethodNode superCalls = TestSupport.method(after, "superCalls");
        List<String> specials = new ArrayList<>();
        for (AbstractInsnNode n : TestSupport.realInsns(superCalls)) {
            if (n.getOpcode() == Opcodes.INVOKESPECIAL && !((MethodInsnNode) n).name.equals("<init>")) {
                MethodInsnNode call = (MethodInsnNode) n;
                specials.add(call.owner + "." + call.name + call.desc);
                boolean hinted = TestSupport.isHook(TestSupport.prevReal(n, 1), "site");
                assertEquals(call.name.equals("wait"), hinted, "site hint before super." + call.name + call.desc);
            }
        }
        assertEquals(Arrays.asList("java/lang/Object.notify()V", "java/lang/Object.notifyAll()V",
                "java/lang/Object.wait(J)V", "java/lang/Object.wait(JI)V", "java/lang/Object.wait()V"), specials);
        for (String hook : LayoutChecker.MONITOR_HOOKS) {
            assertEquals(0, TestSupport.countHooks(superCalls, hook), hook);
        }
        assertEquals(3, TestSupport.countHooks(superCalls, "site"));

        for (String name : Arrays.asList("scenarioLookAlikes", "notify", "wait")) {
            for (MethodNode m : before.methods) {
                if (m.name.equals(name)) {
                    // the allocating hint of its new WaitNotify() aside (AllocatingHintTest)
                    MethodNode r = TestSupport.withoutAllocatingHints(TestSupport.method(after, m.name, m.desc));
                    LayoutChecker.assertUnchanged(m, r);
                    LayoutChecker.assertNoHooks(r);
                }
            }
        }
    }

    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void synchronizedFlagIsRemovedOnlyWhenAllowed(String release, boolean mayChangeMethodFlags) {
        int synchronizedMethods = 0;
        for (byte[] classFile : compiled(release).values()) {
            ClassNode before = TestSupport.tree(classFile);
            byte[] rewritten = ClassInstrumenter.instrument(classFile, mayChangeMethodFlags);
            ClassNode after = rewritten == null ? before : TestSupport.tree(rewritten);
            for (int i = 0; i < before.methods.size(); i++) {
                MethodNode m = before.methods.get(i);
                MethodNode r = after.methods.get(i);
                boolean hasCode = (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
                if ((m.access & Opcodes.ACC_SYNCHRONIZED) == 0) {
                    assertEquals(0, r.access & Opcodes.ACC_SYNCHRONIZED, m.name);
                    continue;
                }
                synchronizedMethods++;
                boolean expectFlag = !mayChangeMethodFlags || !hasCode;
                assertEquals(expectFlag, (r.access & Opcodes.ACC_SYNCHRONIZED) != 0, before.name + "." + m.name);
            }
        }
        assertTrue(synchronizedMethods >= 30);
    }

    @ParameterizedTest(name = "release {0}, mayChangeMethodFlags={1}")
    @MethodSource("releasesAndModes")
    void classesWithoutLocksAreLeftAlone(String release, boolean mayChangeMethodFlags) {
        Map<String, byte[]> original = compiled(release);
        assertNull(ClassInstrumenter.instrument(original.get("jlfixture/Plain"), mayChangeMethodFlags));
        assertNull(ClassInstrumenter.instrument(original.get("jlfixture/SyncMethods$Getter"), mayChangeMethodFlags));
        ClassInstrumenter.Result result =
                ClassInstrumenter.transform(original.get("jlfixture/Plain"), mayChangeMethodFlags);
        assertNull(result.classFile());
        assertEquals("jlfixture/Plain", result.className());
        assertEquals(List.of(), result.notes());
    }
}
