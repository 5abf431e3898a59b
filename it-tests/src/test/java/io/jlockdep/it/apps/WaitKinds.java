package io.jlockdep.it.apps;

import io.jlockdep.Lockdep;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits that are not locks, each kind in a run that never hangs: {@code WaitKinds <kind> <variant>}.
 * <ul>
 *   <li>{@code needs}: first a producer of the event takes {@link #LOCK} while nobody waits; then this thread waits for
 *       another event of the same class holding {@code LOCK}, and a producer that this time does not lock produces
 *       it (only once this thread waits). jlockdep reports the wait.</li>
 *   <li>{@code free}: the same, but no producer ever takes the lock: nothing to report.</li>
 *   <li>{@code done}: the producer took the lock earlier, but the event is there before this thread waits for it:
 *       the wait returns at once and proves nothing.</li>
 *   <li>{@code off}: as {@code needs}, the wait inside {@code Lockdep.off()}.</li>
 *   <li>{@code timed}: as {@code needs}, the wait with a time limit ({@value #TIMED_SECONDS} s, which it never
 *       reaches: the producer produces once this thread waits).</li>
 *   <li>{@code virtual}, {@code virtual-free} (JDK 21+): as {@code needs} and {@code free}, with virtual threads.</li>
 * </ul>
 * The pool kinds run a task that waits for another task of its own pool; the {@code -hang} kinds really hang (for the
 * watchdog) and main returns after {@code args[1]} ms, the stuck threads being daemons. Prints {@code done} at the end.
 */
public final class WaitKinds {
    /** The lock waiters hold and producers need. */
    static final ReentrantLock LOCK = new ReentrantLock();
    /** How long a thread waits for another to reach a wait: far more than it needs. */
    private static final long REACH_MILLIS = 20_000;
    /** The limit of a timed wait: it never expires, the event comes once the waiter waits. */
    public static final long TIMED_SECONDS = 30;

    /** Synchronizers, each allocated at one site (a field): every instance is one event class. */
    static final class Gate {
        final CountDownLatch opened = new CountDownLatch(1);
    }

    static final class Slots {
        final Semaphore permits = new Semaphore(0);
    }

    static final class Mailbox {
        final BlockingQueue<String> letters = new LinkedBlockingQueue<>();
    }

    static final class Shelf {
        final BlockingQueue<String> items = new ArrayBlockingQueue<>(1);
    }

    static final class Reply {
        final CompletableFuture<String> answer = new CompletableFuture<>();
    }

    /** Two parties meet: each arrives, then waits for the other. */
    static final class Meeting {
        final CyclicBarrier barrier = new CyclicBarrier(2);
    }

    /** One party; waiters await its advance. */
    static final class Stage {
        final Phaser phaser = new Phaser(1);
    }

    /** Two parties meet at a phaser: each arrives and waits for the other (arriveAndAwaitAdvance). */
    static final class Crew {
        final Phaser phaser = new Phaser(2);
    }

    private static String variant;
    private static boolean virtual;
    /** No producer takes the lock. */
    private static boolean free;
    /** The waits have a time limit. */
    private static boolean timed;

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        variant = args[1];
        virtual = variant.startsWith("virtual");
        free = variant.endsWith("free");
        timed = variant.equals("timed");
        switch (kind) {
            case "future":
                future(virtual ? virtualExecutor() : daemonExecutor(1));
                break;
            case "completable-async":
                completableAsync(daemonExecutor(1));
                break;
            case "completable":
                completable();
                break;
            case "latch":
                latch();
                break;
            case "semaphore":
                semaphore();
                break;
            case "queue-take":
                queueTake();
                break;
            case "queue-put":
                queuePut();
                break;
            case "join":
                join();
                break;
            case "barrier":
                barrier();
                break;
            case "phaser":
                phaser();
                break;
            case "phaser-meeting":
                phaserMeeting();
                break;
            case "invoke-all":
                invokeAll(daemonExecutor(2));
                break;
            case "invoke-any":
                invokeAny(daemonExecutor(2));
                break;
            case "completion-service":
                completionService(daemonExecutor(1));
                break;
            case "waiter-virtual":
                waiterVirtual();
                break;
            case "pool":
                pool();
                break;
            case "future-hang":
                futureHang(Long.parseLong(variant));
                break;
            case "pool-hang":
                poolHang(Long.parseLong(variant));
                break;
            case "join-hang":
                joinHang(Long.parseLong(variant));
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
        System.out.println("done");
    }

    // ------------------------------------------------------------------------------------------------ the kinds

    /** A task on an executor; this thread waits for its future. */
    private static void future(ExecutorService executor) throws Exception {
        if (!free) {
            submit(executor, true, null).get();
        }
        Future<?> f = submit(executor, false, variant.equals("done") ? null : Thread.currentThread());
        if (variant.equals("done")) {
            f.get();
        }
        holding(() -> {
            if (timed) {
                f.get(TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                f.get();
            }
        });
        executor.shutdown();
    }

    /** One submission site: every task is one event class. */
    private static Future<?> submit(ExecutorService executor, boolean takeLock, Thread waiter) {
        return executor.submit(() -> work(takeLock, waiter));
    }

    private static void completableAsync(ExecutorService executor) throws Exception {
        if (!free) {
            runAsync(executor, true, null).join();
        }
        CompletableFuture<Void> f = runAsync(executor, false, variant.equals("done") ? null : Thread.currentThread());
        if (variant.equals("done")) {
            f.join();
        }
        holding(() -> {
            if (timed) {
                f.get(TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                f.join();
            }
        });
        executor.shutdown();
    }

    private static CompletableFuture<Void> runAsync(ExecutorService executor, boolean takeLock, Thread waiter) {
        return CompletableFuture.runAsync(() -> work(takeLock, waiter), executor);
    }

    /** A future the program completes itself. */
    private static void completable() throws Exception {
        producePhaseOne(() -> new Reply().answer.complete("first"));
        Reply reply = new Reply();
        phaseTwo(() -> reply.answer.complete("second"), () -> {
            if (timed) {
                reply.answer.get(TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                reply.answer.get();
            }
        });
    }

    private static void latch() throws Exception {
        producePhaseOne(() -> new Gate().opened.countDown());
        Gate gate = new Gate();
        phaseTwo(gate.opened::countDown, () -> {
            if (timed) {
                gate.opened.await(TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                gate.opened.await();
            }
        });
    }

    private static void semaphore() throws Exception {
        producePhaseOne(() -> new Slots().permits.release());
        Slots slots = new Slots();
        phaseTwo(slots.permits::release, () -> {
            if (timed) {
                slots.permits.tryAcquire(TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                slots.permits.acquire();
            }
        });
    }

    /** take() (or a timed poll) waits for an element; offer() produces it. */
    private static void queueTake() throws Exception {
        producePhaseOne(() -> new Mailbox().letters.offer("first"));
        Mailbox box = new Mailbox();
        phaseTwo(() -> box.letters.add("second"), () -> {
            if (timed) {
                box.letters.poll(TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                box.letters.take();
            }
        });
    }

    /** put() (or a timed offer) on a full queue waits for room; poll() makes it. */
    private static void queuePut() throws Exception {
        producePhaseOne(() -> {
            Shelf s = new Shelf();
            s.items.add("first");
            s.items.poll();
        });
        Shelf shelf = new Shelf();
        shelf.items.add("full");
        phaseTwo(shelf.items::poll, () -> {
            if (timed) {
                shelf.items.offer("second", TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                shelf.items.put("second");
            }
        });
    }

    private static void join() throws Exception {
        if (!free) {
            Thread t = startWorker(true, null);
            t.join();
        }
        Thread worker = startWorker(false, variant.equals("done") ? null : Thread.currentThread());
        if (variant.equals("done")) {
            worker.join();
        }
        holding(() -> {
            if (timed) {
                worker.join(TimeUnit.SECONDS.toMillis(TIMED_SECONDS));
            } else {
                worker.join();
            }
        });
    }

    /**
     * A barrier of two: in phase one a party takes the lock, gives it back, then arrives (a party that waited at the
     * barrier holding the lock would itself be a waiter the other party's lock conflicts with); then this thread waits
     * at the barrier holding the lock while the other party arrives. {@code done}: the other party arrived first, so
     * this one trips the barrier and does not wait.
     */
    private static void barrier() throws Exception {
        meet(() -> {
            CyclicBarrier b = new Meeting().barrier;
            return () -> {
                if (timed) {
                    b.await(TIMED_SECONDS, TimeUnit.SECONDS);
                } else {
                    b.await();
                }
            };
        });
    }

    /** As {@link #barrier}, two parties of a phaser, each arriving and awaiting the other's arrival. */
    private static void phaserMeeting() throws Exception {
        meet(() -> {
            Phaser p = new Crew().phaser;
            return p::arriveAndAwaitAdvance;
        });
    }

    /** A new meeting of two parties: what each of them does there (arrive, then wait for the other). */
    @FunctionalInterface
    interface NewMeeting {
        Action arrival();
    }

    /**
     * Two parties meet, twice: first (unless {@code free}) a party takes the lock, gives it back, then arrives (a
     * party that waited holding the lock would itself be a waiter the other's lock conflicts with); then this thread
     * arrives holding the lock and waits, while the other party arrives once it waits ({@code done}: before, so this
     * one ends the meeting and does not wait).
     */
    private static void meet(NewMeeting newMeeting) throws Exception {
        if (!free) {
            Action m = newMeeting.arrival();
            Thread first = daemon(() -> {
                LOCK.lock();
                LOCK.unlock();
                quietly(m);
            });
            Thread second = daemon(() -> quietly(m));
            first.start();
            second.start();
            first.join();
            second.join();
        }
        Action meeting = newMeeting.arrival();
        Thread self = Thread.currentThread();
        Thread other = daemon(() -> {
            if (!variant.equals("done")) {
                awaitWaiting(self);
            }
            quietly(meeting);
        });
        other.start();
        if (variant.equals("done")) {
            awaitWaiting(other);
        }
        holding(meeting);
    }

    private static void quietly(Action a) {
        try {
            a.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void phaser() throws Exception {
        producePhaseOne(() -> new Stage().phaser.arrive());
        Stage stage = new Stage();
        int phase = stage.phaser.getPhase();
        phaseTwo(stage.phaser::arrive, () -> {
            if (timed) {
                stage.phaser.awaitAdvanceInterruptibly(phase, TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                stage.phaser.awaitAdvance(phase);
            }
        });
    }

    /** One creation site: every worker is one event class (its thread's end). */
    private static Thread startWorker(boolean takeLock, Thread waiter) throws Exception {
        Runnable body = () -> work(takeLock, waiter);
        Thread t = virtual ? virtualThread(body) : new Thread(body, "worker");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** invokeAll waits for its tasks inside the JDK (Future.get): the wait is seen all the same. */
    private static void invokeAll(ExecutorService executor) throws Exception {
        if (!free) {
            executor.invokeAll(List.of(callable(true, null)));
        }
        List<Callable<Void>> tasks = List.of(callable(false, Thread.currentThread()));
        holding(() -> {
            if (timed) {
                executor.invokeAll(tasks, TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                executor.invokeAll(tasks);
            }
        });
        executor.shutdown();
    }

    /** invokeAny waits in the queue of a completion service it creates: named after this one call site. */
    private static void invokeAny(ExecutorService executor) throws Exception {
        if (!free) {
            anyOf(executor, callable(true, null));
        }
        holding(() -> anyOf(executor, callable(false, Thread.currentThread())));
        executor.shutdown();
    }

    private static void anyOf(ExecutorService executor, Callable<Void> task) throws Exception {
        if (timed) {
            executor.invokeAny(List.of(task), TIMED_SECONDS, TimeUnit.SECONDS);
        } else {
            executor.invokeAny(List.of(task));
        }
    }

    /** A completion service's take waits for the next of its tasks to complete. */
    private static void completionService(ExecutorService executor) throws Exception {
        if (!free) {
            CompletionService<Void> first = completions(executor);
            first.submit(callable(true, null));
            first.take();
        }
        CompletionService<Void> service = completions(executor);
        service.submit(callable(false, variant.equals("done") ? null : Thread.currentThread()));
        if (variant.equals("done")) {
            executor.submit(() -> { }).get(); // the one worker is past the task and its queueing: the future is in
        }
        holding(() -> {
            if (timed) {
                service.poll(TIMED_SECONDS, TimeUnit.SECONDS);
            } else {
                service.take();
            }
        });
        executor.shutdown();
    }

    /** One creation site: every service is one event class. */
    private static CompletionService<Void> completions(ExecutorService executor) {
        return new ExecutorCompletionService<>(executor);
    }

    private static Callable<Void> callable(boolean takeLock, Thread waiter) {
        return () -> {
            work(takeLock, waiter);
            return null;
        };
    }

    /** The waiter is a virtual thread (JDK 21+) holding the lock while it waits for a task. */
    private static void waiterVirtual() throws Exception {
        ExecutorService executor = daemonExecutor(1);
        if (!free) {
            submit(executor, true, null).get();
        }
        Throwable[] failure = new Throwable[1];
        Thread waiter = virtualThread(() -> {
            try {
                Future<?> f = submit(executor, false, Thread.currentThread());
                holding(() -> f.get());
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        waiter.start();
        waiter.join();
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        executor.shutdown();
    }

    /**
     * A task that hands another task to its own pool and waits for it: the variant is the pool. {@code single}: one
     * thread, so the inner task cannot run before the outer one ends (the wait is timed and gives up); {@code fixed}:
     * two threads, the other runs it; {@code cached}: a new thread for every task.
     */
    private static void pool() throws Exception {
        ExecutorService executor = variant.equals("cached") ? Executors.newCachedThreadPool(WaitKinds::daemon)
                : daemonExecutor(variant.equals("single") ? 1 : 2);
        Thread[] outerWorker = new Thread[1];
        CountDownLatch outerStarted = new CountDownLatch(1);
        if (variant.equals("fixed-busy")) { // the other worker is busy until the outer task waits
            CountDownLatch blocking = new CountDownLatch(1);
            executor.submit(() -> {
                blocking.countDown();
                outerStarted.await();
                awaitWaiting(outerWorker[0]);
                return null;
            });
            blocking.await();
        }
        Future<String> outer = executor.submit(() -> {
            outerWorker[0] = Thread.currentThread();
            outerStarted.countDown();
            Future<?> inner = executor.submit(() -> work(false, null));
            try {
                if (variant.equals("single")) {
                    inner.get(200, TimeUnit.MILLISECONDS);
                } else {
                    inner.get();
                }
                return "inner task done";
            } catch (TimeoutException e) {
                return "gave up waiting for the inner task";
            }
        });
        System.out.println(outer.get());
        executor.shutdown();
    }

    // ------------------------------------------------------------------------------------------------ real hangs

    /** A thread waits for a task holding the lock the task needs; both hang. */
    private static void futureHang(long millis) throws Exception {
        ExecutorService executor = daemonExecutor(1);
        Thread waiter = daemon(() -> {
            try {
                holding(() -> submit(executor, true, null).get());
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.setName("waiter");
        waiter.start();
        stayStuck(millis, "waiter", "pool-worker");
    }

    /** A thread holding the lock joins a thread that needs the lock; both hang. */
    private static void joinHang(long millis) throws Exception {
        Thread waiter = daemon(() -> {
            try {
                holding(() -> startWorker(true, null).join());
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.setName("waiter");
        waiter.start();
        stayStuck(millis, "waiter", "worker");
    }

    /** A task of a single-thread pool waits, untimed, for a task it handed to that pool: it hangs. */
    private static void poolHang(long millis) throws Exception {
        ExecutorService executor = daemonExecutor(1);
        executor.submit(() -> executor.submit(() -> work(false, null)).get());
        stayStuck(millis, "pool-worker");
    }

    /** Waits until the named threads are all stuck (blocked, or waiting untimed), then leaves them so for millis. */
    private static void stayStuck(long millis, String... names) throws InterruptedException {
        long deadline = System.nanoTime() + REACH_MILLIS * 1_000_000L;
        while (!allStuck(names)) {
            if (System.nanoTime() > deadline) {
                System.out.println("not stuck");
                return;
            }
            Thread.sleep(10);
        }
        Thread.sleep(millis);
        System.out.println(allStuck(names) ? "still stuck" : "not stuck");
    }

    private static boolean allStuck(String... names) {
        int stuck = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (String name : names) {
                Thread.State s = t.getState();
                if (t.getName().equals(name) && (s == Thread.State.BLOCKED || s == Thread.State.WAITING)) {
                    stuck++;
                }
            }
        }
        return stuck == names.length;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Phase one: unless the variant is {@code free}, a thread produces an event of the class while it holds the lock,
     * before anyone waits.
     */
    private static void producePhaseOne(Runnable produce) throws Exception {
        if (!free) {
            Thread t = daemon(() -> {
                LOCK.lock();
                try {
                    produce.run();
                } finally {
                    LOCK.unlock();
                }
            });
            t.start();
            t.join();
        }
    }

    /**
     * Phase two: this thread waits holding the lock; a producer that does not lock produces the event once it waits
     * (or, for {@code done}, before).
     */
    private static void phaseTwo(Runnable produce, Action wait) throws Exception {
        if (variant.equals("done")) {
            produce.run();
        } else {
            Thread waiter = Thread.currentThread();
            Thread producer = virtual ? virtualThread(() -> {
                awaitWaiting(waiter);
                produce.run();
            }) : daemon(() -> {
                awaitWaiting(waiter);
                produce.run();
            });
            producer.start();
        }
        holding(wait);
    }

    /** What a task, a callable or a worker does: waits until {@code waiter} waits, then (maybe) takes the lock. */
    private static void work(boolean takeLock, Thread waiter) {
        if (waiter != null) {
            awaitWaiting(waiter);
        }
        if (takeLock) {
            LOCK.lock();
            LOCK.unlock();
        }
    }

    /** Waits with the lock held; inside {@code Lockdep.off()} for the {@code off} variant. */
    private static void holding(Action wait) throws Exception {
        LOCK.lock();
        try {
            if (variant.equals("off")) {
                try (Lockdep.Off off = Lockdep.off()) {
                    wait.run();
                }
            } else {
                wait.run();
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** Polls until {@code t} waits (parked, untimed or timed), so the event comes after the wait began. */
    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + REACH_MILLIS * 1_000_000L;
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(t.getName() + " never waited");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ExecutorService daemonExecutor(int threads) {
        return Executors.newFixedThreadPool(threads, task -> {
            Thread t = daemon(task);
            t.setName("pool-worker");
            return t;
        });
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, through reflection: compiled for Java 17. */
    private static ExecutorService virtualExecutor() throws Exception {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    /** {@code Thread.ofVirtual().unstarted(task)}, through reflection. */
    private static Thread virtualThread(Runnable task) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            return (Thread) ofVirtual.getMethod("unstarted", Runnable.class).invoke(builder, task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A wait, which may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private WaitKinds() {
    }
}
