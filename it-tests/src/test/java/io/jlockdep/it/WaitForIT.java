package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jlockdep.it.apps.WaitKinds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Waits that are not locks, in real JVMs under the agent: each kind of wait, in a run that never hangs, is reported
 * when a producer of its event needed the lock the waiter holds, and not when the producer never needed it, when the
 * event was there before the wait began, or inside {@code Lockdep.off()}. See {@link WaitKinds}.
 */
class WaitForIT {
    static final String WAIT_FOR = Reports.WAIT_FOR;

    private static Jvm.Result run(String kind, String variant) throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(WaitKinds.class, kind, variant).run();
        assertFalse(r.timedOut, r::toString);
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.endsWith("done\n"), r::toString);
        Reports.assertOnlyTheSummaryLine(r);
        return r;
    }

    /** Reported once, from the waiter, with the lock it holds and where the producer needed it. */
    private static Jvm.Result reported(String kind, String variant, String event, String verb) throws Exception {
        Jvm.Result r = run(kind, variant);
        assertEquals(1, r.count(WAIT_FOR), r::toString);
        Reports.assertInOrder(r, "\n" + WAIT_FOR + "\njlockdep ", " is about to " + verb + ":\n", event,
                "while holding lock:\n", "(WaitKinds.LOCK){ReentrantLock}, at WaitKinds.holding(WaitKinds.java:",
                "but producing that event needs a lock of that class:\n\n", "-> (WaitKinds.LOCK){ReentrantLock} ",
                "io.jlockdep.it.apps.WaitKinds.", "other info that might help us debug this:\n",
                " The waiter sleeps holding WaitKinds.LOCK; the producer needs WaitKinds.LOCK before the event can"
                        + " happen.\n",
                " Possible unsafe locking scenario:\n", "  lock(WaitKinds.LOCK);\n  " + verb + "(",
                "                               lock(WaitKinds.LOCK);\n", " *** DEADLOCK ***\n",
                "1 lock held by ", "stack backtrace:\n");
        assertFalse(r.stderr.contains("io.jlockdep.runtime."), () -> "agent frames must not show:\n" + r);
        return r;
    }

    private static void notReported(String kind, String variant) throws Exception {
        Jvm.Result r = run(kind, variant);
        assertEquals(0, r.count(WAIT_FOR), r::toString);
    }

    // ------------------------------------------------------------------------------------------------ each kind

    @Test
    void futureOfAnExecutorTask() throws Exception {
        Jvm.Result r = reported("future", "needs", "(task WaitKinds lambda at WaitKinds.submit(WaitKinds.java:", "get");
        Reports.assertInOrder(r, "){Future}, at WaitKinds.lambda$future$", "-> (WaitKinds.LOCK){ReentrantLock} taken by task"
                + " WaitKinds lambda at WaitKinds.submit(WaitKinds.java:", " before it completes:\n",
                "java.util.concurrent.locks.ReentrantLock.lock(", "io.jlockdep.it.apps.WaitKinds.work(WaitKinds.java:",
                "java.util.concurrent.FutureTask.run(");
    }

    @Test
    void completableFutureOfAnAsyncTask() throws Exception {
        reported("completable-async", "needs", "(task WaitKinds lambda at WaitKinds.runAsync(WaitKinds.java:", "get");
    }

    @Test
    void completableFutureTheProgramCompletes() throws Exception {
        Jvm.Result r = reported("completable", "needs", "(Reply.answer){CompletableFuture}", "get");
        Reports.assertInOrder(r, "-> (WaitKinds.LOCK){ReentrantLock} held at complete(Reply.answer):\n");
    }

    @Test
    void countDownLatch() throws Exception {
        reported("latch", "needs", "(Gate.opened){CountDownLatch}", "await");
    }

    @Test
    void semaphore() throws Exception {
        reported("semaphore", "needs", "(Slots.permits){Semaphore}", "acquire");
    }

    @Test
    void blockingQueueTake() throws Exception {
        reported("queue-take", "needs", "(Mailbox.letters){BlockingQueue element}", "take");
    }

    @Test
    void blockingQueuePut() throws Exception {
        Jvm.Result r = reported("queue-put", "needs", "(Shelf.items){BlockingQueue space}", "put");
        Reports.assertInOrder(r, "-> (WaitKinds.LOCK){ReentrantLock} held at take(Shelf.items):\n",
                "java.util.concurrent.ArrayBlockingQueue.poll(");
    }

    @Test
    void threadJoin() throws Exception {
        Jvm.Result r = reported("join", "needs", "(thread WaitKinds lambda at WaitKinds.startWorker(WaitKinds.java:",
                "join");
        Reports.assertInOrder(r, "){Thread}", " before it ends:\n");
    }

    @Test
    void cyclicBarrier() throws Exception {
        Jvm.Result r = reported("barrier", "needs", "(Meeting.barrier){CyclicBarrier}", "await");
        Reports.assertInOrder(r, "                               await(Meeting.barrier);\n");
    }

    @Test
    void phaser() throws Exception {
        Jvm.Result r = reported("phaser", "needs", "(Stage.phaser){Phaser}", "awaitAdvance");
        Reports.assertInOrder(r, "                               arrive(Stage.phaser);\n");
    }

    /** Each party arrives (an event the other waits for), then waits: arriveAndAwaitAdvance. */
    @Test
    void phaserMeeting() throws Exception {
        Jvm.Result r = reported("phaser-meeting", "needs", "(Crew.phaser){Phaser}", "awaitAdvance");
        Reports.assertInOrder(r, "-> (WaitKinds.LOCK){ReentrantLock} taken at WaitKinds.",
                "), before arrive(Crew.phaser):\n", "                               arrive(Crew.phaser);\n");
    }

    /** The JDK's invokeAll waits in Future.get: rewriting the JDK's methods, not call sites, sees it. */
    @Test
    void invokeAll() throws Exception {
        // The callable is written in callable(), first submitted from invokeAll(): a lambda is named where it is
        // first submitted from (the stack shows no more of it).
        Jvm.Result r = reported("invoke-all", "needs", "(task WaitKinds lambda at WaitKinds.invokeAll(WaitKinds.java:",
                "get");
        Reports.assertInOrder(r, "){Future}, at WaitKinds.lambda$invokeAll$", "stack backtrace:\n",
                "java.util.concurrent.AbstractExecutorService.invokeAll(");
    }

    /**
     * invokeAny waits in the queue of a completion service it creates, which gets each task's future after the task
     * ran: named after the program's call, and needing what the tasks took.
     */
    @Test
    void invokeAny() throws Exception {
        completions("invoke-any", "(completions of WaitKinds.anyOf(WaitKinds.java:",
                "java.util.concurrent.AbstractExecutorService.invokeAny(");
    }

    @Test
    void completionServiceTake() throws Exception {
        completions("completion-service", "(completions of WaitKinds.completions(WaitKinds.java:",
                "java.util.concurrent.ExecutorCompletionService.take(");
    }

    private static void completions(String kind, String event, String waitFrame) throws Exception {
        Jvm.Result r = run(kind, "needs");
        assertEquals(1, r.count(WAIT_FOR), r::toString);
        Reports.assertInOrder(r, "\n" + WAIT_FOR + "\njlockdep ", " is about to take:\n", event,
                "){BlockingQueue element}", "while holding lock:\n",
                "(WaitKinds.LOCK){ReentrantLock}, at WaitKinds.holding(WaitKinds.java:",
                "but producing that event needs a lock of that class:\n\n",
                "-> (WaitKinds.LOCK){ReentrantLock} taken at WaitKinds.work(WaitKinds.java:", "), before put" + event,
                "java.util.concurrent.ExecutorCompletionService$QueueingFuture.done(",
                "  lock(WaitKinds.LOCK);\n  take" + event, "                               put" + event,
                "stack backtrace:\n", waitFrame);
    }

    // ------------------------------------------------------------------------------------------------ negatives

    @ParameterizedTest
    @ValueSource(strings = {"future", "completable-async", "completable", "latch", "semaphore", "queue-take",
        "queue-put", "join", "invoke-all", "barrier", "phaser", "phaser-meeting", "invoke-any", "completion-service"})
    void notReportedWhenNoProducerNeedsTheLock(String kind) throws Exception {
        notReported(kind, "free");
    }

    /**
     * invokeAll and invokeAny are left out: they hand their tasks to the pool themselves, so a task can only be done
     * before their wait by chance (their wait is a Future.get and a completion queue's take, whose done case is here).
     */
    @ParameterizedTest
    @ValueSource(strings = {"future", "completable-async", "completable", "latch", "semaphore", "queue-take",
        "queue-put", "join", "barrier", "phaser", "phaser-meeting", "completion-service"})
    void notReportedWhenTheEventCameBeforeTheWait(String kind) throws Exception {
        notReported(kind, "done");
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "completable-async", "completable", "latch", "semaphore", "queue-take",
        "queue-put", "join", "invoke-all", "barrier", "phaser", "phaser-meeting", "invoke-any", "completion-service"})
    void notReportedInsideLockdepOff(String kind) throws Exception {
        notReported(kind, "off");
    }

    /**
     * A wait with a time limit (get(timeout), await(timeout), tryAcquire(timeout), poll(timeout), offer(timeout),
     * join(millis), invokeAll/invokeAny(timeout)) is reported as the untimed one is, and says when it gives up.
     */
    @ParameterizedTest
    @ValueSource(strings = {"future", "completable-async", "completable", "latch", "semaphore", "queue-take",
        "queue-put", "join", "invoke-all", "barrier", "phaser", "invoke-any", "completion-service"})
    void aTimedWaitIsReportedWithItsLimit(String kind) throws Exception {
        Jvm.Result r = run(kind, "timed");
        assertEquals(1, r.count(WAIT_FOR), r::toString);
        Reports.assertInOrder(r, WAIT_FOR, "while holding lock:\n", "(WaitKinds.LOCK){ReentrantLock}",
                "-> (WaitKinds.LOCK){ReentrantLock} ", " The wait gives up after ", " ms: the program stalls that long,"
                        + " then goes on without the ", " *** DEADLOCK ***\n");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" The wait gives up after (\\d+) ms")
                .matcher(r.stderr);
        assertTrue(m.find(), r::toString);
        long limit = Long.parseLong(m.group(1));
        // invokeAll and invokeAny wait for what is left of their limit
        assertTrue(limit > 0 && limit <= WaitKinds.TIMED_SECONDS * 1000, r::toString);
    }

    /** A finding's id is the same in every run: a baseline of one run suppresses it in the next. */
    @Test
    void aBaselineSuppressesAWaitForFindingInTheNextRun(@TempDir Path dir) throws Exception {
        Path baseline = dir.resolve("baseline.txt");
        Jvm.Result first = Jvm.withAgent("baseline=" + baseline).main(WaitKinds.class, "latch", "needs").run();
        assertEquals(0, first.exitCode, first::toString);
        assertEquals(1, first.count(WAIT_FOR), first::toString);
        String text = Files.readString(baseline, StandardCharsets.UTF_8);
        assertTrue(text.lines().anyMatch(l -> l.matches("wait-for-[0-9a-f]{16} baseline: .*")), text);

        Jvm.Result second = Jvm.withAgent("suppress=" + baseline + ",exit-code=3").main(WaitKinds.class, "latch",
                "needs").run();
        assertEquals(0, second.exitCode, second::toString);
        assertEquals(0, second.count(WAIT_FOR), second::toString);
        assertTrue(second.stderr.endsWith("jlockdep: no findings; 1 suppressed\n"), second::toString);
    }

    // ------------------------------------------------------------------------------------------------ pools

    @Test
    void aTaskOfASingleThreadPoolWaitingForATaskOfThatPool() throws Exception {
        Jvm.Result r = run("pool", "single");
        assertTrue(r.stdout.startsWith("gave up waiting for the inner task\n"), r::toString);
        assertEquals(1, r.count(WAIT_FOR), r::toString);
        Reports.assertInOrder(r, WAIT_FOR, " is about to get:\n",
                "(task WaitKinds lambda at WaitKinds.lambda$pool$", "){Future}",
                "while running in a worker of:\n", "(pool created at WaitKinds.daemonExecutor(WaitKinds.java:",
                "){ThreadPoolExecutor of 1 thread}\n",
                "but that task, handed to the same pool, has not started, and every worker is busy.\n",
                " The pool runs one task at a time, and the waiting task holds its only worker:\n",
                " The wait gives up after 200 ms: the program stalls that long, then goes on without the task.\n",
                " *** DEADLOCK ***\n");
    }

    @Test
    void aTaskOfABoundedPoolWaitingForATaskOfThatPoolWhileEveryWorkerIsBusy() throws Exception {
        Jvm.Result r = run("pool", "fixed-busy");
        assertTrue(r.stdout.startsWith("inner task done\n"), r::toString);
        assertEquals(1, r.count(WAIT_FOR), r::toString);
        Reports.assertInOrder(r, WAIT_FOR, "){ThreadPoolExecutor of 2 threads}\n",
                "but that task, handed to the same pool, has not started, and every worker is busy.\n",
                " The pool runs at most 2 tasks at a time and all 2 workers are busy");
    }

    /** The pool has a free worker: the task waited for gets a worker of its own at once. */
    @Test
    void aTaskOfABoundedPoolWaitingForATaskOfThatPoolThatAFreeWorkerRuns() throws Exception {
        Jvm.Result r = run("pool", "fixed");
        assertTrue(r.stdout.startsWith("inner task done\n"), r::toString);
        assertEquals(0, r.count(WAIT_FOR), r::toString);
    }

    @Test
    void aPoolThatStartsAThreadForEveryTaskIsNotReported() throws Exception {
        Jvm.Result r = run("pool", "cached");
        assertTrue(r.stdout.startsWith("inner task done\n"), r::toString);
        assertEquals(0, r.count(WAIT_FOR), r::toString);
    }

    // ------------------------------------------------------------------------------------------------ virtual threads

    // These run on JDK 21 and later (the build's JDK 25); on JDK 17, which has no virtual threads, they are skipped.

    private static void assumeVirtualThreads() {
        assumeTrue(Runtime.version().feature() >= 21,
                "skipped: virtual threads need JDK 21+, this is JDK " + Runtime.version().feature());
    }

    /** The producers (the tasks, the counting thread, the joined thread) are virtual threads. */
    @ParameterizedTest
    @ValueSource(strings = {"future", "latch", "join"})
    void virtualThreads(String kind) throws Exception {
        assumeVirtualThreads();
        Jvm.Result r = run(kind, "virtual");
        assertEquals(1, r.count(WAIT_FOR), r::toString);
        Reports.assertInOrder(r, WAIT_FOR, "while holding lock:\n", "(WaitKinds.LOCK){ReentrantLock}",
                "-> (WaitKinds.LOCK){ReentrantLock} ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"future", "latch", "join"})
    void virtualThreadsThatDoNotNeedTheLockAreNotReported(String kind) throws Exception {
        assumeVirtualThreads();
        notReported(kind, "virtual-free");
    }

    /** A virtual thread holds the lock and waits for a task that needs it. */
    @Test
    void aVirtualThreadWaitingHoldingTheLock() throws Exception {
        assumeVirtualThreads();
        Jvm.Result r = run("waiter-virtual", "needs");
        assertEquals(1, r.count(WAIT_FOR), r::toString);
        Reports.assertInOrder(r, WAIT_FOR, " is about to get:\n", "stack backtrace:\nThread: ", " virtual\n");
    }

    @Test
    void aVirtualThreadWaitingHoldingALockTheTaskDoesNotNeed() throws Exception {
        assumeVirtualThreads();
        notReported("waiter-virtual", "free");
    }

    // ------------------------------------------------------------------------------------------------ the watchdog

    @Test
    void theWatchdogSeesATaskBlockedOnTheLockItsWaiterHolds() throws Exception {
        Jvm.Result r = Jvm.withAgent("watchdog=300").main(WaitKinds.class, "future-hang", "2000").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.startsWith("still stuck\n"), r::toString);
        Reports.assertInOrder(r, WAIT_FOR, WatchdogIT.DEADLOCK,
                "2 threads have been waiting for 300 ms or more, each for a lock that another of them holds or a task"
                        + " that another of them must run:\n", " *** DEADLOCK ***\n");
        String watchdog = r.stderr.substring(r.stderr.indexOf(WatchdogIT.DEADLOCK));
        Reports.assertInOrder(watchdog, "waiter/", " is waiting for:\n", "){Future}, at WaitKinds.lambda$futureHang$",
                "which is run by ");
        Reports.assertInOrder(watchdog, " is trying to acquire lock:\n",
                "(WaitKinds.LOCK){ReentrantLock}, at WaitKinds.work(", "held by waiter/");
        assertEquals(1, r.count(WatchdogIT.DEADLOCK), r::toString);
    }

    @Test
    void theWatchdogSeesAJoinedThreadBlockedOnTheLockItsJoinerHolds() throws Exception {
        Jvm.Result r = Jvm.withAgent("watchdog=300").main(WaitKinds.class, "join-hang", "2000").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.startsWith("still stuck\n"), r::toString);
        assertEquals(1, r.count(WAIT_FOR), r::toString); // from the joiner or the joined thread, whichever is second
        Reports.assertInOrder(r, WAIT_FOR, WatchdogIT.DEADLOCK, "2 threads have been waiting for 300 ms or more",
                " *** DEADLOCK ***\n");
        String watchdog = r.stderr.substring(r.stderr.indexOf(WatchdogIT.DEADLOCK));
        Reports.assertInOrder(watchdog, "waiter/", " is waiting for:\n",
                "(thread WaitKinds lambda at WaitKinds.startWorker(WaitKinds.java:",
                "){Thread}, at WaitKinds.lambda$joinHang$", "which is the end of worker/");
        Reports.assertInOrder(watchdog, "worker/", " is trying to acquire lock:\n",
                "(WaitKinds.LOCK){ReentrantLock}, at WaitKinds.work(", "held by waiter/");
        assertEquals(1, r.count(WatchdogIT.DEADLOCK), r::toString);
    }

    @Test
    void theWatchdogSeesATaskOfASingleThreadPoolWaitingForATaskQueuedBehindIt() throws Exception {
        Jvm.Result r = Jvm.withAgent("watchdog=300").main(WaitKinds.class, "pool-hang", "2000").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.startsWith("still stuck\n"), r::toString);
        Reports.assertInOrder(r, WAIT_FOR, "){ThreadPoolExecutor of 1 thread}\n", WatchdogIT.DEADLOCK,
                "1 thread has been waiting for 300 ms or more", " is waiting for:\n",
                "which can only be run by its pool's one worker, pool-worker/", " itself.\n", " *** DEADLOCK ***\n");
        assertEquals(1, r.count(WatchdogIT.DEADLOCK), r::toString);
    }
}
