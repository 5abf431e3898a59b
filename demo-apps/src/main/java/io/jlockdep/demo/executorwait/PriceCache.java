package io.jlockdep.demo.executorwait;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A price cache that one background thread refreshes: a single-thread executor runs the refresh tasks, which reload
 * the prices under the cache's lock when the cache is stale.
 */
final class PriceCache {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> prices = new HashMap<>();
    private final ExecutorService refresher;
    private volatile boolean stale = true;

    PriceCache(ExecutorService refresher) {
        this.refresher = refresher;
    }

    /** A single-thread executor whose thread is a daemon named {@code refresher}, so it never keeps the JVM alive. */
    static ExecutorService newRefresher() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "refresher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks the refresher for a refresh; the returned future completes when it has run. */
    Future<?> refreshAsync() {
        return refresher.submit(this::refresh);
    }

    /** The refresh task: reloads the prices under the cache's lock, when they are stale. */
    private void refresh() {
        if (!stale) {
            return;
        }
        lock.lock();
        try {
            prices.put("apples", 3);
            prices.put("bread", 2);
            stale = false;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the prices stale: the next refresh reloads them. */
    void invalidate() {
        stale = true;
    }

    /**
     * The bug: an item missing from the cache makes the lookup ask for a refresh and wait for it, still holding the
     * cache's lock. A refresh that has to reload takes that lock, and waits for the lookup, which waits for it.
     */
    Integer price(String item) throws InterruptedException, ExecutionException {
        lock.lock();
        try {
            if (!prices.containsKey(item)) {
                refreshAsync().get();
            }
            return prices.get(item);
        } finally {
            lock.unlock();
        }
    }
}
