package io.jlockdep.demo.executorwait;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Scenario;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting for a task while holding the lock the task needs. A price lookup that misses holds the cache's lock while
 * it waits for a refresh on the cache's single-thread executor; the refresh, when the prices are stale, takes the
 * cache's lock. No two locks are ever taken in opposite orders: the second "lock" is the future. By default the
 * refresh that the lookup waits for finds fresh prices and does not lock, so nothing blocks; stale prices at that
 * moment hang both threads. The fix: ask for the refresh and wait for it without holding the lock (or have the
 * refresh not lock what its callers hold).
 */
public final class ExecutorWaitScenario implements Scenario {
    /** How long a mode waits for a thread to block (far more than it needs). */
    private static final long BLOCK_TIMEOUT_MILLIS = 10_000;

    @Override
    public String name() {
        return "executor-wait";
    }

    @Override
    public String description() {
        return "a lookup holds the cache lock while it waits for a refresh task that needs the cache lock";
    }

    /**
     * The refresh at start-up takes the lock alone. Later the refresher is busy publishing the prices when a client's
     * lookup misses: its refresh waits in the queue, so the client waits for it (holding the cache lock), and when it
     * runs the prices are fresh: it does not lock, and nothing blocks.
     */
    @Override
    public void run() throws Exception {
        ExecutorService refresher = PriceCache.newRefresher();
        PriceCache cache = new PriceCache(refresher);
        cache.refreshAsync().get();
        System.out.println("start-up: the refresher loads the stale prices under the cache lock");
        CountDownLatch published = new CountDownLatch(1);
        refresher.submit(() -> awaitQuietly(published));
        System.out.println("the refresher publishes the prices; meanwhile a client looks up pears, which are not cached");
        Thread client = new Thread(() -> {
            try {
                System.out.println("price of pears: " + cache.price("pears")
                        + " (the lookup waited for a refresh, holding the cache lock; the prices were fresh)");
            } catch (Exception e) {
                System.out.println("lookup failed: " + e);
            }
        }, "client");
        client.start();
        // The refresh may run only once the client waits for it (parked on its future), else it proves nothing.
        Deadlock.await(() -> LockSupport.getBlocker(client) instanceof Future || !client.isAlive(),
                BLOCK_TIMEOUT_MILLIS);
        published.countDown();
        client.join();
        refresher.shutdown();
        System.out.println("done: nothing blocked");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The prices go stale before the lookup misses: its refresh needs the lock the lookup holds. */
    @Override
    public void runIntoDeadlock(long waitMillis) throws Exception {
        ExecutorService refresher = PriceCache.newRefresher();
        PriceCache cache = new PriceCache(refresher);
        cache.refreshAsync().get();
        System.out.println("start-up: the refresher loads the stale prices under the cache lock");
        cache.invalidate();
        System.out.println("the prices go stale; a client looks up pears, which are not cached");
        Deadlock deadlock = new Deadlock(0, waitMillis);
        deadlock.thread("client", () -> {
            try {
                cache.price("pears");
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        });
        deadlock.startAndAwaitDeadlock();
        Thread refresherThread = refresherThread();
        Deadlock.awaitStuck(refresherThread, BLOCK_TIMEOUT_MILLIS);
        System.out.println("  " + Deadlock.waitingFor(refresherThread));
    }

    private static Thread refresherThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("refresher")) {
                return t;
            }
        }
        throw new IllegalStateException("no refresher thread");
    }
}
