package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.ExitPaths;
import org.junit.jupiter.api.Test;

/** exit-code=n: a JVM that reported a finding ends with status n, after its shutdown hooks, however it ends. */
class ExitCodeIT {
    private static final String SAYS_WHY = "jlockdep: 1 finding reported, exiting with status 3 (exit-code=3)\n";

    private static Jvm.Result run(String options, String before, String end) throws Exception {
        return Jvm.withAgent(options).main(ExitPaths.class, before, end).run();
    }

    /** The hook sleeps before printing: seeing its line means the JVM waited for it. */
    private static void assertHooksFinished(Jvm.Result r) {
        assertTrue(r.stdout.contains("main done\n"), r::toString);
        assertTrue(r.stdout.contains("hook finished\n"), () -> "the shutdown hook ran to completion\n" + r);
    }

    @Test
    void mainReturningOrSystemExitZeroAfterAFindingExitsWithTheStatus() throws Exception {
        for (String end : new String[] {"return", "exit=0"}) {
            Jvm.Result r = run("exit-code=3", "inversion", end);
            assertEquals(3, r.exitCode, r::toString);
            assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
            assertTrue(r.stderr.endsWith(SAYS_WHY), r::toString);
            assertHooksFinished(r);
        }
    }

    @Test
    void aFailureStatusChosenByTheProgramStays() throws Exception {
        Jvm.Result r = run("exit-code=3", "inversion", "exit=7");
        assertEquals(7, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        assertFalse(r.stderr.contains("exiting with status"), r::toString);
        assertHooksFinished(r);
    }

    @Test
    void mainThrowingAfterAFindingExitsWithTheStatus() throws Exception {
        Jvm.Result r = run("exit-code=3", "inversion", "throw");
        assertEquals(3, r.exitCode, r::toString);
        assertTrue(r.stderr.contains("IllegalStateException: main gives up"), r::toString);
        assertHooksFinished(r);
    }

    @Test
    void aFindingReportedByAShutdownHookCounts() throws Exception {
        for (String end : new String[] {"return", "exit=0"}) {
            Jvm.Result r = run("exit-code=3", "inversion-in-hook", end);
            assertEquals(3, r.exitCode, r::toString);
            assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
            assertHooksFinished(r);
        }
    }

    @Test
    void withoutFindingsTheStatusIsZero() throws Exception {
        for (String end : new String[] {"return", "exit=0"}) {
            Jvm.Result r = run("exit-code=3", "clean", end);
            assertEquals(0, r.exitCode, r::toString);
            assertFalse(r.stderr.contains("jlockdep:"), r::toString);
            assertHooksFinished(r);
        }
    }

    @Test
    void withoutTheOptionFindingsDoNotChangeTheStatus() throws Exception {
        Jvm.Result r = run(null, "inversion", "return");
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        assertHooksFinished(r);
    }

    @Test
    void aBadStatusStopsStartUpWithOneLine() throws Exception {
        for (String bad : new String[] {"0", "256", "three"}) {
            Jvm.Result r = run("exit-code=" + bad, "clean", "return");
            assertEquals(1, r.exitCode, r::toString);
            assertFalse(r.stdout.contains("main done"), r::toString);
            assertEquals("jlockdep: bad value '" + bad + "' for option 'exit-code': expected a whole number from 1 to"
                    + " 255", r.stderr.strip(), r::toString);
        }
    }
}
