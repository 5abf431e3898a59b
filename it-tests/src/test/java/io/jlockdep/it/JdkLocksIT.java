package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.JdkOnlyInversions;
import io.jlockdep.it.apps.TwoLockOrders;
import org.junit.jupiter.api.Test;

/**
 * Locks inside the JDK are tracked like the application's, including JDK classes loaded before the agent started:
 * inversions that exist only inside JDK code are reported.
 */
class JdkLocksIT {

    private static Jvm.Result run(String options, String kind) throws Exception {
        // These programs use JDK classes loaded before the agent started at once: the default rewrites them before main.
        Jvm.Result r = Jvm.withAgent(options).main(JdkOnlyInversions.class, kind).run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished " + kind), r::toString);
        Reports.assertOnlyTheSummaryLine(r);
        return r;
    }

    @Test
    void hashtableAgainstSynchronizedMap() throws Exception {
        Jvm.Result r = run(null, "maps");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r, " is trying to acquire lock:\n",
                // both lock themselves: classed by where they were made
                "(Collections.synchronizedMap@JdkOnlyInversions.java:", "){monitor}, at SynchronizedMap.",
                "but thread is already holding lock:\n", "(Hashtable@JdkOnlyInversions.java:",
                "){monitor}, at Hashtable.equals(",
                "-> #1 (Hashtable@JdkOnlyInversions.java:", "java.util.Collections$SynchronizedMap.equals(",
                "-> #0 (Collections.synchronizedMap@JdkOnlyInversions.java:", "java.util.Hashtable.equals(",
                "io.jlockdep.it.apps.JdkOnlyInversions.main(");
    }

    @Test
    void twoSynchronizedListsAddedToEachOther() throws Exception {
        Jvm.Result r = run(null, "lists");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "(Collections.synchronizedList@JdkOnlyInversions.java:",
                "){monitor}, at SynchronizedCollection.toArray(",
                "(Collections.synchronizedList@JdkOnlyInversions.java:",
                "){monitor}, at SynchronizedCollection.addAll(");
    }

    @Test
    void synchronizedMethodsOfClassesLoadedBeforeTheAgent() throws Exception {
        Jvm.Result r = run(null, "vector-hashtable");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "(Vector@JdkOnlyInversions.java:", "){monitor}, at Vector.equals(",
                "(Hashtable@JdkOnlyInversions.java:", "){monitor}, at Hashtable.",
                "-> #1 (Hashtable@JdkOnlyInversions.java:", "java.util.Vector.addAll(",
                "-> #0 (Vector@JdkOnlyInversions.java:", "java.util.Hashtable.containsValue(");
    }

    @Test
    void stringBuffersAppendedToEachOther() throws Exception {
        Jvm.Result r = run(null, "string-buffers");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "(StringBuffer@JdkOnlyInversions.java:", "(StringBuffer@JdkOnlyInversions.java:");
    }

    @Test
    void excludingTheJdkLeavesItsMonitorsUnchecked() throws Exception {
        Jvm.Result r = run("exclude=java.*", "maps");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void includeNarrowsToTheApplication() throws Exception {
        Jvm.Result jdk = run("include=io.jlockdep.it.*", "lists");
        assertEquals(0, jdk.count(Reports.CIRCULAR), jdk::toString);
        Jvm.Result app = Jvm.withAgent("include=io.jlockdep.it.*").main(TwoLockOrders.class, "monitor").run();
        assertEquals(1, app.count(Reports.CIRCULAR), app::toString);
    }

    @Test
    void badPatternStopsStartUpWithOneLine() throws Exception {
        Jvm.Result r = Jvm.withAgent("include=com.x.*::org.y.*").main(TwoLockOrders.class, "monitor").run();
        assertEquals(1, r.exitCode, r::toString);
        assertEquals("jlockdep: bad value 'com.x.*::org.y.*' for option 'include': an empty pattern (two ':' in a row,"
                + " or one at an end)\n", r.stderr.replaceAll("(?m)^OpenJDK.*warning.*\n", ""), r::toString);
    }
}
