package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineTest {
    private final List<Finding> findings = new ArrayList<>();

    @BeforeEach
    void start() {
        Engine.start(Config.defaults(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private String only() {
        assertEquals(1, findings.size(), () -> "expected one report, got " + findings);
        return findings.get(0).text();
    }

    @Test
    void aNewThreadHoldingMoreLocksThanItStartsWithSlotsForKeepsThemAllAndTheirOrder() throws InterruptedException {
        int n = 2 * ThreadState.INITIAL_SLOTS + 1; // past a new thread's slots, and past their first doubling
        List<ReentrantLock> locks = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            locks.add(Locks.reentrant("t/Level" + i, "lock"));
            expected.add("Level" + i + ".lock");
        }
        List<String> held = new ArrayList<>();
        Thread t = new Thread(() -> {
            for (ReentrantLock l : locks) {
                l.lock();
                Locks.lock(l);
            }
            held.addAll(Engine.heldLocks());
            for (int i = n - 1; i >= 0; i--) {
                Locks.unlock(locks.get(i));
                locks.get(i).unlock();
            }
        }, "deep");
        t.start();
        t.join();
        assertEquals(expected, held);
        assertTrue(findings.isEmpty(), findings::toString);

        // the order the new thread recorded from its deepest lock back to its first: the opposite is a cycle
        Locks.lock(locks.get(n - 1));
        Locks.lock(locks.get(0));
        String r = only();
        assertTrue(r.contains("(Level0.lock){ReentrantLock}") && r.contains("(Level" + (n - 1) + ".lock)"), r);
        Locks.unlock(locks.get(0));
        Locks.unlock(locks.get(n - 1));
    }

    @Test
    void abbaBetweenTwoClassesIsReportedWithEverySectionInOrder() {
        ReentrantLock a = Locks.reentrant("t/Inode", "iLock");
        ReentrantLock b = Locks.reentrant("t/Mm", "mmapLock");
        Locks.lock(a, 11);
        Locks.lock(b, 12);
        Locks.unlock(b);
        Locks.unlock(a);
        assertTrue(findings.isEmpty());

        // Other instances of the same two classes, opposite order: only classes can see this cycle.
        ReentrantLock a2 = Locks.reentrant("t/Inode", "iLock");
        ReentrantLock b2 = Locks.reentrant("t/Mm", "mmapLock");
        Locks.lock(b2, 21);
        Locks.lock(a2, 22);
        String r = only();
        assertSectionsInOrder(r,
                "WARNING: possible circular locking dependency detected",
                "main/",
                " is trying to acquire lock:",
                "(Inode.iLock){ReentrantLock}, at EngineTest.lock(EngineTest.java:22)",
                "but thread is already holding lock:",
                "(Mm.mmapLock){ReentrantLock}, at EngineTest.lock(EngineTest.java:21)",
                "which lock already depends on the new lock.",
                "the existing dependency chain (in reverse order) is:",
                "-> #1 (Mm.mmapLock){ReentrantLock}:",
                "-> #0 (Inode.iLock){ReentrantLock}:",
                "other info that might help us debug this:",
                " Possible unsafe locking scenario:",
                "  lock(Mm.mmapLock);",
                "                               lock(Inode.iLock);",
                "                               lock(Mm.mmapLock);",
                "  lock(Inode.iLock);",
                " *** DEADLOCK ***",
                "1 lock held by main/",
                " #0: ",
                "(Mm.mmapLock){ReentrantLock}, at EngineTest.lock(EngineTest.java:21)",
                "stack backtrace:");
        assertTrue(!r.contains("Chain exists of:"), "a two-class cycle has no chain line");
        // Stacks leave out jlockdep's own frames.
        assertTrue(!r.contains("io.jlockdep.runtime.Hooks"), r);
        assertTrue(r.contains("io.jlockdep.runtime.Locks.lock"), "test frames are kept: " + r);
    }

    @Test
    void aChainValidatedBeforeAResetIsRecordedAgainAfterIt() {
        ReentrantLock a = Locks.reentrant("t/Inode", "iLock");
        ReentrantLock b = Locks.reentrant("t/Mm", "mmapLock");
        for (int round = 0; round < 3; round++) { // the later rounds take the fast path, which remembers the chain
            Locks.lock(a, 11);
            Locks.lock(b, 12);
            Locks.unlock(b);
            Locks.unlock(a);
        }
        Engine.reset(); // a new test case: the graph and its validated chains are forgotten
        Locks.lock(a, 11);
        Locks.lock(b, 12);
        Locks.unlock(b);
        Locks.unlock(a);
        assertTrue(findings.isEmpty(), () -> findings.toString());

        Locks.lock(b, 21);
        Locks.lock(a, 22);
        assertTrue(only().contains("possible circular locking dependency"));
        Locks.unlock(a);
        Locks.unlock(b);
    }

    @Test
    void threeClassCycleNamesTheChain() {
        ReentrantLock a = Locks.reentrant("t/X", "a");
        ReentrantLock b = Locks.reentrant("t/X", "b");
        ReentrantLock c = Locks.reentrant("t/X", "c");
        pair(a, b);
        pair(b, c);
        assertTrue(findings.isEmpty());
        pair(c, a);
        String r = only();
        assertSectionsInOrder(r,
                "(X.a){ReentrantLock}", // trying
                "(X.c){ReentrantLock}", // holding
                "-> #2 (X.c){ReentrantLock}:",
                "-> #1 (X.b){ReentrantLock}:",
                "-> #0 (X.a){ReentrantLock}:",
                "Chain exists of:",
                "  X.a --> X.b --> X.c",
                "  lock(X.c);",
                "                               lock(X.b);",
                "                               lock(X.c);",
                "  lock(X.a);");
    }

    @Test
    void consistentOrderStaysSilent() {
        ReentrantLock a = Locks.reentrant("t/Y", "a");
        ReentrantLock b = Locks.reentrant("t/Y", "b");
        ReentrantLock c = Locks.reentrant("t/Y", "c");
        for (int i = 0; i < 3; i++) {
            pair(a, b);
            pair(b, c);
            pair(a, c);
            Locks.lock(a);
            Locks.lock(b);
            Locks.lock(c);
            Locks.unlock(c);
            Locks.unlock(b);
            Locks.unlock(a);
        }
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void reacquiringAHeldLockAddsNoDependency() {
        ReentrantLock a = Locks.reentrant("t/R", "a");
        ReentrantLock b = Locks.reentrant("t/R", "b");
        Locks.lock(a);
        Locks.lock(b);
        Locks.lock(a); // re-entry: no b -> a
        Locks.unlock(a);
        Locks.unlock(b);
        Locks.unlock(a);
        assertEquals(List.of(), Engine.heldLocks());
        pair(a, b);
        assertTrue(findings.isEmpty(), findings::toString);

        Object m = Locks.monitor("t/R", "m");
        Locks.enter(m);
        Locks.enter(m);
        Locks.exit(m);
        assertEquals(List.of("R.m"), Engine.heldLocks());
        Locks.exit(m);
        assertEquals(List.of(), Engine.heldLocks());
    }

    @Test
    void trylockAddsNoDependencyIntoItButLaterLocksDependOnIt() {
        ReentrantLock a = Locks.reentrant("t/T", "a");
        ReentrantLock b = Locks.reentrant("t/T", "b");
        ReentrantLock c = Locks.reentrant("t/T", "c");
        // a held, b try-locked: no a -> b.
        Locks.lock(a);
        Locks.tryLock(b);
        // c taken under the trylock: b -> c (the trylock on top) and a -> c (nearest blocking lock).
        Locks.lock(c);
        Locks.unlock(c);
        Locks.unlock(b);
        Locks.unlock(a);
        // b then a is fine: there is no a -> b.
        pair(b, a);
        assertTrue(findings.isEmpty(), findings::toString);
        // c then b closes b -> c.
        pair(c, b);
        assertEquals(1, findings.size());
        assertTrue(only().contains("(T.b){ReentrantLock}"));
        findings.clear();
        // c then a closes a -> c.
        pair(c, a);
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void nonLifoReleaseKeepsTheStackAndKeysRight() {
        ReentrantLock a = Locks.reentrant("t/N", "a");
        ReentrantLock b = Locks.reentrant("t/N", "b");
        ReentrantLock c = Locks.reentrant("t/N", "c");
        Locks.lock(a);
        Locks.tryLock(b); // no a -> b
        Locks.unlock(a); // not on top
        assertEquals(List.of("N.b"), Engine.heldLocks());
        Locks.lock(c); // b -> c, and no a -> c: a is gone
        Locks.unlock(c);
        Locks.unlock(b);
        assertEquals(List.of(), Engine.heldLocks());
        pair(c, a);
        assertTrue(findings.isEmpty(), findings::toString);
        pair(c, b);
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void eachCycleIsReportedOnce() {
        ReentrantLock a = Locks.reentrant("t/O", "a");
        ReentrantLock b = Locks.reentrant("t/O", "b");
        pair(a, b);
        pair(b, a);
        pair(b, a);
        pair(a, b);
        assertEquals(1, findings.size());
    }

    @Test
    void monitorsOfOneTypeShareAClassAndReadWriteModesAreShown() {
        class Account {
        }
        Account x = new Account();
        ReentrantReadWriteLock rw = Locks.readWrite("t/Bank", "ledger");
        Locks.enter(x);
        Locks.write(rw);
        Locks.unlockWrite(rw);
        Locks.exit(x);
        Locks.read(rw);
        Account y = new Account();
        Locks.enter(y);
        String r = only();
        // A type-keyed class is named by the simple name, as short as a field's; the lock line gives the full one.
        assertTrue(r.contains("(monitor of Account){monitor}, at "), r);
        assertTrue(r.contains("[" + Account.class.getName() + "]\n"), r);
        assertTrue(r.contains("(Bank.ledger){ReentrantReadWriteLock read}"), r);
        assertTrue(r.contains("-> #1 (Bank.ledger){ReentrantReadWriteLock write}:"), r);
        assertTrue(r.contains("  rlock(Bank.ledger);"), r);
    }

    @Test
    void anErrorInsideAHookTurnsCheckingOffAndNeverReachesTheApplication() {
        List<String> messages = new ArrayList<>();
        Engine.start(Config.defaults(), f -> {
            if (f.title().equals(Reports.CIRCULAR)) {
                throw new IllegalStateException("sink broke");
            }
            messages.add(f.text());
        });
        ReentrantLock a = Locks.reentrant("t/E", "a");
        ReentrantLock b = Locks.reentrant("t/E", "b");
        pair(a, b);
        pair(b, a); // the report's sink throws inside the hook
        assertEquals(List.of("jlockdep: internal error, turning off: java.lang.IllegalStateException: sink broke\n"),
                messages);
        assertTrue(!Engine.isEnabled());
        pair(a, b); // hooks are inert now
        assertEquals(1, messages.size());
    }

    private static void pair(ReentrantLock first, ReentrantLock second) {
        Locks.lock(first);
        Locks.lock(second);
        Locks.unlock(second);
        Locks.unlock(first);
    }

    static void assertSectionsInOrder(String report, String... parts) {
        int at = 0;
        for (String p : parts) {
            int found = report.indexOf(p, at);
            if (found < 0) {
                throw new AssertionError("missing, or out of order: [" + p + "] after offset " + at + " in:\n" + report);
            }
            at = found + p.length();
        }
    }
}
