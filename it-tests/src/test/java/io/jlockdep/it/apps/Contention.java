package io.jlockdep.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** Four threads fighting over one ReentrantLock, one read/write lock's write lock and one monitor, each also using a lock nobody else touches. */
public final class Contention {
    static final class Shared {
        final ReentrantLock lock = new ReentrantLock();
        final Object monitor = new Object();
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    }

    static final class Own {
        final ReentrantLock lock = new ReentrantLock();
    }

    public static void main(String[] args) throws InterruptedException {
        Shared shared = new Shared();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                Own own = new Own();
                for (int i = 0; i < 200; i++) {
                    shared.lock.lock();
                    try {
                        LockSupport.parkNanos(20_000);
                    } finally {
                        shared.lock.unlock();
                    }
                    shared.rw.writeLock().lock();
                    try {
                        LockSupport.parkNanos(20_000);
                    } finally {
                        shared.rw.writeLock().unlock();
                    }
                    synchronized (shared.monitor) {
                        LockSupport.parkNanos(20_000);
                    }
                    own.lock.lock();
                    own.lock.unlock();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.println("done");
    }
}
