package io.jlockdep.it.apps;

import java.util.ArrayList;
import java.util.List;

/**
 * Several databases in one JVM, each owning a row cache and a data file, like an embedded database engine's test
 * suite: the data file adds rows to the cache under both monitors (data file, then cache), and the cache saves its
 * rows into the data file the other way round (cache, then data file). Both orders run only inside {@code open()},
 * under that database's own monitor, so two threads can run them at once only in different databases, on different
 * caches: no deadlock. The argument picks the case: {@code gated} (each database opened by several threads, again
 * and again) and {@code broken} (then one database copies another's rows under its own monitor only, taking the
 * other's data file and cache in the first order: a thread doing that and one opening the other database can
 * deadlock).
 */
public final class DatabaseCaches {
    private DatabaseCaches() {
    }

    static final class Cache {
        private final List<Object> rows = new ArrayList<>();
        DataFile file;

        synchronized void put(Object row) {
            rows.add(row);
        }

        synchronized void saveAll() {
            file.saveRows(new ArrayList<>(rows));
        }
    }

    static final class DataFile {
        final Cache cache;
        private int saved;

        DataFile(Cache cache) {
            this.cache = cache;
        }

        synchronized void add(Object row) {
            cache.put(row);
        }

        synchronized void saveRows(List<Object> rows) {
            saved += rows.size();
        }
    }

    static final class Database {
        final DataFile file;

        Database() {
            Cache cache = new Cache();
            file = new DataFile(cache);
            cache.file = file;
        }

        synchronized void open(int n) {
            file.add("row " + n);
            file.cache.saveAll();
        }

        /** Copies rows of {@code other} into it, holding only this database's monitor: the bug of the broken case. */
        synchronized void copyFrom(Database other) {
            other.file.add("copied");
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Database[] databases = new Database[3];
        for (int i = 0; i < databases.length; i++) {
            databases[i] = new Database();
        }
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int first = t;
            threads[t] = new Thread(() -> {
                for (int n = 0; n < 200; n++) {
                    databases[(first + n) % databases.length].open(n);
                }
            }, "opener-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        switch (args[0]) {
            case "gated":
                break;
            case "broken":
                databases[1].copyFrom(databases[0]);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("finished " + args[0]);
    }
}
