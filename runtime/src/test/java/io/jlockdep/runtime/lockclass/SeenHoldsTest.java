package io.jlockdep.runtime.lockclass;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.Config;
import io.jlockdep.runtime.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SeenHoldsTest {
    @AfterEach
    void stop() {
        Engine.stop();
    }

    @Test
    void aHoldMeetsTheSameLockInAnotherThreadOnly() {
        Engine.start(Config.defaults(), f -> { });
        Object lock = new Object();
        Object other = new Object();
        SeenHolds seen = SeenHolds.of(null, lock, 1L);
        assertTrue(seen.has(lock, 1L));
        assertFalse(seen.has(lock, 2L));
        assertTrue(seen.meets(lock, 2L), "the very lock, another thread");
        assertFalse(seen.meets(lock, 1L), "a thread never meets itself");
        assertFalse(seen.meets(other, 2L), "another lock of the class");
        assertTrue(SeenHolds.of(null, lock, 0L).meets(lock, 1L), "0 is any thread");
    }

    @Test
    void strictNestingMeetsAnyLockOfTheClass() {
        Engine.start(Config.builder().strictNesting(true).build(), f -> { });
        SeenHolds seen = SeenHolds.of(null, new Object(), 1L);
        assertTrue(seen.meets(new Object(), 2L));
        assertFalse(seen.meets(new Object(), 1L), "still never itself");
    }

    @Test
    void theOldestInstanceIsForgottenPastTheLimit() {
        Engine.start(Config.defaults(), f -> { });
        Object[] locks = new Object[SeenHolds.MAX + 1];
        SeenHolds seen = null;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
            seen = SeenHolds.of(seen, locks[i], 1L);
        }
        assertFalse(seen.has(locks[0], 1L));
        for (int i = 1; i < locks.length; i++) {
            assertTrue(seen.has(locks[i], 1L), "lock " + i);
        }
    }
}
