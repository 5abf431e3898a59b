package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.graph.Stats;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatsAndLimitsTest {
    private final List<Finding> findings = new ArrayList<>();

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private void start(Config config) {
        Engine.start(config, findings::add);
        Engine.reset();
    }

    @Test
    void aRepeatedChainSkipsValidation() {
        start(Config.builder().stats(true).build());
        ReentrantLock a = Locks.reentrant("t/S", "a");
        ReentrantLock b = Locks.reentrant("t/S", "b");
        nest(a, b);
        Stats first = Engine.stats();
        assertEquals(1, first.chainMisses());
        assertEquals(1, first.chains());
        assertEquals(1, first.dependencies());
        assertEquals(2, first.maxDepth());
        for (int i = 0; i < 100; i++) {
            nest(a, b);
        }
        Stats after = Engine.stats();
        assertEquals(1, after.chainMisses(), "the chain was validated once");
        assertEquals(100, after.chainHits());
        assertEquals(1, after.stackTraces());
        assertTrue(after.toString().contains(" chain cache hits:"), after::toString);
        assertTrue(after.toString().contains(" lock chains:                          1 [max: 65536]"), after::toString);
    }

    @Test
    void theChainKeyIncludesTheMode() {
        start(Config.builder().stats(true).build());
        java.util.concurrent.locks.ReentrantReadWriteLock rw = Locks.readWrite("t/S", "rw");
        ReentrantLock b = Locks.reentrant("t/S", "b2");
        // b then read(rw) validated and cached; b then write(rw) is a new chain and closes write(rw) -> b.
        Locks.write(rw);
        Locks.lock(b);
        Locks.unlock(b);
        Locks.unlockWrite(rw);
        Locks.lock(b);
        Locks.read(rw);
        Locks.unlockRead(rw);
        Locks.unlock(b);
        long missesAfterRead = Engine.stats().chainMisses();
        assertEquals(1, findings.size(), findings::toString);
        Locks.lock(b);
        Locks.write(rw);
        assertEquals(missesAfterRead + 1, Engine.stats().chainMisses(), "a cached read chain must not hide a write");
    }

    @Test
    void hittingTheChainLimitTurnsCheckingOffCleanly() {
        start(Config.builder().maxChains(2).build());
        ReentrantLock a = Locks.reentrant("t/L", "a");
        ReentrantLock b = Locks.reentrant("t/L", "b");
        ReentrantLock c = Locks.reentrant("t/L", "c");
        nest(a, b);
        nest(b, c);
        assertTrue(Engine.isEnabled());
        nest(a, c);
        assertFalse(Engine.isEnabled());
        assertEquals(1, findings.size());
        assertEquals("jlockdep: MAX_LOCKDEP_CHAINS too low (2), turning off the validator; raise it with max-chains=<n>\n",
                findings.get(0).text());
        nest(c, a); // would be a cycle; checking is off and nothing happens
        assertEquals(1, findings.size());
    }

    @Test
    void hittingTheStackLimitTurnsCheckingOff() {
        start(Config.builder().maxStacks(1).build());
        ReentrantLock a = Locks.reentrant("t/T", "a");
        ReentrantLock b = Locks.reentrant("t/T", "b");
        ReentrantLock c = Locks.reentrant("t/T", "c");
        nest(a, b);
        nest(a, c);
        assertFalse(Engine.isEnabled());
        assertTrue(findings.get(0).text().startsWith("jlockdep: MAX_STACK_TRACES too low (1)"), findings::toString);
    }

    @Test
    void theDepthLimitStopsCheckingThatThreadUntilItHoldsFewer() {
        start(Config.builder().maxDepth(2).build());
        ReentrantLock a = Locks.reentrant("t/D", "a");
        ReentrantLock b = Locks.reentrant("t/D", "b");
        ReentrantLock c = Locks.reentrant("t/D", "c");
        Locks.lock(a);
        Locks.lock(b);
        Locks.lock(c);
        Locks.lock(a); // past the limit: not recorded, not checked
        assertEquals(1, findings.size());
        assertTrue(findings.get(0).text().contains("BUG: MAX_LOCK_DEPTH too low!"), findings::toString);
        assertTrue(findings.get(0).text().contains("Raise the limit with max-depth=<n>."), findings::toString);
        Locks.unlock(a);
        Locks.unlock(c);
        Locks.unlock(b);
        Locks.unlock(a);
        // Back under the limit: checked again, and the limit is not reported twice.
        Locks.lock(b);
        Locks.lock(a);
        assertEquals(2, findings.size(), findings::toString);
        assertTrue(findings.get(1).text().contains(Reports.CIRCULAR), findings::toString);
    }

    @Test
    void maxReportsCapsReportsAndCheckingGoesOn() {
        start(Config.builder().maxReports(1).build());
        ReentrantLock a = Locks.reentrant("t/M", "a");
        ReentrantLock b = Locks.reentrant("t/M", "b");
        ReentrantLock c = Locks.reentrant("t/M", "c");
        nest(a, b);
        nest(b, a);
        nest(a, c);
        nest(c, a);
        assertEquals(2, findings.size(), findings::toString);
        assertTrue(findings.get(0).text().contains(Reports.CIRCULAR));
        assertEquals("jlockdep: max-reports (1) reached, further reports are not printed\n", findings.get(1).text());
        assertEquals(2, Engine.stats().findings(), "the second cycle was still found");
        assertTrue(Engine.isEnabled());
    }

    @Test
    void releasingAMonitorThatIsNotHeldIsABadUnlockBalance() {
        start(Config.defaults());
        Object m = Locks.monitor("t/U", "m");
        Locks.enter(m);
        Locks.exit(m);
        Locks.exit(m); // unbalanced monitorexit, as non-javac bytecode can do
        assertEquals(1, findings.size(), findings::toString);
        EngineTest.assertSectionsInOrder(findings.get(0).text(), "WARNING: bad unlock balance detected!",
                " is trying to release lock (U.m) at:", "but there are no more locks to release!",
                "no locks held by ", "stack backtrace:");
    }

    private static void nest(ReentrantLock first, ReentrantLock second) {
        Locks.lock(first);
        Locks.lock(second);
        Locks.unlock(second);
        Locks.unlock(first);
    }
}
