package io.jlockdep.demo;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where the threads of a {@code --deadlock} run meet while each holds its first lock, so that they deadlock every time
 * instead of by chance. A latch, not a lock: meeting adds nothing to the lock orders jlockdep sees.
 */
public final class Meeting {
    /** The default mode's meeting point: nobody waits. */
    public static final Meeting NONE = new Meeting(0);

    /** A party that never arrives (a bug in the scenario) must not hang the demo: the others go on after this. */
    private static final long GIVE_UP_SECONDS = 10;

    private final CountDownLatch arrivals;

    public Meeting(int parties) {
        this.arrivals = new CountDownLatch(parties);
    }

    /** Returns once every party has arrived. The wait is timed, so a thread still here is not counted as stuck. */
    public void arrive() {
        if (arrivals.getCount() == 0) {
            return;
        }
        arrivals.countDown();
        try {
            arrivals.await(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
