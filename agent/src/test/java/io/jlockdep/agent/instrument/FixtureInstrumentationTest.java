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
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Instruments real javac output (the fixtures under test resources instrument/fixtures, compiled in memory for several
 * --release levels), in both modes, then verifies, runs and inspects it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FixtureInstrumentationTest {
    private static final String[] COMMON_SOURCES = {
        "SyncBlocks.java", "SyncMethods.java", "Allocations.java", "LockCalls.java", "Plain.java",
    };
    private static final String[] TOP_LEVEL = {
        "jlfixture/SyncBlocks", "jlfixture/SyncMethods", "jlfixture/Allocations", "jlfixture/LockCalls",
        "jlfixture/Plain",
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
        assertEquals(Set.of(), types, "allocated hook on other types (subclasses, super() calls)");
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
        assertTrue(totals.siteHints >= 40, "site hints checked: " + totals.siteHints);
        assertTrue(totals.allocations >= 30, "allocations checked: " + totals.allocations);
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
