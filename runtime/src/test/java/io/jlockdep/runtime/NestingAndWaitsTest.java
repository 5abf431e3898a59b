package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NestingAndWaitsTest {
    private final List<Finding> findings = new ArrayList<>();

    static final class Account {
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private void start(Config config) {
        Engine.start(config, findings::add);
        Engine.reset();
    }

    /** Waits on {@code cond} holding {@code gate} (monitors), then gives both back; {@code millis} 0: untimed. */
    private static void waitHolding(Object gate, Object cond, long millis) {
        Locks.enter(gate);
        Locks.enter(cond);
        if (millis == 0) {
            Locks.await(cond);
        } else {
            Locks.await(cond, millis);
        }
        Locks.exit(cond);
        Locks.exit(gate);
    }

    /** Notifies {@code cond} holding {@code gate} (monitors), in a thread of its own. */
    private static void notifyHoldingInAnotherThread(Object gate, Object cond) {
        Waits.inThread("notifier", () -> {
            Locks.enter(gate);
            Locks.enter(cond);
            Locks.notifyAll(cond);
            Locks.exit(cond);
            Locks.exit(gate);
        });
    }

    private static void transfer(Object from, Object to) {
        Locks.enter(from);
        Locks.enter(to);
        Locks.exit(to);
        Locks.exit(from);
    }

    @Test
    void twoInstancesOfOneClassInBothOrdersAreACycleNamingBoth() {
        start(Config.defaults());
        Account a = new Account();
        Account b = new Account();
        Account c = new Account();
        transfer(a, b);
        transfer(a, c);
        transfer(b, c);
        assertTrue(findings.isEmpty(), "one order per pair is fine: " + findings);
        transfer(b, a);
        assertEquals(1, findings.size(), findings::toString);
        String r = findings.get(0).text();
        String name = findings.get(0).locks().get(0).name();
        assertTrue(name.matches("monitor of Account(#\\d+)?"), name); // #2 after another test's Account
        String ha = String.format("%08x", System.identityHashCode(a));
        String hb = String.format("%08x", System.identityHashCode(b));
        EngineTest.assertSectionsInOrder(r, Reports.CIRCULAR, " is trying to acquire lock:",
                ha + " (" + name + "){monitor}", "but thread is already holding lock:", hb + " (" + name + "){monitor}",
                "-> #1 (" + name + " " + hb + "){monitor}:", "-> #0 (" + name + " " + ha + "){monitor}:",
                "two instances taken in both orders", "  lock(" + name + " " + hb + ");",
                "                               lock(" + name + " " + ha + ");", " *** DEADLOCK ***");
        transfer(b, a);
        transfer(a, b);
        assertEquals(1, findings.size(), "reported once");
    }

    @Test
    void instancesOfOneClassInARingAreACycleNamingTheChain() {
        start(Config.defaults());
        Account[] forks = new Account[5];
        for (int i = 0; i < forks.length; i++) {
            forks[i] = new Account();
        }
        for (int i = 0; i + 1 < forks.length; i++) {
            transfer(forks[i], forks[i + 1]);
        }
        assertTrue(findings.isEmpty(), "a chain of instances is fine: " + findings);
        transfer(forks[4], forks[0]);
        assertEquals(1, findings.size(), findings::toString);
        String name = findings.get(0).locks().get(0).name();
        assertTrue(name.matches("monitor of Account(#\\d+)?"), name); // #2 after another test's Account
        EngineTest.assertSectionsInOrder(findings.get(0).text(), Reports.CIRCULAR,
                "-> #4 (" + name + " " + Finding.instanceId(forks[4]) + "){monitor}:",
                "-> #1 (" + name + " " + Finding.instanceId(forks[1]) + "){monitor}:",
                "-> #0 (" + name + " " + Finding.instanceId(forks[0]) + "){monitor}:",
                "Chain exists of:\n  " + name + " " + Finding.instanceId(forks[0]) + " --> ",
                " All 5 locks are of class " + name + ": instances taken in a cycle.", " *** DEADLOCK ***");
        transfer(forks[4], forks[0]);
        assertEquals(1, findings.size(), "reported once");
    }

    @Test
    void twoThreadsNestingOnePairInOppositeOrdersAtOnceAreNotBothMissed() throws Exception {
        start(Config.defaults());
        for (int round = 0; round < 50; round++) {
            Account a = new Account();
            Account b = new Account();
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            Thread other = new Thread(() -> {
                await(together);
                transfer(b, a);
            });
            other.start();
            await(together);
            transfer(a, b);
            other.join();
            assertEquals(round + 1, findings.size(), "round " + round + ": " + findings);
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void strictNestingReportsTheFirstNestingLikeLockdep() {
        start(Config.builder().strictNesting(true).build());
        transfer(new Account(), new Account());
        assertEquals(1, findings.size(), findings::toString);
        String r = findings.get(0).text();
        EngineTest.assertSectionsInOrder(r, Reports.RECURSIVE, " is trying to acquire lock:",
                "but thread is already holding lock:", " Possible unsafe locking scenario:", " *** DEADLOCK ***");
        transfer(new Account(), new Account());
        assertEquals(1, findings.size(), "one report per class");
    }

    @Test
    void theLockTakenBackAfterAWaitIsCheckedAgainstTheOtherHeldLocks() {
        start(Config.defaults());
        ReentrantLock outer = Locks.reentrant("t/W", "outer");
        Object queue = Locks.monitor("t/W", "queue");
        // queue -> outer, recorded first.
        Locks.enter(queue);
        Locks.lock(outer);
        Locks.unlock(outer);
        Locks.exit(queue);
        assertTrue(findings.isEmpty());
        // Holding queue, then outer (non-LIFO order below), then waiting on queue: the wait gives queue back and takes
        // it again while outer is held: outer -> queue, a cycle.
        Locks.enter(queue);
        Locks.lock(outer);
        Locks.await(queue);
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).text().contains("(W.queue){monitor}"), findings::toString);
        assertEquals(List.of("W.outer", "W.queue"), Engine.heldLocks(), "queue is taken again above outer");
    }

    @Test
    void waitingWhileHoldingALockTheNotifierNeedsIsReported() {
        start(Config.defaults());
        Object gate = Locks.monitor("t/N", "gate");
        Object cond = Locks.monitor("t/N", "cond");
        // Waiter: gate, then cond, waits on cond (sleeps holding gate).
        waitHolding(gate, cond, 0);
        assertTrue(findings.isEmpty(), findings::toString);
        // Notifier: gate, then cond, notifies cond: it cannot get gate while the waiter sleeps with it.
        notifyHoldingInAnotherThread(gate, cond);
        assertEquals(1, findings.size(), findings::toString);
        EngineTest.assertSectionsInOrder(findings.get(0).text(), Reports.WAIT_NOTIFY,
                " is about to wake waiters of lock:", "(N.cond){monitor}", "while holding lock:", "(N.gate){monitor}",
                "but a thread waits on the lock while holding a lock of that class:",
                "-> (N.gate){monitor} held while waiting on (N.cond):", "  wait(N.cond);",
                "                               notify(N.cond);", " *** DEADLOCK ***");
    }

    @Test
    void notifyingWithoutTheWaitersLockIsSilent() {
        start(Config.defaults());
        Object gate = Locks.monitor("t/Q", "gate");
        Object cond = Locks.monitor("t/Q", "cond");
        Locks.enter(cond);
        Locks.await(cond);
        Locks.exit(cond);
        Locks.enter(gate);
        Locks.enter(cond);
        Locks.notifyAll(cond);
        Locks.exit(cond);
        Locks.exit(gate);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aThreadNeverWakesItself() {
        start(Config.defaults());
        Object gate = Locks.monitor("t/S", "gate");
        Object cond = Locks.monitor("t/S", "cond");
        // A pool's shutdown signals its termination holding gate, then the same thread awaits the termination
        // holding gate: what it notified before it waits is not what wakes it.
        Locks.enter(gate);
        Locks.enter(cond);
        Locks.notifyAll(cond);
        Locks.await(cond, 10_000);
        Locks.exit(cond);
        Locks.exit(gate);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void threadsThatEachHoldTheirOwnLockOfOneClassDoNotMeet() {
        start(Config.defaults());
        Object cond = Locks.monitor("t/P", "cond");
        // Each connection's own lock (one class: one allocation site) held around the pool's wait and notify.
        Object[] connections = new Object[2];
        for (int i = 0; i < 2; i++) {
            connections[i] = Locks.monitor("t/P", "connection");
        }
        waitHolding(connections[0], cond, 60_000);
        notifyHoldingInAnotherThread(connections[1], cond);
        assertTrue(findings.isEmpty(), findings::toString);
        stop();
        // nesting=strict: any lock of the class counts, as lockdep would
        start(Config.builder().strictNesting(true).build());
        waitHolding(connections[0], cond, 60_000);
        notifyHoldingInAnotherThread(connections[1], cond);
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aTimedWaitWhileHoldingALockTheNotifierNeedsIsReportedWithItsTimeout() {
        start(Config.defaults());
        Object gate = Locks.monitor("t/T", "gate");
        Object cond = Locks.monitor("t/T", "cond");
        // Waiter: while (!ready) cond.wait(100) holding gate: it never gives gate back.
        waitHolding(gate, cond, 100);
        assertTrue(findings.isEmpty(), findings::toString);
        notifyHoldingInAnotherThread(gate, cond);
        assertEquals(1, findings.size(), findings::toString);
        Finding f = findings.get(0);
        assertEquals(100_000_000L, f.waitTimeoutNanos());
        EngineTest.assertSectionsInOrder(f.text(), Reports.WAIT_NOTIFY,
                " is about to wake waiters of lock:", "(T.cond){monitor}", "while holding lock:", "(T.gate){monitor}",
                "-> (T.gate){monitor} held while waiting, with a timeout of 100 ms, on (T.cond):",
                " The wait has a timeout (100 ms), but a waiter that waits again until it is woken", "  wait(T.cond);",
                " *** DEADLOCK ***");
    }

    @Test
    void theWaiterSideSaysItsWaitHasATimeout() {
        start(Config.defaults());
        ReentrantLock gate = Locks.reentrant("t/U", "gate");
        ReentrantLock cond = Locks.reentrant("t/U", "cond");
        // Notifier first: gate, then cond, signal; then a waiter with await(2, SECONDS) holding gate.
        Waits.inThread("notifier", () -> {
            Locks.lock(gate);
            Locks.lock(cond);
            Hooks.beforeNotify(Locks.sync(cond));
            Locks.unlock(cond);
            Locks.unlock(gate);
        });
        assertTrue(findings.isEmpty(), findings::toString);
        Locks.lock(gate);
        Locks.lock(cond);
        Hooks.beforeWait(Locks.sync(cond), 2, java.util.concurrent.TimeUnit.SECONDS);
        Locks.unlock(cond);
        Locks.unlock(gate);
        assertEquals(1, findings.size(), findings::toString);
        assertEquals(2_000_000_000L, findings.get(0).waitTimeoutNanos());
        EngineTest.assertSectionsInOrder(findings.get(0).text(), Reports.WAIT_NOTIFY,
                " is about to wait, with a timeout of 2 s, on lock:", "(U.cond){ReentrantLock}",
                "while holding lock:", "(U.gate){ReentrantLock}",
                "-> (U.gate){ReentrantLock} held while notifying (U.cond):", " The wait has a timeout (2 s)");
    }

    @Test
    void anUntimedWaitSaysNothingOfATimeout() {
        start(Config.defaults());
        Object gate = Locks.monitor("t/V", "gate");
        Object cond = Locks.monitor("t/V", "cond");
        waitHolding(gate, cond, 0);
        notifyHoldingInAnotherThread(gate, cond);
        assertEquals(1, findings.size(), findings::toString);
        assertEquals(-1L, findings.get(0).waitTimeoutNanos());
        assertFalse(findings.get(0).text().contains("timeout"), findings::toString);
    }

    @Test
    void aThreadThatEndsHoldingALockIsReported() throws Exception {
        start(Config.defaults());
        ReentrantLock forgotten = Locks.reentrant("t/X", "forgotten");
        Thread t = new Thread(() -> {
            Locks.lock(forgotten);
            Hooks.threadExit();
        }, "leaky-worker");
        t.start();
        t.join();
        assertEquals(1, findings.size(), findings::toString);
        EngineTest.assertSectionsInOrder(findings.get(0).text(), "WARNING: leaky-worker/", " still has locks held!",
                "1 lock held by leaky-worker/", "(X.forgotten){ReentrantLock}", "stack backtrace:");
    }
}
