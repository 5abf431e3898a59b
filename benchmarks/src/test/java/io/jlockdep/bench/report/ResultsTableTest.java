package io.jlockdep.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
    private static final String HEADER =
            "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\",\"Param: depth\"\n";
    private static final String B = "io.jlockdep.bench.locks.";

    private static final String PLAIN = HEADER
            + "\"" + B + "UncontendedGuavaLocks.reentrantLock\",\"avgt\",1,5,40.0,1.0,\"ns/op\",2\n"
            + "\"" + B + "UncontendedGuavaLocks.reentrantLock:gc.alloc.rate.norm\",\"avgt\",1,5,0.01,0.0,\"B/op\",2\n"
            + "\"" + B + "UncontendedGuavaLocks.reentrantLock:cpu.time.norm\",\"avgt\",1,5,32.0,1.0,\"ns/op\",2\n"
            + "\"" + B + "UncontendedLocks.reentrantLock\",\"avgt\",1,5,10.0,0.5,\"ns/op\",2\n"
            + "\"" + B + "UncontendedLocks.reentrantLock:cpu.time.norm\",\"avgt\",1,5,8.0,0.5,\"ns/op\",2\n"
            + "\"" + B + "UncontendedLocks.reentrantLock:\u00b7gc.alloc.rate.norm\",\"avgt\",1,5,0.001,0.0,\"B/op\",2\n"
            + "\"" + B + "UncontendedMonitors.synchronizedBlock\",\"avgt\",1,5,20.0,0.5,\"ns/op\",1\n"
            + "\"io.jlockdep.bench.workload.H2Bank.transfer\",\"thrpt\",4,5,10000.0,100.0,\"ops/s\",\n"
            + "\"io.jlockdep.runtime.GraphCheckBenchmark.newDependencyDeepSearch\",\"ss\",1,20,250.5,10.0,\"us/op\",\n";

    private static final String AGENT = HEADER
            + "\"" + B + "UncontendedLocks.reentrantLock\",\"avgt\",1,5,14.0,0.5,\"ns/op\",2\n"
            + "\"" + B + "UncontendedLocks.reentrantLock:gc.alloc.rate.norm\",\"avgt\",1,5,0.002,0.0,\"B/op\",2\n"
            + "\"" + B + "UncontendedLocks.reentrantLock:cpu.time.norm\",\"avgt\",1,5,12.8,0.5,\"ns/op\",2\n"
            + "\"" + B + "UncontendedMonitors.synchronizedBlock\",\"avgt\",1,5,50.0,0.5,\"ns/op\",1\n"
            + "\"" + B + "UncontendedMonitors.synchronizedBlock:gc.alloc.rate.norm\",\"avgt\",1,5,24.0,0.0,\"B/op\",1\n"
            + "\"io.jlockdep.bench.workload.H2Bank.transfer\",\"thrpt\",4,5,8500.0,100.0,\"ops/s\",\n";

    private static final String PROCESS = "startup-hello\t100.0\t300.0\tms\n"
            + "startup-class-heavy\t1000.0\t1200.0\tms\n"
            + "bytes-per-reentrant\t52.0\t92.0\tB\n";

    private final Map<String, List<String>> rows = rows(new ResultsTable(JmhCsv.parse(PLAIN), JmhCsv.parse(AGENT),
            ResultsTable.parseProcess(PROCESS)).render());

    @Test
    void lockRowComparesAgentWithPlainAndGuavaOnCpuTime() {
        List<String> row = rows.get("UncontendedLocks.reentrantLock 2");
        assertEquals(List.of("UncontendedLocks.reentrantLock", "2", "8.0", "12.8", "1.60", "1.40", "32.0", "0.40",
                "0 / 0 / 0", "≤ 1.5x, < Guava, 0 B/op", "missed: ratio +7%"), row);
    }

    @Test
    void withoutCpuTimesTheWallClockScoresAreCompared() {
        List<String> row = rows.get("UncontendedMonitors.synchronizedBlock 1");
        assertEquals(List.of("20.0", "50.0", "2.50", "2.50"), row.subList(2, 6));
        assertEquals("-", row.get(6), "no Guava peer for monitors");
        assertEquals("missed: ratio +25%, 24 B/op", row.get(10));
    }

    @Test
    void workloadLossAgainstTenPercent() {
        List<String> row = rows.get("H2Bank.transfer (ops/s) 10000");
        assertEquals(List.of("H2Bank.transfer (ops/s)", "10000", "8500", "0.85", "15%", "≤ 10%",
                "missed by 5% of throughput"), row);
    }

    @Test
    void engineCheckInMicroseconds() {
        List<String> row = rows.get("GraphCheckBenchmark.newDependencyDeepSearch 250.5 us/op");
        assertEquals("met", row.get(3));
    }

    @Test
    void startUpTargets() {
        assertEquals("missed by 100 ms", rows.get("startup-hello 100.0 ms").get(6));
        assertEquals("met", rows.get("startup-class-heavy 1000.0 ms").get(6));
        List<String> memory = rows.get("bytes-per-reentrant 52.0 B");
        assertEquals("40.0 B", memory.get(3));
        assertEquals("", memory.get(6), "memory has no target");
    }

    @Test
    void guavaRowsAreNotRowsOfTheirOwn() {
        assertFalse(rows.keySet().stream().anyMatch(k -> k.startsWith("UncontendedGuavaLocks")));
        assertTrue(rows.containsKey("UncontendedLocks.reentrantLock 2"));
    }

    @Test
    void missingAgentResultIsShownNotGuessed() {
        String md = new ResultsTable(JmhCsv.parse(PLAIN), JmhCsv.parse(""), List.of()).render();
        assertEquals("no agent result", rows(md).get("UncontendedLocks.reentrantLock 2").get(10));
    }

    /** Table rows keyed by their first two cells. */
    private static Map<String, List<String>> rows(String markdown) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("|---")) {
                List<String> cells = new ArrayList<>();
                for (String c : line.substring(1, line.length() - 1).split("\\|", -1)) {
                    cells.add(c.trim());
                }
                rows.put(cells.get(0) + " " + cells.get(1), cells);
            }
        }
        return rows;
    }
}
