package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gated cycles beyond the selftest matrix's: the statistics name the gate, a cycle is gated only when every way back
 * through the graph is, and a gate with several instances gates per instance (the matrix covers two instances of a
 * gate, half-gated and later-ungated cycles).
 */
class GatedCyclesTest {
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

    private static void inOrder(ReentrantLock... locks) {
        for (ReentrantLock l : locks) {
            Locks.lock(l);
        }
        for (int i = locks.length - 1; i >= 0; i--) {
            Locks.unlock(locks[i]);
        }
    }

    @Test
    void theStatisticsNameTheGate() {
        ReentrantLock gate = Locks.reentrant("t/Fs", "renameLock");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        inOrder(gate, a, b);
        inOrder(gate, b, a);
        assertEquals(List.of(), findings);
        assertEquals(List.of("Dir.a --> Dir.b --> Dir.a, gated by Fs.renameLock"), Engine.stats().gatedCycles());
        assertTrue(Engine.stats().toString().contains(" gated cycles:                         1\n"
                + "   Dir.a --> Dir.b --> Dir.a, gated by Fs.renameLock\n"), Engine.stats().toString());
    }

    @Test
    void aCycleIsGatedOnlyWhenEveryWayBackIs() {
        ReentrantLock gate = Locks.reentrant("t/Fs", "renameLock");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        ReentrantLock c = Locks.reentrant("t/Dir", "c");
        inOrder(gate, a, b); // a -> b, gated
        inOrder(a, c); // a -> c, not gated
        inOrder(c, b); // c -> b, not gated
        // b -> a under the gate: the way back a -> b is gated, a -> c -> b is not.
        inOrder(gate, b, a);
        assertEquals(1, findings.size(), findings::toString);
        assertEquals(List.of(), Engine.stats().gatedCycles());
    }

