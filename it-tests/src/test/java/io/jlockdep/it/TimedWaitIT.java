package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.TimedWaitLoop;
import org.junit.jupiter.api.Test;

/**
 * A timed wait in a loop, holding a lock the notifier needs, is as stuck as an untimed one: reported, with its timeout.
 */
class TimedWaitIT {

    @Test
    void aMonitorWaitLoopWithATimeoutHoldingTheNotifiersLockIsReported() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(TimedWaitLoop.class, "monitor").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("waiter gave up after 3 timed waits\nready=true"), r::toString);
        assertEquals(1, r.count(Reports.WAIT_NOTIFY), r::toString);
        Reports.assertInOrder(r, Reports.WAIT_NOTIFY,
                "notifier/", " is about to wake waiters of lock:",
                "(TimedWaitLoop.changed){monitor}, at TimedWaitLoop.notifyWithMonitors(TimedWaitLoop.java:",
                "while holding lock:", "(TimedWaitLoop.gate){monitor}, at TimedWaitLoop.notifyWithMonitors(",
                "-> (TimedWaitLoop.gate){monitor} held while waiting, with a timeout of 100 ms, on "
                        + "(TimedWaitLoop.changed):",
                "io.jlockdep.it.apps.TimedWaitLoop.waitWithMonitors(TimedWaitLoop.java:",
                " The wait has a timeout (100 ms), but a waiter that waits again until it is woken",
                "  wait(TimedWaitLoop.changed);", " *** DEADLOCK ***");
        assertFalse(r.stderr.contains("io.jlockdep.runtime."), r::toString);
    }

    @Test
    void aConditionAwaitLoopWithATimeoutHoldingTheNotifiersLockIsReported() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(TimedWaitLoop.class, "condition").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("waiter gave up after 3 timed waits\nready=true"), r::toString);
        assertEquals(1, r.count(Reports.WAIT_NOTIFY), r::toString);
        Reports.assertInOrder(r, Reports.WAIT_NOTIFY,
                "notifier/", " is about to wake waiters of lock:", "(TimedWaitLoop.stateLock){ReentrantLock}",
                "while holding lock:", "(TimedWaitLoop.gateLock){ReentrantLock}",
                "-> (TimedWaitLoop.gateLock){ReentrantLock} held while waiting, with a timeout of 50 ms, on"
                        + " (TimedWaitLoop.stateLock):",
                " The wait has a timeout (50 ms)");
    }
}
