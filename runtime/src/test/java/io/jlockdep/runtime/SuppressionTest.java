package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.Suppressions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finding ids on live findings, the suppression file, the summary line and the reports no test showed. */
class SuppressionTest {
    private final List<Finding> findings = new ArrayList<>();

    private void start(Suppressions suppressions) {
        findings.clear();
        Engine.start(Config.builder().suppressions(suppressions).build(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    /** Inode.iLock then Mm.mmapLock at these lines, then the other way round: the second order closes the cycle. */
    private static void abba(boolean inodeFirst, int line) {
        ReentrantLock inode = Locks.reentrant("t/Inode", "iLock");
        ReentrantLock mm = Locks.reentrant("t/Mm", "mmapLock");
        ReentrantLock first = inodeFirst ? inode : mm;
        ReentrantLock second = inodeFirst ? mm : inode;
        Locks.lock(first, line);
        Locks.lock(second, line + 1);
        Locks.unlock(second);
        Locks.unlock(first);
        Locks.lock(second, line + 2);
        Locks.lock(first, line + 3);
        Locks.unlock(first);
        Locks.unlock(second);
    }

    private Finding onlyFinding() {
        assertEquals(1, findings.size(), findings::toString);
        return findings.get(0);
    }

    @Test
    void aCycleKeepsItsIdWhicheverOrderClosesItAndWhereverTheLocksAreTaken() {
        start(Suppressions.none());
        abba(true, 10);
        String id = onlyFinding().id();
        assertTrue(id.matches("circular-dependency-[0-9a-f]{16}"), id);
        assertTrue(onlyFinding().text().endsWith("finding id: " + id + " (a line \"<id> <reason>\" in the suppress="
                + " file accepts it)\n\n"), onlyFinding().text());
        start(Suppressions.none());
        abba(false, 50);
        assertEquals(id, onlyFinding().id(), "the other order closes the same cycle, at other lines");
    }

    @Test
    void aSuppressedFindingIsCountedAndRecordedButNeitherPrintedNorAFinding() throws Exception {
        start(Suppressions.none());
        abba(true, 10);
        String id = onlyFinding().id();
        start(Suppressions.parse(id + " Inode before Mm is only a test's order\n", "s.txt"));
        abba(true, 10);
        assertTrue(findings.isEmpty(), () -> "not printed: " + findings);
        assertEquals(0, Engine.findingCount(), "fails no test and no exit-code");
        assertEquals(1, Engine.suppressedCount());
        assertEquals(0, Engine.stats().findings());
        assertEquals(1, Engine.stats().suppressed());
        assertTrue(Engine.stats().toString().contains(" suppressed findings:                  1\n"),
                Engine.stats().toString());
        List<Finding> all = Engine.allFindings();
        assertEquals(1, all.size(), "JMX still lists it");
        assertTrue(all.get(0).isSuppressed());
        assertEquals("Inode before Mm is only a test's order", all.get(0).suppression());
        assertEquals("jlockdep: no findings; 1 suppressed", Engine.summaryLine());
    }

    @Test
    void theSummaryLineCountsKindsAndLockClasses() {
        start(Suppressions.none());
        assertNull(Engine.summaryLine(), "nothing found, nothing to say");
        abba(true, 10);
        assertEquals("jlockdep: 1 finding (1 circular) in 2 lock classes", Engine.summaryLine());
    }

    @Test
    void reportsNoTestFailureShowedArePrintedWholeAtExitThenTheSummaryLine() {
        start(Suppressions.none());
        Engine.deliverReportsThroughTests();
        abba(true, 10);
        abba(true, 20); // the same cycle: not reported again
        Finding shown = onlyFinding();
        ReentrantLock x = Locks.reentrant("t/X", "x");
        ReentrantLock y = Locks.reentrant("t/Y", "y");
        Locks.lock(x, 1);
        Locks.lock(y, 2);
        Locks.unlock(y);
        Locks.unlock(x);
        Locks.lock(y, 3);
        Locks.lock(x, 4);
        Locks.unlock(x);
        Locks.unlock(y);
        assertEquals(2, findings.size());
        Engine.delivered(0);
        findings.clear();
        Engine.atExit();
        assertEquals(2, findings.size(), findings::toString);
        String undelivered = findings.get(0).text();
        assertTrue(undelivered.startsWith("jlockdep: 1 finding was not shown in any test failure (reported after the"
                + " last test class ended):\n"), undelivered);
        assertTrue(undelivered.contains("(X.x){ReentrantLock}"), undelivered);
        assertTrue(!undelivered.contains(shown.id()), "the delivered one is not repeated");
        assertEquals("jlockdep: 2 findings (2 circular) in 4 lock classes\n", findings.get(1).text());
    }
}
