package io.jlockdep.it.apps;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Creates, uses and drops millions of locks of every kind, nested in a fixed order, and prints the heap in use after a
 * collection at each million: a program that churns through locks must not grow under the agent. Usage:
 * {@code ManyLocks <millions>}.
 */
public final class ManyLocks {
    static final class Resource {
        final ReentrantLock lock = new ReentrantLock();
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        final Object monitor = new Object();
    }

    public static void main(String[] args) {
        int millions = Integer.parseInt(args[0]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long sink = 0;
        for (int m = 1; m <= millions; m++) {
            for (int i = 0; i < 1_000_000; i++) {
                Resource r = new Resource();
                Object local = new Object();
                r.lock.lock();
                try {
                    synchronized (r.monitor) {
                        r.rw.readLock().lock();
                        synchronized (local) {
                            sink += i;
                        }
                        r.rw.readLock().unlock();
                    }
                } finally {
                    r.lock.unlock();
                }
            }
            System.gc();
            System.out.println("million " + m + " used " + memory.getHeapMemoryUsage().getUsed() / (1024 * 1024) + " MB");
        }
        System.out.println("done " + (sink > 0));
    }
}
