package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.DatabaseCaches;
import io.jlockdep.it.apps.GateLock;
import org.junit.jupiter.api.Test;

/** A cycle every order of which was taken holding one gate lock cannot deadlock: not reported, listed in the stats. */
class GatedCyclesIT {

    private static Jvm.Result run(String kind) throws Exception {
        return run(GateLock.class, kind);
    }

    private static Jvm.Result run(Class<?> app, String kind) throws Exception {
        Jvm.Result r = Jvm.withAgent("stats=true").main(app, kind).run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished " + kind), r::toString);
        return r;
    }

    @Test
    void renamesInBothDirectionsUnderTheRenameLockAreNotReported() throws Exception {
        Jvm.Result r = run("gated");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " gated cycles:                         1\n",
                "   Directory.lock ", " --> Directory.lock ", " --> Directory.lock ",
                ", gated by FileSystem.renameLock\n");
    }

    @Test
    void anOrderTakenWithoutTheGateMakesTheCycleReal() throws Exception {
        Jvm.Result r = run("ungated");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "Both locks are of class Directory.lock: two instances taken in both orders.",
                "Every order of this cycle was first taken holding FileSystem.renameLock, which kept it from"
                        + " deadlocking; it is reported now that one of its orders was taken without"
                        + " FileSystem.renameLock.", " gated cycles:                         0\n");
    }

    @Test
    void theRenameLocksOfTwoFileSystemsGateNothing() throws Exception {
        Jvm.Result r = run("two-file-systems");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "Both locks are of class Directory.lock: two instances taken in both orders.",
                " gated cycles:                         0\n");
    }

    @Test
    void eachDatabasesCachesUnderItsOwnMonitorAreNotReported() throws Exception {
        Jvm.Result r = run(DatabaseCaches.class, "gated");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " gated cycles:                         1\n", "   DataFile@DatabaseCaches.java:",
                " --> Cache@DatabaseCaches.java:", " --> DataFile@DatabaseCaches.java:",
                ", gated by Database@DatabaseCaches.java:", " per instance\n");
    }

    @Test
    void aDatabaseTakingAnothersCachesMakesTheCycleReal() throws Exception {
        Jvm.Result r = run(DatabaseCaches.class, "broken");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR,
                "Every order of this cycle was first taken holding Database@DatabaseCaches.java:",
                ", which kept it from deadlocking; it is reported now that one of its locks of class"
                        + " DataFile@DatabaseCaches.java:",
                " was taken in one of its orders holding another Database@DatabaseCaches.java:",
                " than before. That taking: thread main/", ", at Cache.put(DatabaseCaches.java:",
                " gated cycles:                         0\n");
    }
}
