package io.jlockdep.it;

import static io.jlockdep.it.Recordings.at;
import static io.jlockdep.it.Recordings.only;
import static io.jlockdep.it.Recordings.records;
import static io.jlockdep.it.Recordings.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.OneLockOrder;
import io.jlockdep.it.apps.TwoLockOrders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** json=<file>: what a real JVM under the agent writes. */
class JsonOutputIT {
    @TempDir
    Path dir;

    @Test
    void aJvmWritesItsHeaderEachFindingAndItsGraphToAFileNamedByPid() throws Exception {
        Jvm.Result r = Jvm.withAgent("json=" + dir.resolve("run-%p.json")).main(TwoLockOrders.class, "reentrant").run();
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), "the text report is still printed: " + r);
        Path file = only(dir, "run-*.json");
        List<Map<String, Object>> recs = records(file);
        assertEquals(3, recs.size(), () -> recs.toString());

        Map<String, Object> header = recs.get(0);
        assertEquals("header", header.get("type"));
        assertEquals("jlockdep", header.get("format"));
        assertEquals(1L, header.get("formatVersion"));
        long pid = (Long) header.get("pid");
        assertEquals(dir.resolve("run-" + pid + ".json"), file, "%p is the JVM's pid");
        assertEquals(TwoLockOrders.class.getName(), header.get("main"));

        Map<String, Object> finding = recs.get(1);
        assertEquals("finding", finding.get("type"));
        assertEquals(pid, finding.get("pid"));
        assertEquals("circular-dependency", finding.get("kind"));
        assertEquals(Reports.CIRCULAR, finding.get("title"));
        // The main thread's id differs between JDKs (1 on 17, 3 on 25).
        assertTrue(finding.get("thread").toString().matches("main/\\d+"), finding::toString);
        assertEquals("Account.balanceLock", at(finding, "locks", 0, "name"));
        assertEquals("ReentrantLock", at(finding, "locks", 0, "kind"));
        assertTrue(at(finding, "locks", 0, "acquiredAt").toString().startsWith("TwoLockOrders.reentrantReversed("));
        List<Object> chain = at(finding, "chain");
        assertEquals(2, chain.size());
        assertEquals("Account.balanceLock", at(chain, 0, "from", "name"));
        assertEquals("Ledger.entriesLock", at(chain, 0, "to", "name"));
        assertTrue(at(chain, 0, "stack").toString().contains("TwoLockOrders.reentrant(TwoLockOrders.java:"), chain::toString);
        assertTrue(at(chain, 1, "stack").toString().contains("TwoLockOrders.reentrantReversed(TwoLockOrders.java:"));
        assertEquals("Ledger.entriesLock", at(finding, "parties", 0, "held", 0, "lock", "name"));
        assertTrue(r.stderr.contains(at(finding, "text").toString()), "the record carries the printed report");

        Map<String, Object> graph = recs.get(2);
        assertEquals("graph", graph.get("type"));
        assertEquals(pid, graph.get("pid"));
        assertEquals(true, graph.get("complete"));
        // The JDK's own locks are in the graph too; these are the program's two classes and the orders between them.
        Map<Long, String> names = new HashMap<>();
        for (Object c : (List<?>) graph.get("classes")) {
            names.put(at(c, "id"), at(c, "name"));
        }
        assertTrue(names.values().containsAll(Set.of("Account.balanceLock", "Ledger.entriesLock")), names::toString);
        Set<String> orders = new HashSet<>();
        for (Object d : (List<?>) graph.get("dependencies")) {
            String from = names.get(at(d, "from"));
            String to = names.get(at(d, "to"));
            if (Set.of(from, to).equals(Set.of("Account.balanceLock", "Ledger.entriesLock"))) {
                orders.add(from + " -> " + to);
                assertEquals(List.of("EN"), at(d, "types"));
                assertEquals(finding.get("thread"), at(d, "thread"));
                assertTrue(at(d, "stack").toString().contains("TwoLockOrders"), d::toString);
            }
        }
        assertEquals(Set.of("Account.balanceLock -> Ledger.entriesLock", "Ledger.entriesLock -> Account.balanceLock"),
                orders, "both orders");
    }

    @Test
    void aJvmThatDiesKeepsWhatItFoundAndTheToolsSayWhatIsMissing() throws Exception {
        Jvm.Result r = Jvm.withAgent("json=" + dir.resolve("halt-%p.json")).main(OneLockOrder.class, "both-then-halt").run();
        assertEquals(3, r.exitCode, r::toString);
        Path file = only(dir, "halt-*.json");
        List<Map<String, Object>> recs = records(file);
        assertEquals(List.of("header", "finding"), List.of(recs.get(0).get("type"), recs.get(1).get("type")),
                "the finding was written at once; no graph without a normal exit");
        assertEquals(2, recs.size());
        long pid = (Long) recs.get(0).get("pid");

        Jvm.Result merge = tool("merge", file);
        assertEquals(2, merge.exitCode, merge::toString);
        assertEquals("jlockdep merge: " + file + ": pid " + pid + " has no graph record: the JVM did not exit normally"
                + " (or is still running), so its lock graph was never written\n", merge.stderr);

        Path page = dir.resolve("halt.html");
        Jvm.Result html = tool("html", file, "-o", page);
        assertEquals(0, html.exitCode, html::toString);
        assertTrue(html.stderr.contains("has no graph record"), html::toString);
        assertTrue(Files.readString(page).contains(Reports.CIRCULAR), "the finding is shown");
    }

    @Test
    void aJsonFileThatCannotBeOpenedStopsStartUpWithOneLine() throws Exception {
        Path bad = dir.resolve("no/such/dir/x.json");
        Jvm.Result r = Jvm.withAgent("json=" + bad).main(OneLockOrder.class, "account-then-ledger").run();
        assertEquals(1, r.exitCode, r::toString);
        // Only the JVM's own class-sharing warning may come before it (the runtime is on the boot class path by then).
        List<String> ours = r.stderr.lines().filter(l -> !l.contains("Sharing is only supported")).collect(
                java.util.stream.Collectors.toList());
        assertEquals(1, ours.size(), r::toString);
        assertTrue(ours.get(0).startsWith("jlockdep: bad value '" + bad + "' for option 'json': cannot open it for writing ("),
                r::toString);
        assertFalse(r.stdout.contains("finished"), "the application did not run");
    }

    @Test
    void theOutFileTakesThePidToo() throws Exception {
        Jvm.Result r = Jvm.withAgent("out=" + dir.resolve("report-%p.txt")).main(TwoLockOrders.class, "monitor").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(Files.readString(only(dir, "report-*.txt")).contains(Reports.CIRCULAR));
    }
}
