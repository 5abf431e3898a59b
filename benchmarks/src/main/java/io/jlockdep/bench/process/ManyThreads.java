package io.jlockdep.bench.process;

import io.jlockdep.bench.AgentCheck;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Many threads, each holding locks: n threads each take three locks of their own (a ReentrantLock, the read lock of
 * a ReentrantReadWriteLock, a monitor; three lock classes shared by all threads) in one fixed order and hold them
 * until every thread holds its own; then all release and end. Reports the time until all hold, the total time, the
 * CPU time the JVM used for it (all its threads: the JIT and the collector too), and the heap per thread while all
 * hold; once for a first round, and again ({@code -warm}) for a second round in the same JVM.
 *
 * <p>Arguments: n.
 */
public final class ManyThreads {
    private ManyThreads() {
    }

    static final class Worker implements Runnable {
        final ReentrantLock outer = new ReentrantLock();
        final ReentrantReadWriteLock middle = new ReentrantReadWriteLock();
        final Object inner = new Object();
        final CountDownLatch holding;
        final CountDownLatch release;
        final boolean check;

        Worker(CountDownLatch holding, CountDownLatch release, boolean check) {
            this.holding = holding;
            this.release = release;
            this.check = check;
        }

        @Override
        public void run() {
            outer.lock();
            try {
                middle.readLock().lock();
                try {
                    synchronized (inner) {
                        if (check) {
                            AgentCheck.expectTracked(0, 3, "ManyThreads");
                        }
                        holding.countDown();
                        awaitUninterruptibly(release);
                    }
                } finally {
                    middle.readLock().unlock();
                }
            } finally {
                outer.unlock();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int n = Integer.parseInt(args[0]);
        round(n, "", true);
        // The same again in the same JVM: the first round also pays for the JIT compiling the code it runs (under the
        // agent, the hooks' too); the second shows what many threads cost a program that has been running.
        round(n, "-warm", false);
    }

    private static void round(int n, String suffix, boolean check) throws InterruptedException {
        long before = Results.usedHeapAfterGc();
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        Thread[] threads = new Thread[n];
        long cpuStart = Results.processCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            threads[i] = new Thread(new Worker(holding, release, check && i == 0), "worker-" + i);
            threads[i].start();
        }
        holding.await();
        long allHolding = System.nanoTime();
        long cpuHolding = Results.processCpuNanos();
        long during = Results.usedHeapAfterGc();
        long gcTime = System.nanoTime() - allHolding;
        long cpuAfterGc = Results.processCpuNanos();
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        long cpuEnd = Results.processCpuNanos();
        Results.print("threads-all-holding" + suffix, (allHolding - start) / 1e6, "ms");
        Results.print("threads-total" + suffix, (end - start - gcTime) / 1e6, "ms");
        Results.print("threads-cpu" + suffix, (cpuEnd - cpuStart - (cpuAfterGc - cpuHolding)) / 1e6, "ms");
        Results.print("threads-heap-per-thread" + suffix, (double) (during - before) / n, "B");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep holding until released
            }
        }
    }
}
