package io.jlockdep.it.apps;

import io.jlockdep.Lockdep;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Threads that really deadlock, for the watchdog: each takes its first lock, waits until all have, then asks for the
 * next one. Daemon threads; main waits until jlockdep has printed its first report (with {@code deadlock} as third
 * argument, the watchdog's), then {@code args[1]} ms more, says whether they are still stuck, and exits. The first
 * argument picks the locks. Waiting for the report, not for the clock, keeps it right on a busy machine, where
 * reports can take seconds.
 */
public final class StuckThreads {
    static final class Vault {
        final ReentrantLock lock = new ReentrantLock();
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        final StampedLock stamped = new StampedLock();
        final Object monitor = new Object();
    }

    public static void main(String[] args) throws Exception {
        Vault a = new Vault();
        Vault b = new Vault();
        long waitMillis = Long.parseLong(args[1]);
        List<Runnable> parties = new ArrayList<>();
        CountDownLatch holding;
        switch (args[0]) {
            case "reentrant":
                holding = new CountDownLatch(2);
                parties.add(() -> nested(a.lock, b.lock, holding));
                parties.add(() -> nested(b.lock, a.lock, holding));
                break;
            case "monitor":
                holding = new CountDownLatch(2);
                parties.add(() -> monitors(a.monitor, b.monitor, holding));
                parties.add(() -> monitors(b.monitor, a.monitor, holding));
                break;
            case "readers":
                // Each holds a read lock and wants the other's write lock: read holds are invisible to ThreadMXBean.
                holding = new CountDownLatch(2);
                parties.add(() -> nested(a.rw.readLock(), b.rw.writeLock(), holding));
                parties.add(() -> nested(b.rw.readLock(), a.rw.writeLock(), holding));
                break;
            case "queued-writer":
                // reader-1 reads a, wants b; holder-2 holds b, wants to read a, but writer-3 queued on a blocks new
                // readers, and writer-3 waits for reader-1's read hold.
                holding = new CountDownLatch(2);
                CountDownLatch writerQueued = new CountDownLatch(1);
                parties.add(() -> nested(a.rw.readLock(), b.lock, holding));
                parties.add(() -> {
                    b.lock.lock();
                    holding.countDown();
                    await(writerQueued);
                    a.rw.readLock().lock();
                });
                parties.add(() -> {
                    await(holding);
                    Thread writer = Thread.currentThread();
                    new Thread(() -> {
                        while (!a.rw.hasQueuedThread(writer)) {
                            Thread.onSpinWait();
                        }
                        writerQueued.countDown();
                    }).start();
                    a.rw.writeLock().lock();
                });
                break;
            case "stamped":
                holding = new CountDownLatch(2);
                parties.add(() -> stamped(a.stamped, b.stamped, holding));
                parties.add(() -> stamped(b.stamped, a.stamped, holding));
                break;
            case "virtual":
                holding = new CountDownLatch(2);
                parties.add(() -> nested(a.lock, b.lock, holding));
                parties.add(() -> nested(b.lock, a.lock, holding));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < parties.size(); i++) {
            String name = (args[0].equals("virtual") ? "virtual-party-" : "party-") + (i + 1);
            Thread t = args[0].equals("virtual") ? virtualThread(name, parties.get(i)) : new Thread(parties.get(i), name);
            t.setDaemon(true);
            threads.add(t);
        }
        for (Thread t : threads) {
            t.start();
        }
        System.out.println("started");
        awaitReport(args.length > 2 && args[2].equals("deadlock") ? "WARNING: deadlock detected" : null);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Thread t : threads) {
            t.join(Math.max(1L, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        boolean stuck = false;
        for (Thread t : threads) {
            stuck |= t.isAlive();
        }
        System.out.println(stuck ? "still stuck" : "finished");
        System.exit(0);
    }

    /**
     * Until jlockdep has reported a finding (whose text contains {@code text}, if given) and has printed it: a finding
     * is counted before it is printed, so this also waits until no thread is still in {@code Engine.emit}. At most
     * 45 s, within the time the test gives the whole run.
     */
    private static void awaitReport(String text) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        boolean reported = false;
        while (System.nanoTime() - giveUp < 0) {
            long n = Lockdep.findingCount();
            for (String report : reported || n == 0 ? List.<String>of() : Lockdep.reports(0, n)) {
                reported |= text == null || report.contains(text);
            }
            if (reported && !emitting()) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private static boolean emitting() {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals("io.jlockdep.runtime.Engine") && frame.getMethodName().equals("emit")) {
                    return true;
                }
            }
        }
        return false;
    }

    static void nested(Lock first, Lock second, CountDownLatch holding) {
        first.lock();
        holding.countDown();
        await(holding);
        second.lock();
    }

    static void monitors(Object first, Object second, CountDownLatch holding) {
        synchronized (first) {
            holding.countDown();
            await(holding);
            synchronized (second) {
                holding.countDown();
            }
        }
    }

    static void stamped(StampedLock first, StampedLock second, CountDownLatch holding) {
        first.readLock();
        holding.countDown();
        await(holding);
        second.writeLock();
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Thread.ofVirtual().name(name).unstarted(task)}, through reflection: compiled for Java 17. */
    static Thread virtualThread(String name, Runnable task) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class).invoke(builder, name);
        return (Thread) ofVirtual.getMethod("unstarted", Runnable.class).invoke(builder, task);
    }
}
