package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.ClassVisibility;
import io.jlockdep.it.apps.TwoLockOrders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent jar as users get it: one file, whatever it is called, whose runtime alone is on the boot class path; the
 * agent proper, its libraries and the tools load only in the agent's own class loader.
 */
class AgentJarIT {
    /** The jar's isolated part: the classes no application class loader may load. */
    private static final String ISOLATED = "isolated/";
    private static final String CLASS_DATA = ".classdata";

    @Test
    void underItsOwnNameTheJvmPrintsNothingAndKeepsClassDataSharing() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).jvmOption("-Xlog:cds=info").main(TwoLockOrders.class, "reentrant").run();
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        assertFalse(r.stderr.contains("VM warning"), r::toString);
        assertFalse(r.stdout.contains("Sharing is only supported for boot loader classes"), r::toString);
    }

    @Test
    void underAnotherNameItStillWorks(@TempDir Path dir) throws Exception {
        Path renamed = Files.copy(Jvm.AGENT, dir.resolve("lockdep-for-this-service.jar"));
        Jvm.Result r = Jvm.withAgentJar(renamed, null).main(TwoLockOrders.class, "reentrant").run();
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "(Ledger.entriesLock){ReentrantLock}", "(Account.balanceLock){ReentrantLock}");
    }

    @Test
    void dashDashVersionAndVersionPrintTheVersionBuilt() throws Exception {
        String expected = "jlockdep " + System.getProperty("jlockdep.version") + "\n";
        for (String command : new String[] {"--version", "version"}) {
            Jvm.Result r = Jvm.withoutAgent().jar(Jvm.AGENT, command).run();
            assertEquals(0, r.exitCode, r::toString);
            assertEquals(expected, r.stdout, r::toString);
            assertEquals("", r.stderr, r::toString);
        }
    }

    @Test
    void theJarIsSelfContainedWithItsLibrariesRelocated() throws Exception {
        try (JarFile jar = new JarFile(Jvm.AGENT.toFile())) {
            assertTrue(jar.getEntry("io/jlockdep/runtime/Hooks.class") != null, "the runtime");
            assertTrue(jar.getEntry("io/jlockdep/Lockdep.class") != null, "the annotation API");
            assertTrue(jar.getEntry(ISOLATED + "io/jlockdep/shaded/org/objectweb/asm/ClassReader" + CLASS_DATA) != null,
                    "ASM, relocated, in the isolated part");
            assertTrue(jar.stream().noneMatch(e -> e.getName().replace(ISOLATED, "").startsWith("org/objectweb/")),
                    "no unrelocated ASM");
            String bootClassPath = jar.getManifest().getMainAttributes().getValue("Boot-Class-Path");
            assertTrue(bootClassPath.contains(Jvm.AGENT.getFileName().toString()), bootClassPath);
            // What the boot class path gets: the runtime, its public API, and the bootstrap that starts the agent.
            List<String> topLevelClasses = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("io/jlockdep/runtime/")
                            && !n.startsWith("io/jlockdep/Lockdep") && !n.startsWith("io/jlockdep/agent/bootstrap/"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), topLevelClasses, "classes outside the runtime at the jar's top level");
        }
    }

    @Test
    void anApplicationReachesTheRuntimeButNotTheAgentItsLibrariesOrTheTools() throws Exception {
        List<String> isolated = isolatedClasses();
        Jvm.Result r = Jvm.withAgent(null).main(ClassVisibility.class, isolated.toArray(new String[0])).run();
        assertOnlyTheRuntimeVisible(r, isolated);
    }

    @Test
    void underAnotherNameTheAgentIsStillOutOfReach(@TempDir Path dir) throws Exception {
        Path renamed = Files.copy(Jvm.AGENT, dir.resolve("lockdep-for-this-service.jar"));
        List<String> isolated = isolatedClasses();
        Jvm.Result r = Jvm.withAgentJar(renamed, null).main(ClassVisibility.class, isolated.toArray(new String[0]))
                .run();
        assertOnlyTheRuntimeVisible(r, isolated);
    }

    @Test
    void afterADynamicAttachTheAgentIsStillOutOfReach() throws Exception {
        List<String> isolated = isolatedClasses();
        List<String> args = new ArrayList<>(List.of("--after-go"));
        args.addAll(isolated);
        Jvm.Running target = Jvm.withoutAgent().main(ClassVisibility.class, args.toArray(new String[0])).start();
        target.awaitStdout("ready");
        target.loadAgent(Jvm.AGENT, null);
        target.send("go");
        assertOnlyTheRuntimeVisible(target.finish(), isolated);
    }

    /** Every class of the jar's isolated part, by name; checked to hold the agent proper, ASM and the tools. */
    private static List<String> isolatedClasses() throws IOException {
        try (JarFile jar = new JarFile(Jvm.AGENT.toFile())) {
            List<String> names = jar.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith(ISOLATED) && n.endsWith(CLASS_DATA))
                    .map(n -> n.substring(ISOLATED.length(), n.length() - CLASS_DATA.length()).replace('/', '.'))
                    .collect(Collectors.toList());
            for (String expected : List.of("io.jlockdep.agent.Installer", "io.jlockdep.agent.LockdepTransformer",
                    "io.jlockdep.agent.instrument.ClassInstrumenter",
                    "io.jlockdep.shaded.org.objectweb.asm.ClassReader", "io.jlockdep.tools.Tools",
                    "io.jlockdep.tools.JsonReader", "io.jlockdep.tools.GraphLayout")) {
                assertTrue(names.contains(expected), expected + " is not in the isolated part: " + names);
            }
            return names;
        }
    }

    private static void assertOnlyTheRuntimeVisible(Jvm.Result r, List<String> isolated) {
        assertEquals(0, r.exitCode, r::toString);
        for (String name : isolated) {
            assertTrue(r.stdout.contains(name + " boot refused\n"), () -> name + " through the boot loader\n" + r);
            assertTrue(r.stdout.contains(name + " system refused\n"), () -> name + " through the system loader\n" + r);
        }
        assertTrue(r.stdout.contains("Lockdep.isActive true, defined by the boot loader\n"), r::toString);
        assertFalse(r.stderr.contains("jlockdep: internal error"), r::toString);
    }
}
