package io.jlockdep.runtime;

import static io.jlockdep.runtime.EngineTest.assertSectionsInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.EventClasses;
import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.lockclass.SeenHolds;
import io.jlockdep.Lockdep;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.runtime.lockclass.Sites;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The wait-for check, driven through the hooks as the agent's rewritten JDK methods call them. */
class WaitForTest {
    private final List<Finding> findings = new ArrayList<>();

    @BeforeEach
    void start() {
        Engine.start(Config.defaults(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private String only() {
        assertEquals(1, findings.size(), () -> "expected one report, got " + findings);
        return findings.get(0).text();
    }

    /** A worker runs a task of {@code body}'s class that takes {@code lock} (at line 33). */
    private static void taskTakes(Runnable body, ReentrantLock lock) {
        Waits.inThread("pool-1-thread-1", () -> Waits.run(Waits.task(body), () -> {
            Locks.lock(lock, 33);
            Locks.unlock(lock);
        }));
    }

    /** This thread waits on {@code target} while holding {@code lock} (taken at line 50). */
    private static void waitHolding(ReentrantLock lock, Object target, int type) {
        Locks.lock(lock, 50);
        Waits.await(target, type);
        Locks.unlock(lock);
    }

    /** A worker runs {@code task}, which takes {@code lock} (at line 33): reported before that can block. */
    private void takesReportedBeforeItCanBlock(FutureTask<Void> task, ReentrantLock lock) {
        Waits.inThread("pool-1-thread-1", () -> Waits.run(task, () -> {
            Locks.lock(lock, 33);
            assertEquals(1, findings.size(), "reported before the acquisition blocks");
            Locks.unlock(lock);
        }));
    }

    /** What the refresh task of a cache runs: it takes the cache's lock. */
    private static final class Refresh implements Runnable {
        final ReentrantLock cacheLock;

        Refresh(ReentrantLock cacheLock) {
            this.cacheLock = cacheLock;
        }

        @Override
        public void run() {
        }
    }

    // ------------------------------------------------------------------------------------------------ tasks

    @Test
    void aTaskThatTookTheLockEarlierIsReportedWhenAThreadWaitsForAnotherOfItsClassHoldingTheLock() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        FutureTask<Void> first = Waits.task(body);
        Waits.inThread("pool-1-thread-1", () -> Waits.run(first, () -> {
            Locks.lock(cache, 33);
            Locks.unlock(cache);
        }));
        assertTrue(findings.isEmpty(), findings::toString);

        FutureTask<Void> second = Waits.task(body);
        waitHolding(cache, second, EventType.CODE_TASK);
        String r = only();
        assertSectionsInOrder(r, Reports.WAIT_FOR, "main/", " is about to get:",
                Finding.instanceId(second) + " (task Refresh){Future}, at ",
                "while holding lock:", "(Cache.lock){ReentrantLock}, at EngineTest.lock(EngineTest.java:50)",
                "but producing that event needs a lock of that class:",
                "-> (Cache.lock){ReentrantLock} taken by task Refresh before it completes:",
                "io.jlockdep.runtime.Locks.lock(",
                " The waiter sleeps holding Cache.lock; the producer needs Cache.lock before the event can happen.",
                "  lock(Cache.lock);\n  get(task Refresh);\n", "                               lock(Cache.lock);\n",
                "                               complete(task Refresh);\n", " *** DEADLOCK ***",
                "1 lock held by main/", "stack backtrace:");
        assertEquals(Finding.Kind.WAIT_FOR, findings.get(0).kind());
    }

    @Test
    void aTaskTakingTheLockAWaiterHoldsIsReportedBeforeItCanBlock() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        FutureTask<Void> task = Waits.task(body);
        Locks.lock(cache, 50);
        Waits.await(task, EventType.CODE_TASK); // would hang: the task below needs the lock
        Locks.unlock(cache);
        assertTrue(findings.isEmpty(), findings::toString);
        takesReportedBeforeItCanBlock(task, cache);
        assertSectionsInOrder(only(), Reports.WAIT_FOR, "pool-1-thread-1/", " is trying to acquire lock:",
                "(Cache.lock){ReentrantLock}, at EngineTest.lock(EngineTest.java:33)",
                "while running task Refresh, which must end before:", "(task Refresh){Future}",
                "but a thread waits for that event while holding a lock of that class:",
                "-> (Cache.lock){ReentrantLock} held while waiting for (task Refresh):",
                "io.jlockdep.runtime.Waits.await(", "stack backtrace:");
    }

    @Test
    void aTaskThatDoesNotNeedTheLockIsNotReported() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        ReentrantLock other = Locks.reentrant("t/Stats", "lock");
        Refresh body = new Refresh(cache);
        Waits.inThread("worker", () -> Waits.run(Waits.task(body), () -> {
            Locks.lock(other, 33);
            Locks.unlock(other);
        }));
        waitHolding(cache, Waits.task(body), EventType.CODE_TASK);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aWaitForATaskAlreadyDoneProvesNothing() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        taskTakes(body, cache);
        FutureTask<Void> done = Waits.task(body);
        done.run();
        waitHolding(cache, done, EventType.CODE_TASK);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void locksTakenAfterTheTasksResultIsSetAreNotNeededForIt() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        FutureTask<Void> task = Waits.task(body);
        Waits.inThread("worker", () -> {
            Hooks.taskBegin(task);
            Hooks.taskDone(task); // FutureTask.set: the result is in, waiters may go
            Locks.lock(cache, 33); // done() of a subclass, after completion
            Locks.unlock(cache);
            Hooks.taskEnd(task);
        });
        waitHolding(cache, Waits.task(body), EventType.CODE_TASK);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void theFirstAcquisitionInATaskIsSeenEvenWhenTheThreadTookTheSameLockJustBefore() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        FutureTask<Void> task = Waits.task(body);
        Waits.inThread("worker", () -> {
            for (int i = 0; i < 3; i++) { // the slot remembers the lock: later takes go the fast path
                Locks.lock(cache, 30);
                Locks.unlock(cache);
            }
            Waits.run(task, () -> {
                Locks.lock(cache, 33);
                Locks.unlock(cache);
            });
        });
        waitHolding(cache, Waits.task(body), EventType.CODE_TASK);
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void twoReadHoldsDoNotConflictButAWriteDoes() {
        ReentrantReadWriteLock rw = Locks.readWrite("t/Cache", "rw");
        Refresh body = new Refresh(null);
        Waits.inThread("reader", () -> Waits.run(Waits.task(body), () -> {
            Locks.read(rw);
            Locks.unlockRead(rw);
        }));
        Locks.read(rw);
        Waits.await(Waits.task(body), EventType.CODE_TASK);
        Locks.unlockRead(rw);
        assertTrue(findings.isEmpty(), findings::toString);
        Locks.write(rw);
        Waits.await(Waits.task(body), EventType.CODE_TASK);
        Locks.unlockWrite(rw);
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void eachPairOfEventClassAndLockClassIsReportedOnce() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        taskTakes(body, cache);
        for (int i = 0; i < 3; i++) {
            Locks.lock(cache, 50);
            Waits.await(Waits.task(body), EventType.CODE_TASK);
            Locks.unlock(cache);
        }
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aTimedWaitIsReportedAndSaysWhenItGivesUp() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        taskTakes(body, cache);
        Locks.lock(cache, 50);
        Waits.awaitFor(Waits.task(body), EventType.CODE_TASK, 5000);
        Locks.unlock(cache);
        assertSectionsInOrder(only(), Reports.WAIT_FOR,
                " The wait gives up after 5000 ms: the program stalls that long, then goes on without the event.");
    }

    @Test
    void aWaitThatDoesNotWaitAtAllIsNotRecorded() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(cache);
        taskTakes(body, cache);
        Locks.lock(cache, 50);
        Waits.awaitFor(Waits.task(body), EventType.CODE_TASK, 0); // get(0, unit): a look, not a wait
        Locks.unlock(cache);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void lockdepOffSilencesWaitsAndEvents() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CountDownLatch ready = Waits.latch("t/Service", "ready", 1);
        Waits.inThread("worker", () -> {
            try (Lockdep.Off off = Lockdep.off()) {
                Locks.lock(cache, 33);
                Waits.produce(ready, EventType.CODE_LATCH);
                Locks.unlock(cache);
            }
        });
        Locks.lock(cache, 50);
        try (Lockdep.Off off = Lockdep.off()) {
            Waits.await(ready, EventType.CODE_LATCH);
        }
        Locks.unlock(cache);
        assertTrue(findings.isEmpty(), findings::toString);
        Locks.lock(cache, 50);
        Waits.await(ready, EventType.CODE_LATCH); // now recorded, but the producer's need was not
        Locks.unlock(cache);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    // ------------------------------------------------------------------------------------------------ synchronizers

    @Test
    void aLatchCountedDownByCodeThatTookTheLockIsReported() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CountDownLatch ready = Waits.latch("t/Service", "ready", 1);
        waitHolding(cache, ready, EventType.CODE_LATCH);
        Waits.inThread("loader", () -> {
            Locks.lock(cache, 60);
            Locks.unlock(cache);
            Waits.produce(ready, EventType.CODE_LATCH);
        });
        assertSectionsInOrder(only(), Reports.WAIT_FOR, "loader/", " is about to countDown:",
                "(Service.ready){CountDownLatch}", "after taking lock:", "(Cache.lock){ReentrantLock}, at EngineTest.lock(EngineTest.java:60)",
                "-> (Cache.lock){ReentrantLock} held while waiting for (Service.ready):",
                "  await(Service.ready);\n", "                               countDown(Service.ready);\n");
    }

