package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.TwoLockOrders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent jar as users get it: one file, its runtime on the boot class path, whatever the file is called. */
class AgentJarIT {

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
            assertTrue(jar.getEntry("io/jlockdep/shaded/org/objectweb/asm/ClassReader.class") != null, "ASM, relocated");
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/objectweb/")), "no unrelocated ASM");
            String bootClassPath = jar.getManifest().getMainAttributes().getValue("Boot-Class-Path");
            assertTrue(bootClassPath.contains(Jvm.AGENT.getFileName().toString()), bootClassPath);
        }
    }
}
