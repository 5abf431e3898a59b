package io.jlockdep.demo;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A {@code --deadlock} run: daemon threads that meet while each holds its first lock, then ask for the next one. The
 * main thread leaves them stuck for a bounded time (long enough for a deadlock watchdog to report), then says what
 * each waits for and returns; the threads are daemons, so the JVM can exit.
 */
public final class Deadlock {
    /** How long the threads may take to reach the deadlock: far more than they need, even on a loaded machine. */
    private static final long REACH_TIMEOUT_MILLIS = 10_000;

    private final long waitMillis;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Thread, Throwable> failures = new ConcurrentHashMap<>();
    private final Meeting meeting;

    /** {@code parties}: how many threads meet at {@link #meeting()} (0 when they do not need to). */
    public Deadlock(int parties, long waitMillis) {
        this.meeting = new Meeting(parties);
        this.waitMillis = waitMillis;
    }

    /** Adds a thread; it starts with {@link #startAndAwaitDeadlock()}. */
    public Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler(failures::put);
        threads.add(t);
        return t;
    }

    /** Where the threads meet: each calls {@link Meeting#arrive()} holding its first lock. */
    public Meeting meeting() {
        return meeting;
    }

    /**
     * Starts the threads, waits until they are all stuck (or one ends), leaves them stuck for the wait time, and prints
     * what each is stuck on. Throws if any thread finished or failed instead of deadlocking.
     */
    public void startAndAwaitDeadlock() throws InterruptedException {
        for (Thread t : threads) {
            t.start();
        }
        if (await(() -> threads.stream().allMatch(Deadlock::isStuck) || threads.stream().anyMatch(t -> !t.isAlive()),
                REACH_TIMEOUT_MILLIS)) {
            Thread.sleep(waitMillis);
        }
        List<Thread> notStuck = new ArrayList<>();
        for (Thread t : threads) {
            if (!isStuck(t)) {
                notStuck.add(t);
            }
        }
        if (!notStuck.isEmpty()) {
            StringBuilder why = new StringBuilder("expected a deadlock, but:");
            for (Thread t : notStuck) {
                Throwable failure = failures.get(t);
                why.append("\n  ").append(t.getName()).append(' ')
                        .append(failure != null ? "failed: " + failure : t.isAlive() ? t.getState() : "finished");
            }
            throw new IllegalStateException(why.toString());
        }
        System.out.println("deadlocked as predicted, stuck for " + waitMillis + " ms:");
        for (Thread t : threads) {
            System.out.println("  " + waitingFor(t));
        }
    }

    /** Waits until {@code t} is {@linkplain #isStuck stuck} or has ended, at most {@code timeoutMillis}. */
    public static void awaitStuck(Thread t, long timeoutMillis) throws InterruptedException {
        await(() -> isStuck(t) || !t.isAlive(), timeoutMillis);
    }

    /** Polls {@code condition} until it holds, at most {@code timeoutMillis}; returns whether it held. */
    public static boolean await(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Alive and waiting for a lock or a notify, untimed: it will not come back by itself. */
    public static boolean isStuck(Thread t) {
        Thread.State state = t.getState();
        return t.isAlive() && (state == Thread.State.BLOCKED || state == Thread.State.WAITING);
    }

    /** One line: the thread, its state, the lock it waits for and the thread that holds it (when the JVM knows). */
    public static String waitingFor(Thread t) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
        if (info == null) {
            return t.getName() + " has ended";
        }
        StringBuilder line = new StringBuilder(t.getName()).append(' ').append(info.getThreadState());
        if (info.getLockName() != null) {
            line.append(" on ").append(info.getLockName());
        }
        if (info.getLockOwnerName() != null) {
            line.append(" held by ").append(info.getLockOwnerName());
        }
        return line.toString();
    }
}
