package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.Sites;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Drives the wait-for check the way the agent's rewritten JDK methods do, through {@link Hooks}, without an agent:
 * each helper makes the hook calls of one JDK method (a wait, an event, a task's run). The synchronizers are real
 * objects, so a wait sees their state ({@code isDone}, {@code getCount}...), but the helpers never block.
 */
final class Waits {
    private Waits() {
    }

    static CountDownLatch latch(String owner, String field, int count) {
        return allocated(new CountDownLatch(count), "java/util/concurrent/CountDownLatch", owner, field);
    }

    static Semaphore semaphore(String owner, String field, int permits) {
        return allocated(new Semaphore(permits), "java/util/concurrent/Semaphore", owner, field);
    }

    static BlockingQueue<String> queue(String owner, String field, int capacity) {
        return allocated(new ArrayBlockingQueue<String>(capacity), "java/util/concurrent/ArrayBlockingQueue", owner,
                field);
    }

    static CompletableFuture<String> future(String owner, String field) {
        return allocated(new CompletableFuture<String>(), "java/util/concurrent/CompletableFuture", owner, field);
    }

    /** A synchronizer allocated at a site of the program's code (the test's), as the agent's allocation hook says. */
    static <T> T allocated(T synchronizer, String type, String owner, String field) {
        Hooks.allocated(synchronizer, Sites.allocation(type, Locks.site("alloc", 50), owner, field));
        return synchronizer;
    }

    /** {@code new FutureTask<>(body, null)}: the constructor's hook. */
    static FutureTask<Void> task(Runnable body) {
        FutureTask<Void> t = new FutureTask<>(body, null);
        Hooks.taskCreated(t, t, body);
        return t;
    }

    /**
     * A pool's worker running the task as {@code FutureTask.run} would, without completing the real future (so other
     * waits on it still find it not done): {@code during} is what the task's body does, seen by the hooks.
     */
    static void run(FutureTask<?> task, Runnable during) {
        Hooks.taskBegin(task);
        try {
            during.run();
            Hooks.taskDone(task);
        } finally {
            Hooks.taskEnd(task);
        }
    }

    /** A wait that never gives up on {@code target}, as the wait method's entry and exit hooks see it. */
    static void await(Object target, int type) {
        Hooks.beforeEventWait(target, type, 1, -1, null);
        Hooks.afterEventWait();
    }

    /** A wait that gives up after {@code millis}. */
    static void awaitFor(Object target, int type, long millis) {
        Hooks.beforeEventWait(target, type, 1, millis, TimeUnit.MILLISECONDS);
        Hooks.afterEventWait();
    }

    static void produce(Object target, int type) {
        Hooks.eventProduced(target, type);
    }

    static ThreadPoolExecutor pool(ThreadPoolExecutor pool) {
        Hooks.poolCreated(pool);
        return pool;
    }

    /** Runs {@code body} in a new thread and waits for it; rethrows what it threw. */
    static void inThread(String name, Runnable body) {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (failure[0] instanceof RuntimeException) {
            throw (RuntimeException) failure[0];
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }
}
