package io.jlockdep.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A program the agent is attached to while it runs. Before the attach it takes its locks in one order and keeps one
 * ReentrantLock held across the attach; after "go" on standard input it releases that lock (which jlockdep never saw
 * taken) and takes the locks in the other order, in classes loaded before and after the attach.
 */
public final class AttachTarget {
    static final class Store {
        synchronized void save(Index index) {
            index.update();
        }

        synchronized void flush() {
        }
    }

    static final class Index {
        synchronized void update() {
        }

        synchronized void rebuild(Store store) {
            store.flush();
        }
    }

    static final ReentrantLock CACHE = new ReentrantLock();
    static final ReentrantLock JOURNAL = new ReentrantLock();
    static final ReentrantLock HELD_ACROSS = new ReentrantLock();

    public static void main(String[] args) throws Exception {
        Store store = new Store();
        Index index = new Index();
        store.save(index);
        lockBoth(CACHE, JOURNAL);
        HELD_ACROSS.lock();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"go".equals(in.readLine())) {
            throw new IllegalStateException("expected go");
        }
        HELD_ACROSS.unlock();
        // Orders seen before the attach are not in the graph: take both orders again after it.
        store.save(index);
        index.rebuild(store);
        lockBoth(CACHE, JOURNAL);
        lockBoth(JOURNAL, CACHE);
        AfterAttach.run();
        System.out.println("finished");
    }

    static void lockBoth(ReentrantLock first, ReentrantLock second) {
        first.lock();
        try {
            second.lock();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    /** Loaded only after the attach. */
    static final class AfterAttach {
        static final Object LEFT = new Object();
        static final Object RIGHT = new Object();

        static void run() {
            synchronized (LEFT) {
                synchronized (RIGHT) {
                    System.out.println("left then right");
                }
            }
            synchronized (RIGHT) {
                synchronized (LEFT) {
                    System.out.println("right then left");
                }
            }
        }
    }
}
