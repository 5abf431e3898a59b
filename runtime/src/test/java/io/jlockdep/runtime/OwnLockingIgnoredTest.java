package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.LockStat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * While jlockdep's own code runs on a thread (the thread is busy), the locks that JDK code it calls takes are not the
 * program's: every hook then changes nothing. Seen on JDK 25 with {@code lockstat=true}: counting an acquisition ran
 * a {@code LongAdder}'s first contention, whose VarHandle linkage fills a {@code ConcurrentHashMap}; that bin's monitor
 * was recorded as a new acquisition and replaced the one under way, whose count was then lost.
 */
class OwnLockingIgnoredTest {
    private final List<Finding> findings = new ArrayList<>();

    @BeforeEach
    void start() {
        Engine.start(Config.builder().lockStat(true).build(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    @Test
    void hooksOfJlockdepsOwnLockingLeaveTheProgramsAcquisitionAsItIs() {
        ReentrantLock lock = Locks.reentrant("t/Own", "lock");
        Object internal = Locks.monitor("t/Own", "internal");
        ThreadState ts = ThreadState.current();

        Locks.lock(lock); // recorded, about to block
        Object pending = ts.waiting.lock;
        ts.busy = true; // as inside a hook: what jlockdep's own code calls
        try {
            Hooks.contended(Locks.sync(lock));
            Hooks.monitorEnter(internal, Locks.site("internal", 1));
            Hooks.monitorEntered();
            Hooks.monitorExit(internal);
            Hooks.afterLock();
        } finally {
            ts.busy = false;
        }
        assertSame(pending, ts.waiting.lock, "the program's acquisition is still the one under way");
        assertEquals(1, ts.depth, "only the program's lock is held");
        Hooks.afterLock(); // the program's lock method returns
        Locks.unlock(lock);

        long own = 0;
        for (LockStat.Row r : LockStat.rows()) {
            if (r.lockClass().equals("Own.lock")) {
                assertEquals(1, r.acquisitions(), r.lockClass());
                assertEquals(0, r.contentions(), "the contended hook came from jlockdep's own code");
                own++;
            } else {
                assertTrue(!r.lockClass().equals("Own.internal"), "jlockdep's own monitor is not counted");
            }
        }
        assertEquals(1, own, LockStat.table());
        assertEquals(List.of(), findings);
    }
}
