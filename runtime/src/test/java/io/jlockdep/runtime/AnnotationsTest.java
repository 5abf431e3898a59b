package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.Lockdep;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The public annotation API, io.jlockdep.Lockdep, against the engine. */
class AnnotationsTest {
    private final List<Finding> findings = new ArrayList<>();

    static final class Node {
        final int rank;

        Node(int rank) {
            this.rank = rank;
        }
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private void start(Config config) {
        Engine.start(config, findings::add);
        Engine.reset();
    }

    @Test
    void setClassPutsLocksFromDifferentSitesInOneClass() {
        start(Config.defaults());
        ReentrantLock cacheA = Locks.reentrant("t/A1", "cache");
        ReentrantLock cacheB = Locks.reentrant("t/A2", "cache");
        ReentrantLock index = Locks.reentrant("t/A3", "index");
        Lockdep.setClass(cacheA, "page cache");
        Lockdep.setClass(cacheB, "page cache");
        Locks.lock(cacheA);
        Locks.lock(index);
        Locks.unlock(index);
        Locks.unlock(cacheA);
        Locks.lock(index);
        Locks.lock(cacheB);
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).text().contains("(page cache){ReentrantLock}"), findings::toString);
    }

    @Test
    void nestedSubclassMakesDeliberateNestingAnOrder() {
        start(Config.builder().strictNesting(true).build());
        Node parent = new Node(1);
        Node child = new Node(2);
        Locks.enter(parent);
        Lockdep.nested(1);
        Locks.enter(child);
        assertEquals(List.of("monitor of Node", "monitor of Node/1"),
                Engine.heldLocks());
        Locks.exit(child);
        Locks.exit(parent);
        assertTrue(findings.isEmpty(), "annotated nesting is fine even in strict mode: " + findings);
        // The reverse: a subclass-1 node held while taking a plain one.
        Lockdep.nested(1);
        Locks.enter(child);
        Locks.enter(parent);
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).text().contains(Reports.CIRCULAR));
        assertThrows(IllegalArgumentException.class, () -> Lockdep.nested(8));
    }

    @Test
    void setOrderAllowsOneOrderAndReportsTheOther() {
        start(Config.defaults());
        Node low = new Node(1);
        Node high = new Node(2);
        Lockdep.setOrder(low, Comparator.comparingInt((Node n) -> n.rank));
        Locks.enter(low);
        Locks.enter(high);
        Locks.exit(high);
        Locks.exit(low);
        assertTrue(findings.isEmpty(), findings::toString);
        Locks.enter(high);
        Locks.enter(low);
        assertEquals(1, findings.size(), "reported at the first violation, not at a second order");
        EngineTest.assertSectionsInOrder(findings.get(0).text(), Reports.RECURSIVE,
                "against the order declared for their class with Lockdep.setOrder");
    }

    @Test
    void assertHeldNamesTheLockAndWhatIsHeld() {
        start(Config.defaults());
        ReentrantLock a = Locks.reentrant("t/H", "a");
        ReentrantReadWriteLock rw = Locks.readWrite("t/H", "rw");
        Locks.lock(a);
        Locks.read(rw);
        Lockdep.assertHeld(a);
        Lockdep.assertHeld(rw);
        Lockdep.assertHeld(rw.readLock());
        AssertionError e = assertThrows(AssertionError.class, () -> Lockdep.assertNotHeld(a));
        assertTrue(e.getMessage().matches("jlockdep: main/\\d+ holds H\\.a \\([0-9a-f]{8}\\); locks held: \\[H\\.a, H\\.rw]"),
                e.getMessage());
        Locks.unlockRead(rw);
        Locks.unlock(a);
        AssertionError notHeld = assertThrows(AssertionError.class, () -> Lockdep.assertHeld(a));
        assertTrue(notHeld.getMessage().contains(" does not hold H.a ("), notHeld.getMessage());
        Lockdep.assertNotHeld(a);
    }

    @Test
    void offStopsCheckingInItsScope() {
        start(Config.defaults());
        ReentrantLock a = Locks.reentrant("t/F", "a");
        ReentrantLock b = Locks.reentrant("t/F", "b");
        Locks.lock(a);
        Locks.lock(b);
        Locks.unlock(b);
        Locks.unlock(a);
        try (Lockdep.Off off = Lockdep.off()) {
            Locks.lock(b);
            Locks.lock(a);
            Locks.unlock(a);
            Locks.unlock(b);
        }
        assertTrue(findings.isEmpty(), findings::toString);
        Locks.lock(b);
        Locks.lock(a);
        assertEquals(1, findings.size(), "checking is back on after the scope");
    }

    @Test
    void everyCallIsANoOpWithoutTheEngine() {
        Engine.stop();
        Object lock = new Object();
        Lockdep.setClass(lock, "x");
        Lockdep.assertHeld(lock);
        Lockdep.nested(2);
        try (Lockdep.Off off = Lockdep.off()) {
            Lockdep.assertNotHeld(lock);
        }
        assertTrue(!Lockdep.isActive());
    }
}
