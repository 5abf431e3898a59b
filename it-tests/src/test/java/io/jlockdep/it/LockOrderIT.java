package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.RealDeadlock;
import io.jlockdep.it.apps.TwoLockOrders;
import org.junit.jupiter.api.Test;

/** Lock-order inversions in real JVMs under the agent: what the user sees on standard error. */
class LockOrderIT {

    @Test
    void reentrantLockInversionIsReportedAndTheProgramGoesOn() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(TwoLockOrders.class, "reentrant").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished reentrant"), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                "main/", " is trying to acquire lock:\n",
                "(Account.balanceLock){ReentrantLock}, at TwoLockOrders.reentrantReversed(TwoLockOrders.java:",
                "but thread is already holding lock:\n",
                "(Ledger.entriesLock){ReentrantLock}, at TwoLockOrders.reentrantReversed(TwoLockOrders.java:",
                "-> #1 (Ledger.entriesLock){ReentrantLock}:\n",
                "io.jlockdep.it.apps.TwoLockOrders.reentrant(TwoLockOrders.java:",
                "-> #0 (Account.balanceLock){ReentrantLock}:\n",
                "io.jlockdep.it.apps.TwoLockOrders.reentrantReversed(TwoLockOrders.java:",
                "  lock(Ledger.entriesLock);\n",
                "                               lock(Account.balanceLock);\n",
                "                               lock(Ledger.entriesLock);\n",
                "  lock(Account.balanceLock);\n",
                "1 lock held by main/",
                " #0: ");
        assertFalse(r.stderr.contains("io.jlockdep.runtime."), "agent frames must not show:\n" + r);
    }

    @Test
    void readWriteInversionNamesTheModes() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(TwoLockOrders.class, "readwrite").run();
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                "(Account.historyLock){ReentrantReadWriteLock write}, at TwoLockOrders.writeThenRead(",
                "(Ledger.indexLock){ReentrantReadWriteLock write}, at TwoLockOrders.writeThenRead(",
                "-> #1 (Ledger.indexLock){ReentrantReadWriteLock write}:",
                "-> #0 (Account.historyLock){ReentrantReadWriteLock write}:",
                "  lock(Ledger.indexLock);\n",
                "                               rlock(Account.historyLock);\n");
    }

    @Test
    void monitorInversionIsReported() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(TwoLockOrders.class, "monitor").run();
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                "(Account.auditMonitor){monitor}, at TwoLockOrders.monitorsReversed(TwoLockOrders.java:",
                "(Ledger.pageMonitor){monitor}, at TwoLockOrders.monitorsReversed(TwoLockOrders.java:",
                "-> #1 (Ledger.pageMonitor){monitor}:",
                "-> #0 (Account.auditMonitor){monitor}:");
    }

    @Test
    void aConsistentOrderIsSilent() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(TwoLockOrders.class, "consistent").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished consistent"), r::toString);
        assertFalse(r.stderr.contains("WARNING"), r::toString);
    }

    @Test
    void reportComesBeforeARealReentrantLockDeadlock() throws Exception {
        assertReportedBeforeHang("reentrant", "ReentrantLock");
    }

    @Test
    void reportComesBeforeARealReadWriteDeadlock() throws Exception {
        assertReportedBeforeHang("readwrite", "ReentrantReadWriteLock");
    }

    @Test
    void reportComesBeforeARealSynchronizedMethodDeadlock() throws Exception {
        assertReportedBeforeHang("syncmethod", "[io.jlockdep.it.apps.RealDeadlock$");
    }

    private static void assertReportedBeforeHang(String kind, String lockText) throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(RealDeadlock.class, kind)
                .run(err -> err.contains("stack backtrace:\n") && err.endsWith("\n\n"));
        assertTrue(r.killedAfterMatch, () -> "expected the report while the threads hang\n" + r);
        assertFalse(r.stdout.contains("finished"), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r, "worker-", " is trying to acquire lock:\n", lockText);
    }
}