    @Test
    void partiesEachHoldingTheirOwnLockOfOneClassAtAMeetingAreNotReported() {
        ReentrantLock mine = Locks.reentrant("t/Account", "lock");
        ReentrantLock yours = Locks.reentrant("t/Account", "lock");
        CountDownLatch meeting = Waits.latch("t/Meeting", "arrivals", 2);
        Waits.inThread("party-1", () -> {
            Locks.lock(yours, 60);
            Waits.produce(meeting, EventType.CODE_LATCH); // arrives holding its own account
            Locks.unlock(yours);
        });
        Locks.lock(mine, 50);
        Waits.produce(meeting, EventType.CODE_LATCH);
        Waits.await(meeting, EventType.CODE_LATCH);
        Locks.unlock(mine);
        assertTrue(findings.isEmpty(), "another account of the class: " + findings);
        Waits.inThread("party-2", () -> {
            Locks.lock(mine, 61);
            Waits.produce(meeting, EventType.CODE_LATCH); // now the one the waiter held
            Locks.unlock(mine);
        });
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void strictNestingMatchesLockClassesNotInstances() {
        Engine.start(Config.builder().strictNesting(true).build(), findings::add);
        Engine.reset();
        ReentrantLock mine = Locks.reentrant("t/Account", "lock");
        ReentrantLock yours = Locks.reentrant("t/Account", "lock");
        CountDownLatch meeting = Waits.latch("t/Meeting", "arrivals", 2);
        Waits.inThread("party-1", () -> {
            Locks.lock(yours, 60);
            Waits.produce(meeting, EventType.CODE_LATCH);
            Locks.unlock(yours);
        });
        waitHolding(mine, meeting, EventType.CODE_LATCH);
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void aLatchAtZeroOrCountedDownWithoutTheLockIsNotReported() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CountDownLatch ready = Waits.latch("t/Service", "ready", 1);
        Waits.inThread("loader", () -> Waits.produce(ready, EventType.CODE_LATCH));
        waitHolding(cache, ready, EventType.CODE_LATCH);
        assertTrue(findings.isEmpty(), findings::toString);

        CountDownLatch open = Waits.latch("t/Service", "open", 0);
        Waits.inThread("loader", () -> {
            Locks.lock(cache, 60);
            Waits.produce(open, EventType.CODE_LATCH);
            Locks.unlock(cache);
        });
        waitHolding(cache, open, EventType.CODE_LATCH); // at zero: returns at once
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aLockTakenBeforeTheProducersLastWaitIsNotNeededForWhatItProducesAfter() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CountDownLatch ready = Waits.latch("t/Service", "ready", 1);
        BlockingQueue<String> jobs = Waits.queue("t/Service", "jobs", 4);
        Waits.inThread("loader", () -> {
            Locks.lock(cache, 60); // start-up work
            Locks.unlock(cache);
            Waits.await(jobs, EventType.CODE_QUEUE_ELEMENT); // then it serves requests
            Waits.produce(ready, EventType.CODE_LATCH);
        });
        waitHolding(cache, ready, EventType.CODE_LATCH);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aSemaphoreReleasedUnderTheLockIsReportedUnlessPermitsWereFree() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Semaphore slots = Waits.semaphore("t/Service", "slots", 1);
        Waits.inThread("worker", () -> {
            Locks.lock(cache, 60);
            Waits.produce(slots, EventType.CODE_SEMAPHORE);
            Locks.unlock(cache);
        });
        waitHolding(cache, slots, EventType.CODE_SEMAPHORE); // a permit is free: no wait
        assertTrue(findings.isEmpty(), findings::toString);
        slots.acquireUninterruptibly();
        waitHolding(cache, slots, EventType.CODE_SEMAPHORE);
        assertSectionsInOrder(only(), Reports.WAIT_FOR, " is about to acquire:", "(Service.slots){Semaphore}",
                "-> (Cache.lock){ReentrantLock} held at release(Service.slots):", "  acquire(Service.slots);\n",
                "                               release(Service.slots);\n");
    }

    @Test
    void aQueueIsTwoEventsAnElementToTakeAndRoomToPut() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        BlockingQueue<String> jobs = Waits.queue("t/Service", "jobs", 1);
        Waits.inThread("producer", () -> {
            Locks.lock(cache, 60);
            Waits.produce(jobs, EventType.CODE_QUEUE_ELEMENT);
            Locks.unlock(cache);
        });
        Locks.lock(cache, 50);
        Waits.await(jobs, EventType.CODE_QUEUE_SPACE); // room in the queue: put does not wait
        Waits.await(jobs, EventType.CODE_QUEUE_ELEMENT); // empty: take waits
        Locks.unlock(cache);
        assertSectionsInOrder(only(), "(Service.jobs){BlockingQueue element}", "  take(Service.jobs);\n",
                "                               put(Service.jobs);\n");
        findings.clear();
        jobs.add("full");
        Waits.inThread("consumer", () -> {
            Locks.lock(cache, 61);
            Locks.unlock(cache);
            Waits.produce(jobs, EventType.CODE_QUEUE_SPACE);
        });
        waitHolding(cache, jobs, EventType.CODE_QUEUE_SPACE); // full: put waits
        assertSectionsInOrder(only(), "(Service.jobs){BlockingQueue space}", "  put(Service.jobs);\n",
                "                               take(Service.jobs);\n");
    }

