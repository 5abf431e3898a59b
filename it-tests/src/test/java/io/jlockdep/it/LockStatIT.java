package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.Contention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstat=true}: lockdep's lock_stat table, printed at exit. */
class LockStatIT {

    /** The columns of a class's row, after its name. */
    private static String[] row(Jvm.Result r, String name) {
        for (String line : r.stderr.split("\n")) {
            if (line.startsWith(name + " ")) {
                return line.substring(name.length()).trim().split(" +");
            }
        }
        throw new AssertionError("no lock_stat row for " + name + "\n" + r);
    }

    /**
     * 4 threads x 200 acquisitions, every one counted. (On JDK 25 about one run in 30 once counted 799 or 801: the
     * counting itself ran JDK code whose locks were recorded as the program's; see OwnLockingIgnoredTest.)
     */
    private static void assertAcquisitions(String[] cols, String name) {
        assertEquals(800, Long.parseLong(cols[5]), name + " acquisitions: " + String.join(" ", cols));
    }

    @Test
    void contendedLocksShowTheirContentionsAndWaitsOthersDoNot() throws Exception {
        Jvm.Result r = Jvm.withAgent("lockstat=true").main(Contention.class).run();
        assertEquals(0, r.exitCode, r::toString);
        Reports.assertInOrder(r, "jlockdep: lock_stat (times in microseconds)\n", "class name", "contentions",
                "waittime-min", "waittime-max", "waittime-total", "waittime-avg", "acquisitions", "holdtime-min",
                "holdtime-max", "holdtime-total", "holdtime-avg");
        for (String contended : new String[] {"Shared.lock-W", "Shared.rw-W", "Shared.monitor-W"}) {
            String[] cols = row(r, contended);
            assertTrue(Long.parseLong(cols[0]) > 0, contended + " contentions: " + String.join(" ", cols));
            assertTrue(Double.parseDouble(cols[2]) > 0, contended + " longest wait: " + String.join(" ", cols));
            assertAcquisitions(cols, contended);
            // the holders park ~20 µs (a leftover permit may cut some short): the holds add up
            assertTrue(Double.parseDouble(cols[8]) >= 800 * 10, contended + " total hold: " + String.join(" ", cols));
        }
        String[] own = row(r, "Own.lock-W");
        assertEquals(0, Long.parseLong(own[0]), "nobody else takes it: " + String.join(" ", own));
        assertAcquisitions(own, "Own.lock-W");
    }

    @Test
    void theJsonGraphRecordCarriesTheRows(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("stat.json");
        Jvm.Result r = Jvm.withAgent("lockstat=true,json=" + json).main(Contention.class).run();
        assertEquals(0, r.exitCode, r::toString);
        String graph = null;
        for (String line : Files.readAllLines(json)) {
            if (line.startsWith("{\"type\":\"graph\"")) {
                graph = line;
            }
        }
        assertTrue(graph != null && graph.contains("\"lockStat\":["), "a graph record with lock_stat rows: " + graph);
        Matcher shared = Pattern.compile("\\{\"key\":\"[^\"]*\",\"name\":\"Shared\\.lock\",\"kind\":\"ReentrantLock\","
                + "\"acquisitions\":(\\d+),\"contentions\":(\\d+)").matcher(graph);
        assertTrue(shared.find(), graph);
        assertEquals(800, Long.parseLong(shared.group(1)), graph);
        assertTrue(Long.parseLong(shared.group(2)) > 0, graph);
    }
}