    @Test
    void anOrderTakenUnderFewerOuterLocksNarrowsItsGates() {
        ReentrantLock outer = Locks.reentrant("t/Fs", "mountLock");
        ReentrantLock gate = Locks.reentrant("t/Fs", "renameLock");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        inOrder(outer, gate, a, b); // a -> b gated by both
        inOrder(gate, a, b); // ... by the rename lock only
        inOrder(gate, b, a);
        assertEquals(List.of(), findings);
        assertEquals(List.of("Dir.a --> Dir.b --> Dir.a, gated by Fs.renameLock"), Engine.stats().gatedCycles());
        inOrder(outer, a, b); // now by neither: the cycle is real
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).text().contains("it is reported now that one of its orders was taken without"
                + " Fs.renameLock."), findings.get(0).text());
    }

    @Test
    void aGateHeldForReadingGatesNothing() {
        java.util.concurrent.locks.ReentrantReadWriteLock gate = Locks.readWrite("t/Fs", "namespace");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        Locks.read(gate);
        inOrder(a, b);
        Locks.unlockRead(gate);
        Locks.read(gate);
        inOrder(b, a);
        Locks.unlockRead(gate);
        assertEquals(1, findings.size(), findings::toString);
    }

    /** A database whose two caches are taken in both orders, always inside the database's own lock. */
    private static final class Database {
        final ReentrantLock lock = Locks.reentrant("t/Database", "lock");
        final ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        final ReentrantLock file = Locks.reentrant("t/DataFile", "lock");

        void open() {
            inOrder(lock, file, cache); // the data file adds to the cache
            inOrder(lock, cache, file); // the cache saves its rows into the data file
        }
    }

    private static final String PER_INSTANCE =
            "DataFile.lock --> Cache.lock --> DataFile.lock, gated by Database.lock per instance";

    @Test
    void aGateWithSeveralInstancesGatesTheLocksEachOwns() throws InterruptedException {
        Database first = new Database();
        Database second = new Database();
        first.open();
        second.open();
        // ... and on threads of their own, each database again and again
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            Database db = i % 2 == 0 ? first : second;
            threads[i] = new Thread(() -> {
                for (int n = 0; n < 50; n++) {
                    db.open();
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), findings);
        assertEquals(List.of(PER_INSTANCE), Engine.stats().gatedCycles());
    }

    @Test
    void aLockOfTheCycleTakenUnderAnotherInstanceOfTheGateMakesItReal() {
        Database first = new Database();
        Database second = new Database();
        first.open();
        second.open();
        assertEquals(List.of(), findings);
        // The second database's lock around the first one's caches, in an order already known (a cached chain):
        // two threads, each in its own database, can now deadlock on the first one's caches.
        Locks.lock(second.lock);
        Locks.lock(first.file);
        Locks.lock(first.cache);
        assertEquals(1, findings.size(), "reported before the thread can block: " + findings);
        Locks.unlock(first.cache);
        Locks.unlock(first.file);
        Locks.unlock(second.lock);
        String text = findings.get(0).text();
        assertTrue(text.contains("Every order of this cycle was first taken holding Database.lock, which kept it from"
                + " deadlocking; it is reported now that one of its locks of class DataFile.lock was taken in one of"
                + " its orders holding another Database.lock than before."), text);
        assertEquals(List.of(), Engine.stats().gatedCycles());
        first.open();
        assertEquals(1, findings.size(), "reported once");
    }

    @Test
    void aThreadHoldingTwoInstancesOfTheGateStillHoldsTheOneALockBelongsTo() {
        Database first = new Database();
        Database second = new Database();
        first.open();
        second.open();
        // Copying from the first database into the second: both databases' locks held, the first one outermost, and
        // the second one's caches taken in an order already known. Whoever takes those caches holds the second
        // database's lock, so they still cannot deadlock.
        Locks.lock(first.lock);
        Locks.lock(second.lock);
        Locks.lock(second.file);
        Locks.lock(second.cache);
        Locks.unlock(second.cache);
        Locks.unlock(second.file);
        Locks.unlock(second.lock);
        Locks.unlock(first.lock);
        assertEquals(List.of(), findings);
        assertEquals(List.of(PER_INSTANCE), Engine.stats().gatedCycles());
    }

    @Test
    void whatTheRecordedOrdersKnowIsCheckedAtOnce() {
        Database first = new Database();
        Database second = new Database();
        // The first order with the first database's caches under the first database's lock, the second order with
        // the same caches under the second's lock: the orders' first takings already show the cycle real.
        inOrder(first.lock, first.file, first.cache);
        inOrder(second.lock, first.cache, first.file);
        assertEquals(1, findings.size(), findings::toString);
        assertFalse(findings.get(0).text().contains("kept it from deadlocking"), findings.get(0).text());
        assertEquals(List.of(), Engine.stats().gatedCycles());
    }

    @Test
    void aSingleInstanceGateGatesAsBefore() {
        Database db = new Database();
        for (int i = 0; i < 3; i++) {
            db.open();
        }
        assertEquals(List.of(), findings);
        assertEquals(List.of("DataFile.lock --> Cache.lock --> DataFile.lock, gated by Database.lock"),
                Engine.stats().gatedCycles());
        inOrder(db.file, db.cache); // without the gate
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aWatchedClassLeavesOtherClassesOnTheFastPath() {
        Database db = new Database();
        Database other = new Database();
        db.open();
        other.open();
        ReentrantLock x = Locks.reentrant("t/Other", "x");
        ReentrantLock y = Locks.reentrant("t/Other", "y");
        inOrder(x, y); // validated: the chain x, y is cached
        ThreadState ts = ThreadState.current();
        Locks.lock(x);
        assertTrue(Tracker.fastAcquire(ts, Locks.sync(y), y, Mode.EXCLUSIVE, 0, false), "unwatched: fast path");
        Locks.unlock(y);
        Locks.unlock(x);
        inOrder(db.lock, db.file, db.cache); // the cache last at its depth, its chain validated: only the watch differs
        Locks.lock(db.lock);
        Locks.lock(db.file);
        assertFalse(Tracker.fastAcquire(ts, Locks.sync(db.cache), db.cache, Mode.EXCLUSIVE, 0, false),
                "an order of a gated cycle leads to it: each taking is checked");
        Locks.unlock(db.file);
        Locks.unlock(db.lock);
        assertEquals(List.of(), findings);
    }
}
