package io.jlockdep.demo.rwupgrade;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Meeting;
import io.jlockdep.demo.Scenario;

/**
 * A read lock held, the write lock requested: the upgrade a ReentrantReadWriteLock does not support. A cache reads
 * under the read lock and, on a miss, takes the write lock without first giving the read lock back. One thread is
 * enough to hang: the write lock waits for this thread's own read hold. Two threads missing at once each wait for the
 * other's read hold too. The fix: release the read lock, take the write lock, and look again.
 */
public final class RwUpgradeScenario implements Scenario {
    /** How long the default mode waits for the stuck request to block before cancelling it. */
    private static final long BLOCK_TIMEOUT_MILLIS = 10_000;

    @Override
    public String name() {
        return "rw-upgrade";
    }

    @Override
    public String description() {
        return "a cache miss takes the write lock while holding the read lock: a read/write lock upgrade never returns";
    }

    /** A hit goes through; a miss hangs on its own read lock until the demo cancels it. */
    @Override
    public void run() throws InterruptedException {
        Cache cache = new Cache();
        cache.put("greeting", "HELLO");
        System.out.println("get(greeting) = " + cache.get("greeting", Meeting.NONE) + ": a hit takes the read lock only");
        Thread request = new Thread(() -> {
            try {
                cache.get("missing", Meeting.NONE);
            } catch (InterruptedException e) {
                System.out.println("get(missing) cancelled: it gave up the write lock it could never get");
            }
        }, "request-1");
        request.start();
        Deadlock.awaitStuck(request, BLOCK_TIMEOUT_MILLIS);
        System.out.println("get(missing) is stuck: " + Deadlock.waitingFor(request)
                + " (its own read lock); cancelling it");
        request.interrupt();
        request.join();
        System.out.println("done: the upgrade blocked even with no other thread; cancelled");
    }

    /** Two requests miss at once: each holds a read lock and waits for the write lock. */
    @Override
    public void runIntoDeadlock(long waitMillis) throws InterruptedException {
        Cache cache = new Cache();
        Deadlock deadlock = new Deadlock(2, waitMillis);
        for (String key : new String[] {"alpha", "beta"}) {
            deadlock.thread("get-" + key, () -> {
                try {
                    cache.get(key, deadlock.meeting());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        System.out.println("get(alpha) and get(beta) miss at the same time: each holds the read lock, then asks for"
                + " the write lock");
        deadlock.startAndAwaitDeadlock();
    }
}