    @Test
    void aCompletableFutureCompletedUnderTheLockIsReported() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CompletableFuture<String> answer = Waits.future("t/Client", "answer");
        Waits.inThread("io", () -> {
            Locks.lock(cache, 60);
            Waits.produce(answer, EventType.CODE_FUTURE);
            Locks.unlock(cache);
        });
        waitHolding(cache, answer, EventType.CODE_FUTURE);
        assertSectionsInOrder(only(), "(Client.answer){CompletableFuture}",
                "-> (Cache.lock){ReentrantLock} held at complete(Client.answer):");
    }

    /**
     * As {@code ExecutorCompletionService} runs a task: a queueing future runs the task, then puts the task's future
     * into the service's queue, where {@code take} (and {@code invokeAny}) wait for it.
     */
    private static void completionServiceRuns(BlockingQueue<Object> completions, Runnable body, Runnable during) {
        FutureTask<Void> task = Waits.task(body);
        FutureTask<Void> queueing = Waits.task(task);
        Waits.inThread("pool-1-thread-1", () -> Waits.run(queueing, () -> {
            Waits.run(task, during);
            Waits.produce(completions, EventType.CODE_QUEUE_ELEMENT);
        }));
    }

    @Test
    void aCompletionServiceGetsATasksFutureAfterTheTaskRanSoItsQueueNeedsTheTasksLocks() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        BlockingQueue<Object> completions = new LinkedBlockingQueue<>();
        Hooks.completionServiceCreated(completions);
        completionServiceRuns(completions, new Refresh(cache), () -> {
            Locks.lock(cache, 33);
            Locks.unlock(cache);
        });
        assertTrue(findings.isEmpty(), findings::toString);
        waitHolding(cache, completions, EventType.CODE_QUEUE_ELEMENT);
        String service = "completions of WaitForTest.aCompletionServiceGetsATasksFutureAfterTheTaskRanSoItsQueue"
                + "NeedsTheTasksLocks(WaitForTest.java:";
        assertSectionsInOrder(only(), Reports.WAIT_FOR, " is about to take:", "(" + service,
                "){BlockingQueue element}", "while holding lock:", "(Cache.lock){ReentrantLock}",
                "-> (Cache.lock){ReentrantLock} taken at EngineTest.lock(EngineTest.java:33), before put(" + service,
                "  take(" + service, "                               lock(Cache.lock);\n",
                "                               put(" + service);
    }

    @Test
    void aCompletionServiceWhoseTasksDoNotNeedTheLockIsNotReported() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        ReentrantLock stats = Locks.reentrant("t/Stats", "lock");
        BlockingQueue<Object> completions = new LinkedBlockingQueue<>();
        Hooks.completionServiceCreated(completions);
        completionServiceRuns(completions, new Refresh(cache), () -> {
            Locks.lock(stats, 33);
            Locks.unlock(stats);
        });
        waitHolding(cache, completions, EventType.CODE_QUEUE_ELEMENT);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aTasksLocksAreForgottenWhenItsThreadGoesBackToItsOwnCode() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CountDownLatch ready = Waits.latch("t/Service", "ready", 1);
        Waits.inThread("caller-runs", () -> {
            Waits.run(Waits.task(new Refresh(cache)), () -> {
                Locks.lock(cache, 33);
                Locks.unlock(cache);
            });
            Waits.produce(ready, EventType.CODE_LATCH); // unrelated work after the task
        });
        waitHolding(cache, ready, EventType.CODE_LATCH);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void synchronizersTheJdkAllocatesForItselfAreNotFollowed() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CountDownLatch internal = new CountDownLatch(1);
        Hooks.allocated(internal, Sites.allocation("java/util/concurrent/CountDownLatch",
                Sites.code("java/util/concurrent/Executors", "x", "Executors.java", 1), null, null));
        Waits.inThread("worker", () -> {
            Locks.lock(cache, 60);
            Waits.produce(internal, EventType.CODE_LATCH);
            Locks.unlock(cache);
        });
        waitHolding(cache, internal, EventType.CODE_LATCH);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aBarrierPartyThatTookTheLockBeforeArrivingConflictsWithOneWaitingHoldingIt() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        ReentrantLock own = Locks.reentrant("t/Worker", "lock");
        CyclicBarrier meeting = Waits.allocated(new CyclicBarrier(2), "java/util/concurrent/CyclicBarrier",
                "t/Meeting", "barrier");
        Waits.inThread("party-1", () -> {
            Locks.lock(own, 60); // its own lock, held at the meeting: fine
            Locks.lock(cache, 61);
            Locks.unlock(cache);
            Waits.produce(meeting, EventType.CODE_BARRIER); // await: arrives...
            Waits.await(meeting, EventType.CODE_BARRIER); // ...then waits for the others
            Locks.unlock(own);
        });
        assertTrue(findings.isEmpty(), findings::toString);
        Locks.lock(cache, 50);
        Waits.produce(meeting, EventType.CODE_BARRIER);
        Waits.await(meeting, EventType.CODE_BARRIER);
        Locks.unlock(cache);
        assertSectionsInOrder(only(), " is about to await:", "(Meeting.barrier){CyclicBarrier}",
                "-> (Cache.lock){ReentrantLock} taken at EngineTest.lock(EngineTest.java:61), before await(Meeting.barrier):",
                "  await(Meeting.barrier);\n", "                               await(Meeting.barrier);\n");
    }

    @Test
    void aPhaserArrivalAfterTakingTheLockConflictsWithAnAwaitAdvanceHoldingIt() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Phaser stage = Waits.allocated(new Phaser(2), "java/util/concurrent/Phaser", "t/Stage", "phaser");
        Waits.inThread("loader", () -> {
            Locks.lock(cache, 60);
            Locks.unlock(cache);
            Waits.produce(stage, EventType.CODE_PHASER);
        });
        Locks.lock(cache, 50);
        Hooks.beforeEventWait(stage, EventType.CODE_PHASER, stage.getPhase(), -1, null); // awaitAdvance(phase)
        Hooks.afterEventWait();
        Locks.unlock(cache);
        assertSectionsInOrder(only(), " is about to awaitAdvance:", "(Stage.phaser){Phaser}",
                "  awaitAdvance(Stage.phaser);\n", "                               arrive(Stage.phaser);\n");
        findings.clear();
        Locks.lock(cache, 50);
        Hooks.beforeEventWait(stage, EventType.CODE_PHASER, stage.getPhase() + 1, -1, null); // not the phase now: returns at once
        Hooks.afterEventWait();
        Locks.unlock(cache);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    // ------------------------------------------------------------------------------------------------ every kind

    /**
     * A kind of synchronizer the program allocates: every object {@link #create} makes is of one event class (one
     * allocation site); {@link #produce} makes its event as the JDK method does (its hook, then the real change), and
     * {@link #awaitHolding} waits for it holding a lock, as the wait method's hooks see it.
     */
    private enum Sync {
        LATCH(EventType.CODE_LATCH, "countDown") {
            Object create() {
                return Waits.latch("t/Kinds", "latch", 1);
            }

            void change(Object o) {
                ((CountDownLatch) o).countDown();
            }
        },
        SEMAPHORE(EventType.CODE_SEMAPHORE, "release") {
            Object create() {
                return Waits.semaphore("t/Kinds", "semaphore", 0);
            }

            void change(Object o) {
                ((Semaphore) o).release();
            }
        },
        QUEUE_ELEMENT(EventType.CODE_QUEUE_ELEMENT, "put") {
            Object create() {
                return Waits.queue("t/Kinds", "elements", 1);
            }

            @SuppressWarnings("unchecked")
            void change(Object o) {
                ((BlockingQueue<String>) o).add("element");
            }
        },
        QUEUE_SPACE(EventType.CODE_QUEUE_SPACE, "take") {
            Object create() {
                BlockingQueue<String> full = Waits.queue("t/Kinds", "room", 1);
                full.add("full");
                return full;
            }

            void change(Object o) {
                ((BlockingQueue<?>) o).poll();
            }
        },
        COMPLETABLE(EventType.CODE_FUTURE, "complete") {
            Object create() {
                return Waits.future("t/Kinds", "future");
            }

            @SuppressWarnings("unchecked")
            void change(Object o) {
                ((CompletableFuture<String>) o).complete("done");
            }
        },
        PHASER(EventType.CODE_PHASER, "arrive") {
            Object create() {
                return Waits.allocated(new Phaser(1), "java/util/concurrent/Phaser", "t/Kinds", "phaser");
            }

            void change(Object o) {
                ((Phaser) o).arrive();
            }

            int permits() {
                return 0; // awaitAdvance(0): the phase a new phaser is in
            }
        };

        final int type;
        final String verb;

        Sync(int type, String verb) {
            this.type = type;
            this.verb = verb;
        }

        abstract Object create();

        /** What the producing method changes in the object, after its hook. */
        abstract void change(Object o);

        int permits() {
            return 1;
        }

        void produce(Object o) {
            Waits.produce(o, type);
            change(o);
        }

        void awaitHolding(ReentrantLock lock, Object o) {
            Locks.lock(lock, 50);
            Hooks.beforeEventWait(o, type, permits(), -1, null);
            Hooks.afterEventWait();
            Locks.unlock(lock);
        }
    }

    /** A thread produces an event of {@code sync}'s class on a new object, holding {@code lock} when it does. */
    private static void producedHolding(Sync sync, ReentrantLock lock) {
        Waits.inThread("producer", () -> {
            Locks.lock(lock, 60);
            sync.produce(sync.create());
            Locks.unlock(lock);
        });
    }

    @ParameterizedTest
    @EnumSource(Sync.class)
    void eachKindIsReportedWhenAProducerOfItsClassNeededTheLockTheWaiterHolds(Sync sync) {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        producedHolding(sync, cache);
        assertTrue(findings.isEmpty(), findings::toString);
        sync.awaitHolding(cache, sync.create());
        assertSectionsInOrder(only(), Reports.WAIT_FOR, "while holding lock:", "(Cache.lock){ReentrantLock}",
                "-> (Cache.lock){ReentrantLock} held at " + sync.verb + "(Kinds.",
                "                               " + sync.verb + "(Kinds.");
        assertEquals(Finding.Kind.WAIT_FOR, findings.get(0).kind());
    }

    @ParameterizedTest
    @EnumSource(Sync.class)
    void eachKindIsNotReportedWhenNoProducerNeedsTheLock(Sync sync) {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        ReentrantLock stats = Locks.reentrant("t/Stats", "lock");
        producedHolding(sync, stats);
        Object waitedOn = sync.create();
        sync.awaitHolding(cache, waitedOn);
        Waits.inThread("producer", () -> sync.produce(waitedOn));
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @ParameterizedTest
    @EnumSource(Sync.class)
    void eachKindIsNotReportedWhenTheEventWasThereBeforeTheWait(Sync sync) {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        producedHolding(sync, cache);
        Object ready = sync.create();
        Waits.inThread("producer", () -> sync.produce(ready));
        sync.awaitHolding(cache, ready); // returns at once
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @ParameterizedTest
    @EnumSource(Sync.class)
    void eachKindIsSilentInsideLockdepOff(Sync sync) {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        producedHolding(sync, cache);
        try (Lockdep.Off off = Lockdep.off()) {
            sync.awaitHolding(cache, sync.create());
        }
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aWaitForFindingKeepsItsIdAcrossRunsAndTheSuppressionFileSilencesIt() throws Exception {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        producedHolding(Sync.LATCH, cache);
        Sync.LATCH.awaitHolding(cache, Sync.LATCH.create());
        only();
        String id = findings.get(0).id();
        assertTrue(id.matches("wait-for-[0-9a-f]{16}"), id);

        Engine.start(Config.builder().suppressions(Suppressions.parse(id + " the latch is opened elsewhere\n",
                "s.txt")).build(), findings::add);
        Engine.reset();
        findings.clear();
        ReentrantLock again = Locks.reentrant("t/Cache", "lock");
        producedHolding(Sync.LATCH, again);
        Sync.LATCH.awaitHolding(again, Sync.LATCH.create());
        assertTrue(findings.isEmpty(), () -> "suppressed: " + findings);
        assertEquals(1, Engine.suppressedCount());
        assertEquals(0, Engine.findingCount());
        assertEquals(id, Engine.allFindings().get(0).id(), "the same id in a new run");
    }

    private static CyclicBarrier barrier(String field) {
        return Waits.allocated(new CyclicBarrier(2), "java/util/concurrent/CyclicBarrier", "t/Meeting", field);
    }

    @Test
    void aBarrierWhoseOtherPartiesNeedNoLockTheWaiterHoldsIsNotReported() {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        ReentrantLock stats = Locks.reentrant("t/Stats", "lock");
        Waits.inThread("party-1", () -> {
            Locks.lock(stats, 61); // not the lock the waiter holds
            Locks.unlock(stats);
            Waits.produce(barrier("barrier"), EventType.CODE_BARRIER);
        });
        CyclicBarrier meeting = barrier("barrier");
        Locks.lock(cache, 50);
        Waits.produce(meeting, EventType.CODE_BARRIER); // arrives holding it: its own, no conflict with itself
        Waits.await(meeting, EventType.CODE_BARRIER);
        Locks.unlock(cache);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aBarrierArrivalThatTripsItDoesNotWait() throws Exception {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Waits.inThread("party-1", () -> {
            Locks.lock(cache, 62);
            Locks.unlock(cache);
            Waits.produce(barrier("tripped"), EventType.CODE_BARRIER);
        });
        CyclicBarrier tripped = barrier("tripped");
        Thread waiting = new Thread(() -> {
            try {
                tripped.await(); // really waits (no agent here: no hooks)
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "party-2");
        waiting.start();
        while (tripped.getNumberWaiting() < 1) {
            Thread.sleep(1);
        }
        Locks.lock(cache, 50);
        Waits.produce(tripped, EventType.CODE_BARRIER);
        Waits.await(tripped, EventType.CODE_BARRIER); // the other party waits: this arrival trips the barrier
        tripped.await();
        Locks.unlock(cache);
        waiting.join();
        assertTrue(findings.isEmpty(), findings::toString);
    }

    /** As {@code CompletableFuture.runAsync}: an async task that runs {@code body} and completes a new future. */
    private static CompletableFuture<Void> async(Runnable body, Object task) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Hooks.taskCreated(task, f, body);
        return f;
    }

    @Test
    void anAsyncCompletableFutureTaskThatTookTheLockIsReportedUnlessItTookItAfterItsResult() {
        ReentrantLock late = Locks.reentrant("t/Audit", "lock");
        Refresh body = new Refresh(null);
        Object firstTask = new Object();
        CompletableFuture<Void> first = async(body, firstTask);
        Waits.inThread("async-1", () -> {
            Hooks.taskBegin(firstTask);
            Hooks.taskDone(first); // the result is in before it locks: not needed for it
            Locks.lock(late, 33);
            Locks.unlock(late);
            Hooks.taskEnd(firstTask);
        });
        waitHolding(late, async(body, new Object()), EventType.CODE_FUTURE);
        assertTrue(findings.isEmpty(), findings::toString);

        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        Object task = new Object();
        CompletableFuture<Void> second = async(body, task);
        Waits.inThread("async-2", () -> {
            Hooks.taskBegin(task);
            Locks.lock(cache, 33);
            Locks.unlock(cache);
            Hooks.taskDone(second);
            Hooks.taskEnd(task);
        });
        waitHolding(cache, async(body, new Object()), EventType.CODE_FUTURE);
        assertSectionsInOrder(only(), " is about to get:", "(task Refresh){Future}",
                "-> (Cache.lock){ReentrantLock} taken by task Refresh before it completes:");
    }

    // ------------------------------------------------------------------------------------------------ buffered needs

    /**
     * A worker runs a task of {@code body}'s class that first takes {@code first} (so the task class has a record of
     * the lock class, and further instances are buffered), then does {@code during}, and keeps running until
     * {@code release} opens; returns once {@code during} is done. The latches are not followed: only the task is.
     */
    private static Thread runningTask(Runnable body, ReentrantLock first, Runnable during, CountDownLatch release,
                                      Throwable[] failure) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                Waits.run(Waits.task(body), () -> {
                    Locks.lock(first, 31);
                    Locks.unlock(first);
                    during.run();
                    done.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
            } catch (Throwable t) {
                failure[0] = t;
                done.countDown();
            }
        }, "pool-1-thread-1");
        worker.start();
        done.await();
        return worker;
    }

    @Test
    void aWaiterSeesALockARunningTaskTookEvenBeforeTheTaskPublishesItsNeeds() throws Exception {
        ReentrantLock first = Locks.reentrant("t/Cache", "lock");
        ReentrantLock entry = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(first);
        CountDownLatch release = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        Thread worker = runningTask(body, first, () -> {
            Locks.lock(entry, 33); // buffered: the task's class has a record of Cache.lock already
            Locks.unlock(entry);
        }, release, failure);
        try {
            assertTrue(findings.isEmpty(), findings::toString);
            waitHolding(entry, Waits.task(body), EventType.CODE_TASK); // the task may take it again: would hang
            assertEquals(1, findings.size(), "reported by the waiter, while the task still runs: " + findings);
        } finally {
            release.countDown();
            worker.join();
        }
        assertEquals(null, failure[0]);
        assertSectionsInOrder(only(), Reports.WAIT_FOR, "main/", " is about to get:", "(task Refresh){Future}",
                "while holding lock:", "(Cache.lock){ReentrantLock}, at EngineTest.lock(EngineTest.java:50)",
                "-> (Cache.lock){ReentrantLock} taken by task Refresh before it completes:");
    }

    @Test
    void aBufferedAcquisitionOfALockAWaiterHoldsIsReportedBeforeItCanBlock() throws Exception {
        ReentrantLock first = Locks.reentrant("t/Cache", "lock");
        ReentrantLock entry = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(first);
        taskTakes(body, first); // a record of Cache.lock, for first
        Locks.lock(entry, 50);
        Waits.await(Waits.task(body), EventType.CODE_TASK); // would hang: the task below needs the lock
        Locks.unlock(entry);
        assertTrue(findings.isEmpty(), findings::toString);
        takesReportedBeforeItCanBlock(Waits.task(body), entry);
        assertSectionsInOrder(only(), Reports.WAIT_FOR, "pool-1-thread-1/", " is trying to acquire lock:",
                "(Cache.lock){ReentrantLock}", "-> (Cache.lock){ReentrantLock} held while waiting for (task Refresh):",
                "1 lock held by pool-1-thread-1/", "(Cache.lock){ReentrantLock}, at EngineTest.lock(EngineTest.java:33)");
    }

    @Test
    void aTaskWaitingForAnotherOfItsClassHoldingALockItTookIsReportedThoughItsNeedIsBuffered() {
        ReentrantLock first = Locks.reentrant("t/Cache", "lock");
        ReentrantLock entry = Locks.reentrant("t/Cache", "lock");
        Refresh body = new Refresh(first);
        Waits.inThread("pool-1-thread-1", () -> Waits.run(Waits.task(body), () -> {
            Locks.lock(first, 31);
            Locks.unlock(first);
            // another task of its class needs what this one took: it holds it while waiting for one
            waitHolding(entry, Waits.task(body), EventType.CODE_TASK);
        }));
        assertSectionsInOrder(only(), Reports.WAIT_FOR, "pool-1-thread-1/", " is about to get:",
                "(task Refresh){Future}", "while holding lock:", "(Cache.lock){ReentrantLock}");
    }

    @Test
    void aTasksBufferedLocksAreNotNeededForAnEventItDoesNotWorkTowards() throws Exception {
        ReentrantLock first = Locks.reentrant("t/Cache", "lock");
        ReentrantLock entry = Locks.reentrant("t/Cache", "lock");
        CountDownLatch ready = Waits.latch("t/Service", "ready", 1);
        Waits.inThread("loader", () -> { // the latch's class gets a record of Cache.lock, for first
            Locks.lock(first, 60);
            Waits.produce(ready, EventType.CODE_LATCH);
            Locks.unlock(first);
        });
        Refresh body = new Refresh(first);
        CountDownLatch release = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        Thread worker = runningTask(body, first, () -> {
            Locks.lock(entry, 33); // buffered for the task, which does not count the latch down
            Locks.unlock(entry);
        }, release, failure);
        try {
            waitHolding(entry, ready, EventType.CODE_LATCH);
        } finally {
            release.countDown();
            worker.join();
        }
        assertEquals(null, failure[0]);
        assertTrue(findings.isEmpty(), findings::toString);
    }

    @Test
    void aFullBufferIsPublishedEarlyAndTheRestWhenTheTaskEndsEvenByThrowing() {
        ReentrantLock first = Locks.reentrant("t/Cache", "lock");
        int more = WaitForState.MAX_PENDING + 10;
        ReentrantLock[] entries = new ReentrantLock[more];
        for (int i = 0; i < more; i++) {
            entries[i] = Locks.reentrant("t/Cache", "lock");
        }
        Refresh body = new Refresh(first);
        FutureTask<Void> task = Waits.task(body);
        EventClass refresh = EventClasses.of(task, EventType.TASK);
        Waits.inThread("pool-1-thread-1", () -> {
            try {
                Waits.run(task, () -> {
                    Locks.lock(first, 31);
                    Locks.unlock(first);
                    for (ReentrantLock l : entries) {
                        Locks.lock(l, 33);
                        Locks.unlock(l);
                    }
                    WaitForState ws = ThreadState.current().waits;
                    assertEquals(10, ws.pending, "the buffer was published when full and holds the rest");
                    EventClass.Need need = refresh.needs[0];
                    assertTrue(need.has(Locks.sync(entries[WaitForState.MAX_PENDING - 1]), 0L), "published early");
                    assertFalse(need.has(Locks.sync(entries[more - 1]), 0L), "still buffered");
                    throw new IllegalStateException("the task fails");
                });
            } catch (IllegalStateException expected) {
                assertEquals(0, ThreadState.current().waits.pending, "published when the task ended");
            }
        });
        assertTrue(refresh.needs[0].has(Locks.sync(entries[more - 1]), 0L), "published when the task ended");
        waitHolding(entries[more - 1], Waits.task(body), EventType.CODE_TASK);
        assertSectionsInOrder(only(), Reports.WAIT_FOR, "main/", " is about to get:", "(task Refresh){Future}");
    }

    @Test
    void aTaskRunInsideAnotherOfItsClassPublishesEachInstanceOnce() {
        // A caller-runs pool runs a task inside another of its class: both contexts work towards one event class,
        // whose record keeps only the latest few instances; each must be there once, or repeats push others out.
        ReentrantLock first = Locks.reentrant("t/Cache", "lock");
        ReentrantLock[] entries = new ReentrantLock[SeenHolds.MAX - 2];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = Locks.reentrant("t/Cache", "lock");
        }
        Refresh body = new Refresh(first);
        FutureTask<Void> outer = Waits.task(body);
        FutureTask<Void> inner = Waits.task(body);
        EventClass refresh = EventClasses.of(outer, EventType.TASK);
        assertSame(refresh, EventClasses.of(inner, EventType.TASK), "one event class for both");
        Waits.inThread("pool-1-thread-1", () -> Waits.run(outer, () -> {
            Locks.lock(first, 31);
            Locks.unlock(first);
            Waits.run(inner, () -> {
                for (ReentrantLock l : entries) {
                    Locks.lock(l, 33);
                    Locks.unlock(l);
                }
            });
        }));
        EventClass.Need need = refresh.needs[0];
        assertTrue(need.has(Locks.sync(first), 0L), "the first instance is still kept");
        for (ReentrantLock l : entries) {
            assertTrue(need.has(Locks.sync(l), 0L), "each buffered instance is kept");
        }
    }

    // ------------------------------------------------------------------------------------------------ threads

    @Test
    void joiningAThreadThatTakesTheLockIsReportedUnlessItHasEnded() throws InterruptedException {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        CountDownLatch[] gate = {new CountDownLatch(0)};
        Runnable body = () -> {
            Locks.lock(cache, 70);
            Locks.unlock(cache);
            try {
                gate[0].await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread first = new Thread(body, "loader-1");
        Hooks.taskCreated(first, first, body);
        first.start();
        first.join();
        waitHolding(cache, first, EventType.CODE_THREAD_END); // ended: nothing to wait for
        assertTrue(findings.isEmpty(), findings::toString);

        gate[0] = new CountDownLatch(1);
        Thread second = new Thread(body, "loader-2");
        Hooks.taskCreated(second, second, body);
        second.start();
        waitHolding(cache, second, EventType.CODE_THREAD_END); // alive until the gate opens
        gate[0].countDown();
        second.join();
        assertSectionsInOrder(only(), " is about to join:", "(thread WaitForTest lambda at WaitForTest.",
                "){Thread}", "taken by thread WaitForTest lambda at ", " before it ends:",
                "  join(thread WaitForTest lambda at ", "                               end(thread WaitForTest lambda");
    }

    @Test
    void joiningAThreadThatDoesNotNeedTheLockIsNotReported() throws InterruptedException {
        ReentrantLock cache = Locks.reentrant("t/Cache", "lock");
        ReentrantLock stats = Locks.reentrant("t/Stats", "lock");
        CountDownLatch gate = new CountDownLatch(1);
        Runnable body = () -> {
            Locks.lock(stats, 70);
            Locks.unlock(stats);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread loader = new Thread(body, "loader");
        Hooks.taskCreated(loader, loader, body);
        loader.start();
        waitHolding(cache, loader, EventType.CODE_THREAD_END); // alive until the gate opens
        gate.countDown();
        loader.join();
        assertTrue(findings.isEmpty(), findings::toString);
    }

    // ------------------------------------------------------------------------------------------------ pools

    /**
     * A task running in a worker of {@code pool} hands a task to {@code to} (its own pool, or another) and waits for
     * it, as the agent's hooks report it. The pools are real, so the check sees their queues and busy workers; the
     * wait does not block (the helpers never do), so the outer task ends and the inner one then runs.
     */
    private static void handsOffAndWaits(ThreadPoolExecutor pool, ThreadPoolExecutor to) throws Exception {
        pool.submit(() -> {
            Hooks.workerBegin(pool);
            try {
                FutureTask<Void> inner = Waits.task(new Refresh(null));
                Hooks.taskSubmitted(to, inner);
                to.execute(inner);
                Waits.await(inner, EventType.CODE_TASK);
            } finally {
                Hooks.workerEnd();
            }
        }).get();
    }

    /** Waits until no worker of {@code pool} runs a task and its queue is empty. */
    private static void idle(ThreadPoolExecutor pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pool.getActiveCount() > 0 || !pool.getQueue().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the pool never went idle");
            Thread.sleep(1);
        }
    }

    private static ThreadPoolExecutor fixedPool(int threads) {
        return Waits.pool(new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<Runnable>()));
    }

    @Test
    void aTaskOfASingleThreadPoolWaitingForAnotherTaskOfThatPoolIsReported() throws Exception {
        ThreadPoolExecutor pool = fixedPool(1);
        try {
            handsOffAndWaits(pool, pool);
            assertSectionsInOrder(only(), Reports.WAIT_FOR, "-thread-1/", " is about to get:",
                    "(task Refresh){Future}", "while running in a worker of:",
                    "(pool created at Waits.pool(Waits.java:",
                    "){ThreadPoolExecutor of 1 thread}",
                    "but that task, handed to the same pool, has not started, and every worker is busy.",
                    "the waiting task holds its only worker", " *** DEADLOCK ***");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aPoolWithAFreeWorkerOrAnotherPoolIsNotReportedABoundedPoolWithAllWorkersBusyIs() throws Exception {
        ThreadPoolExecutor cached = Waits.pool((ThreadPoolExecutor) Executors.newCachedThreadPool());
        ThreadPoolExecutor fixed = fixedPool(2);
        ThreadPoolExecutor other = Waits.pool(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new SynchronousQueue<Runnable>()));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            handsOffAndWaits(cached, cached); // a cached pool starts a thread for every task
            handsOffAndWaits(other, fixed); // another pool's task
            idle(fixed);
            handsOffAndWaits(fixed, fixed); // both workers exist, one is idle
            idle(fixed);
            assertTrue(findings.isEmpty(), findings::toString);
            fixed.execute(() -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            running.await();
            handsOffAndWaits(fixed, fixed); // the other worker is busy: the task stays queued
            assertSectionsInOrder(only(), "){ThreadPoolExecutor of 2 threads}",
                    " The pool runs at most 2 tasks at a time and all 2 workers are busy");
        } finally {
            release.countDown();
            cached.shutdown();
            fixed.shutdown();
            other.shutdown();
        }
    }
}
