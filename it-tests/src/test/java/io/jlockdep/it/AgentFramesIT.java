package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.ThrowablesThroughHooks;
import org.junit.jupiter.api.Test;

/**
 * The program never sees jlockdep's frames, and behaves as it does without the agent: a stack overflow whose last call
 * was into a hook, an interrupt or an IllegalMonitorStateException thrown by the wait or notify a hook makes for the
 * program, printed by the program or by the JVM, and the AssertionError of {@code Lockdep.assertHeld} (whose API frame
 * is the program's call, the runtime's below it are not).
 */
class AgentFramesIT {
    private static final String ASSERTION = "assertHeld: java.lang.AssertionError at io.jlockdep.Lockdep.assertHeld"
            + " <- io.jlockdep.it.apps.ThrowablesThroughHooks.main\n";

    @Test
    void throwablesThatPassedThroughJlockdepShowOnlyTheProgramsFrames() throws Exception {
        Jvm.Result without = Jvm.withoutAgent().jvmOption("-Xss512k").main(ThrowablesThroughHooks.class).run();
        assertTrue(without.stdout.endsWith("done\n"), without::toString);
        for (String options : new String[] {null, "watchdog=60000"}) {
            Jvm.Result r = Jvm.withAgent(options).jvmOption("-Xss512k")
                    .main(ThrowablesThroughHooks.class, "assert").run();
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.stdout.contains(ASSERTION), r::toString);
            assertEquals(without.stdout, r.stdout.replace(ASSERTION, ""), "the program's own output, " + options);
            assertEquals(without.stderr, r.stderr, "what the JVM printed for the uncaught exception, " + options);
            for (String output : new String[] {r.stdout, r.stderr}) {
                assertFalse(output.contains("io.jlockdep.runtime.") || output.contains("io.jlockdep.agent."),
                        "jlockdep's frames in what the program printed:\n" + r);
            }
        }
    }
}
