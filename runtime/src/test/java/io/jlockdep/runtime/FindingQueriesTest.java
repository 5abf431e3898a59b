package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.Lockdep;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.sink.FindingHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What callers outside the engine ask about findings: Lockdep's public queries and the exit-code decision. */
class FindingQueriesTest {
    private final List<Finding> printed = new ArrayList<>();

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private void start(Config config) {
        Engine.start(config, printed::add);
        Engine.reset();
    }

    /** One ABBA cycle between two fresh lock classes named after {@code name}: one finding. */
    private static void inversion(String name) {
        ReentrantLock a = Locks.reentrant("t/" + name, "first");
        ReentrantLock b = Locks.reentrant("t/" + name, "second");
        Locks.lock(a);
        Locks.lock(b);
        Locks.unlock(b);
        Locks.unlock(a);
        Locks.lock(b);
        Locks.lock(a);
        Locks.unlock(a);
        Locks.unlock(b);
    }

    @Test
    void countAndReportsNumberFindingsInTheOrderReported() {
        start(Config.defaults());
        assertTrue(Lockdep.isAttached());
        assertEquals(0, Lockdep.findingCount());
        inversion("Alpha");
        inversion("Beta");
        inversion("Gamma");
        assertEquals(3, Lockdep.findingCount());
        List<String> all = Lockdep.reports(0, 3);
        assertEquals(3, all.size());
        assertTrue(all.get(0).contains("(Alpha.second){ReentrantLock}"), all.get(0));
        assertTrue(all.get(2).contains("(Gamma.second){ReentrantLock}"), all.get(2));
        assertEquals(List.of(all.get(1)), Lockdep.reports(1, 2));
        assertEquals(all.subList(1, 3), Lockdep.reports(1, 99), "a range past the end stops at the newest");
        assertEquals(List.of(), Lockdep.reports(3, 3));
        assertEquals(printed.get(0).text(), all.get(0), "the report as printed");
    }

    @Test
    void forgottenFindingsLeaveTheNewestOfTheRange() {
        FindingHistory history = new FindingHistory(2);
        List<Finding> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Finding f = Finding.message("finding " + i);
            added.add(f);
            history.add(f);
        }
        assertEquals(5, history.count());
        assertEquals(added.subList(3, 5), history.between(0, 5), "only the last two are remembered");
        assertEquals(added.subList(3, 4), history.between(1, 4));
        assertEquals(List.of(), history.between(0, 3), "all of that range is forgotten");
        assertEquals(added.subList(4, 5), history.since(4));
    }

    @Test
    void exitCodeReplacesOnlyAZeroStatusAndOnlyAfterFindings() {
        start(Config.builder().exitCode(3).build());
        assertEquals(0, ExitCode.statusAtExit(0), "no finding yet");
        assertEquals(5, ExitCode.statusAtExit(5));
        inversion("Delta");
        printed.clear();
        assertEquals(3, ExitCode.statusAtExit(0));
        assertEquals(5, ExitCode.statusAtExit(5), "a status the program chose stays");
        assertEquals(1, printed.size(), () -> "one line saying why: " + printed);
        assertEquals("jlockdep: 1 finding reported, exiting with status 3 (exit-code=3)\n", printed.get(0).text());
    }

    @Test
    void withoutExitCodeTheStatusStays() {
        start(Config.defaults());
        inversion("Epsilon");
        assertEquals(0, ExitCode.statusAtExit(0));
        ExitCode.afterShutdownHooks(); // returns: nothing to change
    }
}
