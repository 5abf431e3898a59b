package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;

import io.jlockdep.agent.instrument.TestSupport.ByteClassLoader;
import io.jlockdep.runtime.Hooks;
import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.lockclass.LockType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The hook protocol is written once, in {@link Hook}. This test fails when the runtime ({@code Hooks} and
 * {@code ExitCode}, by reflection), the calls each instrumenter emits, or the test double {@link RecordingHooks}
 * drift from it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HookTableTest {
    private static final String[] FIXTURES = {
        "SyncBlocks.java", "SyncMethods.java", "Allocations.java", "LockCalls.java", "Plain.java", "WaitNotify.java",
        "Modern.java",
    };

    @Test
    void theRuntimeHasEveryHookOfTheTableAndNoOther() throws Exception {
        Map<String, Set<String>> declared = new TreeMap<>();
        Map<String, Set<String>> tabled = new TreeMap<>();
        for (Hook h : Hook.values()) {
            tabled.computeIfAbsent(h.owner, o -> new TreeSet<>()).add(h.method + h.descriptor);
        }
        for (String owner : tabled.keySet()) {
            Class<?> c = Class.forName(owner.replace('/', '.'));
            assertTrue(Modifier.isPublic(c.getModifiers()), owner + " must be public: every class calls it");
            declared.put(owner, publicStaticMethods(c));
        }
        assertEquals(tabled, declared, "the Hook table against the runtime's public static methods");
    }

    /** The lock types the instrumenter passes are the runtime's constants, which Hooks turns back into LockTypes. */
    @Test
    void theLockTypeCodesAreLockTypeOrdinals() throws Exception {
        int constants = 0;
        for (Field f : Hooks.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                assertEquals(LockType.valueOf(f.getName()).ordinal(), f.getInt(null), f.getName());
                constants++;
            }
        }
        assertEquals(3, constants, "REENTRANT_LOCK, READ_WRITE_LOCK, STAMPED_LOCK");
    }

    @Test
    void classInstrumenterEmitsOnlyItsHooksAndEachOfThem() {
        Set<Hook> emitted = EnumSet.noneOf(Hook.class);
        Map<String, byte[]> compiled = TestSupport.compileFixtures("17", FIXTURES);
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            for (boolean markMonitorEntered : new boolean[] {true, false}) {
                for (byte[] original : compiled.values()) {
                    byte[] rewritten = ClassInstrumenter.transform(original, mayChangeMethodFlags, markMonitorEntered)
                            .classFile();
                    if (rewritten != null) {
                        emitted.addAll(runtimeCalls(rewritten, Hook.By.CLASSES));
                    }
                }
            }
        }
        assertEquals(hooksBy(Hook.By.CLASSES), emitted, "hooks the fixtures' rewritten code calls");
    }

    @Test
    void lockMethodInstrumenterEmitsOnlyItsHooksAndEachOfThem() {
        Set<Hook> emitted = EnumSet.noneOf(Hook.class);
        int classes = 0;
        for (String target : LockMethodInstrumenter.targetClasses()) {
            byte[] original = jdkClassOrNull(target); // java.lang.VirtualThread exists from JDK 19 (preview) on
            if (original != null) {
                byte[] rewritten = LockMethodInstrumenter.instrument(original, true, true);
                emitted.addAll(runtimeCalls(rewritten, Hook.By.JDK_METHODS));
                classes++;
            }
        }
        assertTrue(classes >= 9, "rewrote " + classes + " JDK classes");
        Set<Hook> expected = hooksBy(Hook.By.JDK_METHODS);
        if (!emitted.contains(Hook.BEFORE_UNLOCK_STAMP)) {
            // StampedLock.unlock(long) delegates to unlockWrite/unlockRead (JDK 15 and later), which report the
            // release: the instrumenter leaves it alone, and its own hook is for a JDK where it does not delegate.
            MethodNode unlock = TestSupport.method(TestSupport.tree(LockMethodInstrumenter.instrument(
                    TestSupport.jdkClassBytes(StampedLock.class), true, true)), "unlock", "(J)V");
            assertTrue(runtimeCallsIn(unlock).isEmpty(), "StampedLock.unlock(long) reports nothing itself");
            expected.remove(Hook.BEFORE_UNLOCK_STAMP);
        }
        assertEquals(expected, emitted, "hooks the rewritten JDK methods call");
    }

    @Test
    void waitMethodInstrumenterEmitsOnlyItsHooksAndEachOfThem() {
        Set<Hook> emitted = EnumSet.noneOf(Hook.class);
        for (String target : WaitMethodInstrumenter.targetClasses()) {
            byte[] original = jdkClassOrNull(target);
            if (original != null) {
                emitted.addAll(runtimeCalls(WaitMethodInstrumenter.instrument(original), Hook.By.WAIT_METHODS));
            }
        }
        assertEquals(hooksBy(Hook.By.WAIT_METHODS), emitted, "hooks the rewritten JDK wait methods call");
    }

    /** The event codes the instrumenter passes are the runtime's constants, which Hooks turns back into EventTypes. */
    @Test
    void theEventCodesAreEventTypeOrdinals() throws Exception {
        int constants = 0;
        for (Field f : EventType.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                assertEquals(EventType.valueOf(f.getName().substring("CODE_".length())).ordinal(), f.getInt(null),
                        f.getName());
                assertEquals(EventType.valueOf(f.getName().substring("CODE_".length())),
                        EventType.ofCode(f.getInt(null)), f.getName());
                constants++;
            }
        }
        assertEquals(EventType.values().length, constants, "one code for each EventType");
    }

    @Test
    void stackTraceInstrumenterEmitsOnlyItsHook() {
        byte[] rewritten = StackTraceInstrumenter.instrument(TestSupport.jdkClassBytes(StackTraceInstrumenter.TARGET));
        assertEquals(hooksBy(Hook.By.STACK_TRACES), runtimeCalls(rewritten, Hook.By.STACK_TRACES));
    }

    @Test
    void shutdownInstrumenterEmitsOnlyItsHooksAndEachOfThem() {
        byte[] rewritten = ShutdownInstrumenter.instrument(TestSupport.jdkClassBytes(ShutdownInstrumenter.TARGET));
        assertEquals(hooksBy(Hook.By.SHUTDOWN), runtimeCalls(rewritten, Hook.By.SHUTDOWN));
    }

    @Test
    void theTestDoubleHasExactlyTheHooksOfClassInstrumenter() {
        Set<String> tabled = new TreeSet<>();
        for (Hook h : hooksBy(Hook.By.CLASSES)) {
            tabled.add(h.method + h.descriptor);
        }
        assertEquals(tabled, publicStaticMethods(RecordingHooks.class),
                "RecordingHooks against the table's hooks for ClassInstrumenter");
    }

    /**
     * The one stand-in no other test reaches: rewritten code that also marks each monitor as entered (once per entry,
     * not on each turn of a loop that starts the block).
     */
    @Test
    void theTestDoubleChecksMonitorEnteredAtRuntime() throws Exception {
        TestSupport.verifyAll(markingEntered(TestSupport.compileFixtures("8", "SyncBlocks.java", "SyncMethods.java")));
        Map<String, byte[]> original = TestSupport.compileFixtures("17", FIXTURES);
        Map<String, byte[]> rewritten = markingEntered(original);
        ByteClassLoader before = new ByteClassLoader(original);
        RecordingHooks.reset();
        ByteClassLoader after = new ByteClassLoader(TestSupport.recording(rewritten));
        after.linkAll();
        for (String name : List.of("jlfixture.SyncBlocks", "jlfixture.SyncMethods", "jlfixture.WaitNotify")) {
            assertEquals(TestSupport.runScenarios(Class.forName(name, true, before)),
                    TestSupport.runScenarios(Class.forName(name, true, after)), name);
        }
        assertEquals(List.of(), RecordingHooks.problems());
        assertEquals(List.of(), RecordingHooks.stillHeld());
        assertTrue(RecordingHooks.count("monitorEntered") > 100, "monitorEntered calls");
        assertTrue(RecordingHooks.count("monitorEntered") <= RecordingHooks.count("monitorEnter"),
                "at most one monitorEntered for each monitorEnter");
    }

    private static Map<String, byte[]> markingEntered(Map<String, byte[]> classes) {
        Map<String, byte[]> rewritten = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            byte[] b = ClassInstrumenter.transform(e.getValue(), true, true).classFile();
            rewritten.put(e.getKey(), b == null ? e.getValue() : b);
        }
        return rewritten;
    }

    /**
     * The calls into jlockdep's classes in a rewritten class file: each must be a hook of the table emitted by
     * {@code by}.
     */
    private static Set<Hook> runtimeCalls(byte[] classFile, Hook.By by) {
        Set<Hook> found = EnumSet.noneOf(Hook.class);
        ClassNode c = TestSupport.tree(classFile);
        for (MethodNode m : c.methods) {
            for (MethodInsnNode call : runtimeCallsIn(m)) {
                Hook h = tableEntry(call, by);
                String where = c.name + "." + m.name + m.desc + " calls " + call.owner + "." + call.name + call.desc;
                assertTrue(h != null, where + ", which is not in the Hook table");
                assertEquals(by, h.by, where);
                found.add(h);
            }
        }
        return found;
    }

    private static List<MethodInsnNode> runtimeCallsIn(MethodNode m) {
        List<MethodInsnNode> calls = new ArrayList<>();
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
            if (n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.startsWith("io/jlockdep/")) {
                calls.add((MethodInsnNode) n);
            }
        }
        return calls;
    }

    /** The table's entry for a call, the one of {@code by} when two instrumenters emit the same hook. */
    private static Hook tableEntry(MethodInsnNode call, Hook.By by) {
        Hook found = null;
        for (Hook h : Hook.values()) {
            if (h.owner.equals(call.owner) && h.method.equals(call.name) && h.descriptor.equals(call.desc)
                    && call.getOpcode() == Opcodes.INVOKESTATIC && !call.itf && (found == null || h.by == by)) {
                found = h;
            }
        }
        return found;
    }

    private static Set<Hook> hooksBy(Hook.By by) {
        Set<Hook> out = EnumSet.noneOf(Hook.class);
        for (Hook h : Hook.values()) {
            if (h.by == by) {
                out.add(h);
            }
        }
        return out;
    }

    /** {@code name(descriptor)} of each public static method the class declares. */
    private static Set<String> publicStaticMethods(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
                out.add(m.getName() + Type.getMethodDescriptor(m));
            }
        }
        return out;
    }

    private static byte[] jdkClassOrNull(String internalName) {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
