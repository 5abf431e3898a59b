package io.jlockdep.it;

import static io.jlockdep.it.Recordings.record;
import static io.jlockdep.it.Recordings.records;
import static io.jlockdep.it.Recordings.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.TwoLockOrders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Living with what is found, end to end: a run writes a baseline, the next runs suppress what it lists (counted, not
 * printed, failing nothing) and still report and fail on a new finding; merge does the same across JVMs.
 */
class SuppressionIT {
    private static final String OLD_CYCLE = "possible circular locking dependency: Account.balanceLock ->"
            + " Ledger.entriesLock -> Account.balanceLock at TwoLockOrders.reentrantReversed(TwoLockOrders.java:";

    @TempDir
    Path dir;

    @Test
    void aBaselineFromOneRunLetsTheNextOnesFailOnlyOnNewFindings() throws Exception {
        Path baseline = dir.resolve("jlockdep-baseline.txt");
        Jvm.Result first = Jvm.withAgent("baseline=" + baseline).main(TwoLockOrders.class, "reentrant").run();
        assertEquals(0, first.exitCode, first::toString);
        assertEquals(1, first.count(Reports.CIRCULAR), first::toString);
        List<String> lines = lastLines(first.stderr, 2);
        assertEquals("jlockdep: baseline " + baseline + ": 1 finding added", lines.get(0), first::toString);
        assertEquals("jlockdep: 1 finding (1 circular) in 2 lock classes", lines.get(1), "the run's last line");
        String text = Files.readString(baseline, StandardCharsets.UTF_8);
        List<String> entries = entries(text);
        assertEquals(1, entries.size(), text);
        String id = entries.get(0).substring(0, entries.get(0).indexOf(' '));
        assertTrue(id.matches("circular-dependency-[0-9a-f]{16}"), text);
        assertTrue(entries.get(0).startsWith(id + " baseline: " + OLD_CYCLE), text);
        assertTrue(first.stderr.contains("finding id: " + id + " ("), "the report names the id it is listed by");

        // The old cycle again, and a new one: only the new one is a finding.
        Path json = dir.resolve("run.json");
        Jvm.Result second = Jvm.withAgent("suppress=" + baseline + ",stats=true,exit-code=3,json=" + json)
                .main(TwoLockOrders.class, "reentrant", "monitor").run();
        assertEquals(3, second.exitCode, () -> "the new finding fails the run\n" + second);
        assertEquals(1, second.count(Reports.CIRCULAR), second::toString);
        assertTrue(second.stderr.contains("(Ledger.pageMonitor){monitor}"), second::toString);
        assertFalse(second.stderr.contains("(Account.balanceLock){ReentrantLock}"), "the old one is not printed");
        assertTrue(second.stderr.contains("\n findings:                             1\n"
                + " suppressed findings:                  1\n"), second::toString);
        Reports.assertInOrder(second, "jlockdep: 1 finding (1 circular) in 2 lock classes; 1 suppressed\n",
                "jlockdep: 1 finding reported, exiting with status 3 (exit-code=3)\n");
        List<Map<String, Object>> recs = records(json);
        Map<String, Object> old = recs.get(1);
        assertEquals(id, old.get("id"));
        assertEquals(Boolean.TRUE, old.get("suppressed"));
        assertTrue(old.get("suppression").toString().startsWith("baseline: " + OLD_CYCLE), old::toString);
        Map<String, Object> fresh = recs.get(2);
        assertEquals(Boolean.FALSE, fresh.get("suppressed"));
        assertFalse(fresh.containsKey("suppression"), fresh::toString);

        // Only the old cycle: nothing new, so nothing printed and nothing failed, but still said.
        Jvm.Result third = Jvm.withAgent("suppress=" + baseline + ",exit-code=3").main(TwoLockOrders.class, "reentrant")
                .run();
        assertEquals(0, third.exitCode, third::toString);
        assertEquals(0, third.count(Reports.CIRCULAR), third::toString);
        assertEquals(List.of("jlockdep: no findings; 1 suppressed"), lastLines(third.stderr, 1), third::toString);

        // A baseline run on the same file adds only what is new, keeping the lines a person edited.
        Files.writeString(baseline, text.replace(" baseline: ", " reviewed, order fixed in JIRA-12: "),
                StandardCharsets.UTF_8);
        Jvm.Result fourth = Jvm.withAgent("suppress=" + baseline + ",baseline=" + baseline)
                .main(TwoLockOrders.class, "reentrant", "monitor").run();
        assertTrue(fourth.stderr.contains("jlockdep: baseline " + baseline + ": 1 finding added\n"), fourth::toString);
        List<String> now = entries(Files.readString(baseline, StandardCharsets.UTF_8));
        assertEquals(2, now.size(), now::toString);
        assertTrue(now.get(0).startsWith(id + " reviewed, order fixed in JIRA-12: "), now::toString);
        assertTrue(now.get(1).contains("Ledger.pageMonitor"), now::toString);
    }

    @Test
    void aBadSuppressionFileStopsStartUpWithOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("s.txt"), "# accepted\ncircular-dependency-0123456789abcdef\n",
                StandardCharsets.UTF_8);
        Jvm.Result r = Jvm.withAgent("suppress=" + file).main(TwoLockOrders.class, "reentrant").run();
        assertEquals(1, r.exitCode, r::toString);
        assertTrue(r.stderr.contains("jlockdep: option 'suppress': " + file + ": line 2:"
                + " circular-dependency-0123456789abcdef has no reason: write after the id why this finding is"
                + " accepted\n"), r::toString);
        assertFalse(r.stdout.contains("finished"), "the application did not run unchecked");
    }

    @Test
    void mergeAndTheBaselineCommandWorkAcrossJvms() throws Exception {
        Path a = record(dir, "a", "account-then-ledger");
        Path b = record(dir, "b", "ledger-then-account");
        Path baseline = dir.resolve("baseline.txt");
        Jvm.Result written = tool("baseline", a, b, "-o", baseline);
        assertEquals(0, written.exitCode, written::toString);
        assertEquals("jlockdep baseline: " + baseline + ": 1 finding added, 0 listed already\n", written.stdout);
        List<String> entries = entries(Files.readString(baseline, StandardCharsets.UTF_8));
        assertEquals(1, entries.size(), entries::toString);
        assertTrue(entries.get(0).matches("circular-dependency-[0-9a-f]{16} baseline: possible circular locking"
                + " dependency: .*"), entries::toString);

        Jvm.Result merged = tool("merge", "--suppress", baseline, a, b);
        assertEquals(0, merged.exitCode, merged::toString);
        assertTrue(merged.stdout.startsWith("jlockdep merge: no cycle across the 2 JVMs that a single JVM did not see (")
                && merged.stdout.endsWith(" dependencies); 1 suppressed\n"), merged::toString);
        Jvm.Result unsuppressed = tool("merge", a, b);
        assertEquals(1, unsuppressed.exitCode, unsuppressed::toString);
        assertTrue(unsuppressed.stdout.contains("finding id: " + entries.get(0).substring(0, 36)), unsuppressed::toString);
    }

    /** The suppression file's entries: its lines that are not comments. */
    private static List<String> entries(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> lastLines(String text, int n) {
        List<String> lines = text.lines().collect(java.util.stream.Collectors.toList());
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
