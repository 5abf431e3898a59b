package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.AttachTarget;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dynamic attach: the agent loaded into a running JVM, through the Attach API and through {@code jcmd}. Classes loaded
 * before are retransformed, checking starts from then on, and locks taken before the attach cause no false report.
 */
class AttachIT {

    @Test
    void attachApi() throws Exception {
        Jvm.Running target = Jvm.withoutAgent().main(AttachTarget.class).start();
        target.awaitStdout("ready");
        target.loadAgent(Jvm.AGENT, "max-reports=10");
        target.send("go");
        check(target.finish());
    }

    @Test
    void jcmd() throws Exception {
        Jvm.Running target = Jvm.withoutAgent().main(AttachTarget.class).start();
        target.awaitStdout("ready");
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(target.process.pid()), "JVMTI.agent_load",
                // jcmd splits an argument at "=" unless it is quoted: the quotes are part of the argument.
                Jvm.AGENT.toString(), "\"max-reports=10\"")).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd did not finish");
        String jcmdOutput = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), jcmdOutput);
        target.send("go");
        check(target.finish());
    }

    @Test
    void aSecondAttachSaysItIsAlreadyRunning() throws Exception {
        Jvm.Running target = Jvm.withAgent(null).main(AttachTarget.class).start();
        target.awaitStdout("ready");
        target.loadAgent(Jvm.AGENT, null);
        target.send("go");
        Jvm.Result r = target.finish();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stderr.contains("jlockdep: already running in this JVM; ignoring the second start\n"), r::toString);
    }

    private static void check(Jvm.Result r) {
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished"), r::toString);
        // Three inversions after the attach: synchronized methods of a class loaded before it, ReentrantLocks taken
        // before it, and monitors of a class loaded after it.
        assertEquals(3, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR, "(monitor of Store){monitor}",
                "(monitor of Index){monitor}");
        Reports.assertInOrder(r, Reports.CIRCULAR, Reports.CIRCULAR, "(ReentrantLock first taken at AttachTarget.java:");
        Reports.assertInOrder(r, Reports.CIRCULAR, Reports.CIRCULAR, Reports.CIRCULAR, "(AfterAttach.RIGHT){monitor}",
                "(AfterAttach.LEFT){monitor}");
        assertFalse(r.stderr.contains("bad unlock balance"), r::toString);
        assertFalse(r.stderr.contains("jlockdep: internal error"), r::toString);
    }
}
