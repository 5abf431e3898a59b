package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.HostStress;
import io.jlockdep.it.apps.NeighbourAgent;
import io.jlockdep.it.apps.NeighbourApp;
import io.jlockdep.it.apps.TwoLockOrders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never harming the host: the program's own errors stay its own and the agent keeps checking; the agent's threads
 * never keep the JVM alive; it shares the JVM with other agents (JaCoCo's, a Byte Buddy one), in either order.
 */
class HostSafetyIT {
    static final Path CORPUS = Paths.get(System.getProperty("jlockdep.corpus.dir", "target/corpus"));
    static final Path BYTE_BUDDY = CORPUS.resolve("byte-buddy.jar");
    static final Path JACOCO = CORPUS.resolve("jacocoagent.jar");

    private static void assertStillChecking(Jvm.Result r, String kind) {
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("survived " + kind), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "(HostStress.OUTER){monitor}", "(HostStress.INNER){monitor}");
        Reports.assertOnlyTheSummaryLine(r);
    }

    @Test
    void stackOverflowsInsideHooksAreTheProgramsOwn() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).jvmOption("-Xss256k").main(HostStress.class, "stack-overflow").run();
        assertStillChecking(r, "stack-overflow");
    }

    @Test
    void runningOutOfMemoryWhileTakingLocksIsTheProgramsOwn() throws Exception {
        // with startup=background the JDK's classes are rewritten while the program exhausts its heap
        for (String options : new String[] {null, "startup=background"}) {
            Jvm.Result r = Jvm.withAgent(options).jvmOption("-Xmx48m").timeout(Duration.ofMinutes(2))
                    .main(HostStress.class, "out-of-memory").run();
            assertStillChecking(r, "out-of-memory");
        }
    }

    @Test
    void theWatchdogThreadNeverKeepsTheJvmAlive() throws Exception {
        // main returns at once: the JVM must end although the watchdog and the background rewriting run
        Jvm.Result r = Jvm.withAgent("watchdog=100,startup=background").timeout(Duration.ofSeconds(30))
                .main(TwoLockOrders.class, "consistent").run();
        assertEquals(0, r.exitCode, r::toString);
        assertFalse(r.timedOut, r::toString);
    }

    @Test
    void withJacocoBeforeOrAfterBothAgentsWork(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(JACOCO), "JaCoCo's agent jar: " + JACOCO);
        for (boolean jacocoFirst : new boolean[] {true, false}) {
            Path exec = dir.resolve("jacoco-" + jacocoFirst + ".exec");
            String jacoco = "-javaagent:" + JACOCO + "=destfile=" + exec;
            Jvm jvm = jacocoFirst ? Jvm.withAgent(null).jvmOption(jacoco) : Jvm.withoutAgent().jvmOption(jacoco);
            if (!jacocoFirst) {
                jvm = jvm.jvmOption("-javaagent:" + Jvm.AGENT);
            }
            Jvm.Result r = jvm.main(TwoLockOrders.class, "monitor").run();
            assertEquals(0, r.exitCode, r::toString);
            assertEquals(1, r.count(Reports.CIRCULAR), "jacoco first: " + jacocoFirst + "\n" + r);
            assertTrue(Files.size(exec) > 0, "JaCoCo wrote its coverage, first: " + jacocoFirst);
            assertFalse(r.stderr.contains("Exception"), r::toString);
            // Its coverage file names every class it instrumented: none of jlockdep's own (they have no location).
            String covered = new String(Files.readAllBytes(exec), StandardCharsets.ISO_8859_1);
            assertTrue(covered.contains("io/jlockdep/it/apps/TwoLockOrders"), "the application's classes are there");
            assertFalse(covered.contains("io/jlockdep/agent/") || covered.contains("io/jlockdep/shaded/"),
                    "JaCoCo instrumented jlockdep's own classes, first: " + jacocoFirst);
        }
    }

    @Test
    void withAByteBuddyAgentBeforeOrAfterBothAgentsWork(@TempDir Path dir) throws Exception {
        assertTrue(Files.isRegularFile(BYTE_BUDDY), "Byte Buddy's jar: " + BYTE_BUDDY);
        Path neighbour = dir.resolve("neighbour-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", NeighbourAgent.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        // only the manifest: the agent's classes and Byte Buddy come from the class path, as in a test run
        new JarOutputStream(Files.newOutputStream(neighbour), manifest).close();
        List<String> classpath = List.of(Jvm.TEST_CLASSES, BYTE_BUDDY.toString());
        for (boolean neighbourFirst : new boolean[] {true, false}) {
            String other = "-javaagent:" + neighbour;
            Jvm jvm = neighbourFirst ? Jvm.withoutAgent().jvmOption(other).jvmOption("-javaagent:" + Jvm.AGENT)
                    : Jvm.withAgent(null).jvmOption(other);
            Jvm.Result r = jvm.main(NeighbourApp.class.getName(), classpath).run();
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.stdout.contains("neighbour advice: vector advised, app advised"),
                    "Byte Buddy first: " + neighbourFirst + "\n" + r);
            assertEquals(1, r.count(Reports.CIRCULAR), "Byte Buddy first: " + neighbourFirst + "\n" + r);
            Reports.assertInOrder(r, "(Account.auditMonitor){monitor}, at TwoLockOrders.monitorsReversed(",
                    "(Ledger.pageMonitor){monitor}, at TwoLockOrders.monitorsReversed(");
            assertFalse(r.stderr.contains("Exception"), r::toString);
        }
    }
}
