package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.StackOverflowInLocks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Stack overflows inside synchronized code: the held-lock records stay true to what the JVM holds, no handler spins,
 * no false cycle or "still has locks held", and checking goes on.
 */
class StackOverflowIT {
    private static final String[] STORMS = {"sync-method", "fresh-monitors", "shared-monitor", "reentrant-lock",
        "monitor-and-lock", "overflow-again", "jdk-sync-method"};

    @Test
    void overflowsInsideMonitorsAndLocksLeaveTrueRecords() throws Exception {
        // By default StringBuffer, loaded before the agent, is rewritten (its methods keep their flag) before main;
        // the watchdog adds the hooks that mark the end of each acquisition.
        for (String options : new String[] {null, "watchdog=60000"}) {
            Jvm.Result r = Jvm.withAgent(options).jvmOption("-Xss512k").timeout(Duration.ofMinutes(4))
                    .main(StackOverflowInLocks.class).run();
            assertFalse(r.timedOut, "a handler spun, or the run crawled: " + options + "\n" + r);
            assertEquals(0, r.exitCode, r::toString);
            for (String storm : STORMS) {
                Reports.assertStdoutInOrder(r, storm + ": records agree with the JVM\n" + storm + ": consistent\n");
            }
            assertTrue(r.stdout.endsWith("consistent orders taken\nsecond then first\ndone\n"), r::toString);
            // (the fresh-monitors storm holds thousands of monitors at once: its thread is reported past max-depth)
            assertEquals(1, r.count(Reports.CIRCULAR), "only the real inversion, with " + options + "\n" + r);
            Reports.assertInOrder(r, Reports.CIRCULAR, "(StackOverflowInLocks.FIRST){monitor}",
                    "(StackOverflowInLocks.SECOND){monitor}");
            assertFalse(r.stderr.contains("still has locks held"), r::toString);
            Reports.assertOnlyTheSummaryLine(r);
            assertFalse(r.stderr.contains("Exception in thread"), r::toString);
        }
    }
}
