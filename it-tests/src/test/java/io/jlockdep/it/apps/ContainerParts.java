package io.jlockdep.it.apps;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ConcurrentHashMap's bin locks, as a cache manager and a logger use them: {@code computeIfAbsent} holds a bin's
 * (reservation) node while its function runs, {@code put} on a present key locks the bin's first node. The argument
 * picks the case: {@code two-maps} (the function of one map's computeIfAbsent takes the log lock, and the log lock is
 * held around a put into another map: two maps, no cycle), {@code one-map} (the same on one map: a real deadlock,
 * one thread's put waits for the bin the other's computeIfAbsent holds while it waits for the log lock).
 */
public final class ContainerParts {
    static final Map<String, Object> regions = new ConcurrentHashMap<>();
    static final Map<String, Object> concatCache = new ConcurrentHashMap<>();
    static final Object logLock = new Object();

    private ContainerParts() {
    }

    /** A region configured under its map's bin lock, logging as it goes. */
    static Object region(String name) {
        return regions.computeIfAbsent(name, n -> {
            synchronized (logLock) {
                return "region " + n;
            }
        });
    }

    /** Logging, which puts into a map (twice: a put on a present key locks its bin). */
    static void log(Map<String, Object> cache, String key) {
        synchronized (logLock) {
            cache.put(key, 1);
            cache.put(key, 2);
        }
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Map<String, Object> logged = kind.equals("one-map") ? regions : concatCache;
        Thread a = new Thread(() -> region("users"), "configurer");
        a.start();
        a.join();
        Thread b = new Thread(() -> log(logged, "users"), "logger");
        b.start();
        b.join();
        System.out.println("finished " + kind);
    }
}
