package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The held-lock records stay true to what the JVM holds when a hook lost an event (a stack overflow on the call into
 * it, or inside it): here the locks are really taken, and the hooks of some operations are left out, as a lost event
 * leaves them out. Without the checks against the JVM each case ends in a false report.
 */
class HeldLocksTruthTest {
    private final List<Finding> findings = new ArrayList<>();

    @BeforeEach
    void start() {
        Engine.start(Config.builder().verifyHolds(true).build(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    @Test
    void aMonitorReleaseTheHooksMissedIsNotTakenForAnOrder() {
        Object first = Locks.monitor("t/Missed", "first");
        Object second = Locks.monitor("t/Missed", "second");
        synchronized (first) {
            Locks.enter(first);
        } // released by the JVM; its release hook lost
        synchronized (second) {
            Locks.enter(second); // a new order: first -> second, had the stale record been trusted
            Locks.exit(second);
        }
        synchronized (second) {
            Locks.enter(second);
            synchronized (first) {
                Locks.enter(first);
                Locks.exit(first);
            }
            Locks.exit(second);
        }
        assertTrue(findings.isEmpty(), findings::toString);
        assertEquals(List.of(), Engine.heldLocks());
    }

    @Test
    void aThreadWhoseReleaseWasMissedDoesNotEndHoldingIt() throws Exception {
        Object monitor = Locks.monitor("t/Ended", "monitor");
        Thread t = new Thread(() -> {
            synchronized (monitor) {
                Locks.enter(monitor);
            }
            Hooks.threadExit();
        }, "missed-release");
        t.start();
        t.join();
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aMonitorReleasedUnderAnotherIsCheckedForMissedReleasesAbove() {
        Object outer = Locks.monitor("t/Nested", "outer");
        Object inner = Locks.monitor("t/Nested", "inner");
        synchronized (outer) {
            Locks.enter(outer);
            synchronized (inner) {
                Locks.enter(inner);
            } // the release hook of inner lost
            assertEquals(List.of("Nested.outer", "Nested.inner"), names(ThreadState.current()));
            Locks.exit(outer); // released under the record of inner, which the JVM no longer holds
        }
        assertEquals(List.of(), names(ThreadState.current()));
    }

    @Test
    void aReentrantLockReleaseTheHooksMissedIsDroppedAtTheNextAcquisition() {
        // (the acquisition hook runs on entry of lock(), the release hook when unlock() returns)
        ReentrantLock lock = Locks.reentrant("t/Missed", "lock");
        Locks.lock(lock);
        lock.lock();
        lock.unlock(); // its release hook lost
        Locks.lock(lock); // not a re-entry: the JVM says the thread does not hold it
        lock.lock();
        assertEquals(0, ThreadState.current().held(0).reentries);
        lock.unlock();
        Locks.unlock(lock);
        assertEquals(List.of(), Engine.heldLocks());
    }

    @Test
    void aLockMethodThatThrowsAfterTakingTheLockKeepsItsRecord() {
        // The JDK's lock paths finish an acquisition begun at the edge of the stack, then throw the overflow.
        ReentrantLock lock = Locks.reentrant("t/Late", "lock");
        Locks.lock(lock);
        lock.lock();
        Hooks.lockFailed(Locks.sync(lock), lock, Hooks.REENTRANT_LOCK, Mode.EXCLUSIVE);
        assertEquals(List.of("Late.lock"), Engine.heldLocks());
        // one that threw before it took the lock is undone
        Locks.lock(lock);
        Hooks.lockFailed(Locks.sync(lock), lock, Hooks.REENTRANT_LOCK, Mode.EXCLUSIVE);
        assertEquals(0, ThreadState.current().held(0).reentries);
        lock.unlock();
        Locks.unlock(lock);
        assertEquals(List.of(), Engine.heldLocks());
    }

    @Test
    void theCountOfAReentrantLockFollowsTheJvmAfterALostAcquisition() {
        ReentrantLock lock = Locks.reentrant("t/Count", "lock");
        Locks.lock(lock);
        lock.lock();
        cutShort(ThreadState.current(), Locks.sync(lock), lock, LockType.REENTRANT_LOCK); // jlockdep: one hold
        lock.lock(); // the JVM: two
        lock.unlock();
        Locks.unlock(lock); // the JVM's count after the release (one) is the record's
        assertEquals(List.of("Count.lock"), Engine.heldLocks());
        lock.unlock();
        Locks.unlock(lock);
        assertEquals(List.of(), Engine.heldLocks());
    }

    @Test
    void anAcquisitionWhoseHookWasCutShortIsRecordedAtTheRepair() {
        Object monitor = Locks.monitor("t/Lost", "monitor");
        ThreadState ts = ThreadState.current();
        cutShort(ts, monitor, monitor, LockType.MONITOR);
        synchronized (monitor) {
            assertEquals(List.of("Lost.monitor"), Engine.heldLocks());
            Locks.exit(monitor);
        }
        assertEquals(List.of(), Engine.heldLocks());
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void ownershipIsWhatTheJvmSays() throws Exception {
        Object monitor = new Object();
        ReentrantLock reentrant = new ReentrantLock();
        ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock();
        StampedLock stamped = new StampedLock();
        Object rw = Locks.sync(readWrite);
        assertEquals(false, Ownership.holds(LockType.MONITOR, monitor, Mode.EXCLUSIVE));
        synchronized (monitor) {
            assertEquals(true, Ownership.holds(LockType.MONITOR, monitor, Mode.EXCLUSIVE));
        }
        assertEquals(0, Ownership.holdCount(LockType.REENTRANT_LOCK, Locks.sync(reentrant), Mode.EXCLUSIVE));
        reentrant.lock();
        reentrant.lock();
        assertEquals(2, Ownership.holdCount(LockType.REENTRANT_LOCK, Locks.sync(reentrant), Mode.EXCLUSIVE));
        Thread other = new Thread(() -> assertEquals(0,
                Ownership.holdCount(LockType.REENTRANT_LOCK, Locks.sync(reentrant), Mode.EXCLUSIVE)));
        other.start();
        other.join();
        reentrant.unlock();
        reentrant.unlock();
        readWrite.readLock().lock();
        assertEquals(1, Ownership.holdCount(LockType.READ_WRITE_LOCK, rw, Mode.READ));
        assertEquals(0, Ownership.holdCount(LockType.READ_WRITE_LOCK, rw, Mode.EXCLUSIVE));
        readWrite.readLock().unlock();
        readWrite.writeLock().lock();
        assertEquals(1, Ownership.holdCount(LockType.READ_WRITE_LOCK, rw, Mode.EXCLUSIVE));
        readWrite.writeLock().unlock();
        assertEquals(-1, Ownership.holdCount(LockType.STAMPED_LOCK, stamped, Mode.EXCLUSIVE), "no owner to ask");
        long stamp = stamped.writeLock();
        assertEquals(true, Ownership.holds(LockType.STAMPED_LOCK, stamped, Mode.EXCLUSIVE));
        stamped.unlockWrite(stamp);
        assertEquals(false, Ownership.holds(LockType.STAMPED_LOCK, stamped, Mode.EXCLUSIVE));
    }

    /** What the handler of an acquisition hook cut short by a stack overflow leaves, before the lock is taken. */
    private static void cutShort(ThreadState ts, Object lock, Object view, LockType type) {
        ts.unsure = true;
        ts.lostLock = lock;
        ts.lostView = view;
        ts.lostType = type.ordinal();
        ts.lostMode = Mode.EXCLUSIVE;
    }

    private static List<String> names(ThreadState ts) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ts.depth(); i++) {
            out.add(ts.held(i).lockClass().name());
        }
        return out;
    }
}
