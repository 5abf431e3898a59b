package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every demo scenario as a user runs it: by default (nothing hangs, the report appears, exit 0), and with
 * {@code --deadlock} (the report appears before the threads block, the watchdog then reports the real deadlock, and
 * the demo ends by itself with exit 0). ntfs's default report is checked line by line in {@link NtfsDemoIT}.
 */
class DemoScenariosIT {
    static final List<String> SCENARIOS =
            List.of("ntfs", "bank", "philosophers", "rw-upgrade", "nested-monitor", "jdk-only", "service",
                    "executor-wait");

    static List<String> scenarios() {
        return SCENARIOS;
    }

    /** How long a --deadlock run leaves its threads stuck: several watchdog periods. */
    private static final String WAIT = "--wait=3000";

    // ---------------------------------------------------------------- the jar itself

    @Test
    void withoutArgumentsTheJarListsEveryScenarioWithADescription() throws Exception {
        Jvm.Result r = Jvm.withoutAgent().demo().run();
        assertEquals(0, r.exitCode, r::toString);
        List<String> lines = r.stdout.lines().toList();
        assertEquals(SCENARIOS.size(), lines.size(), r::toString);
        for (int i = 0; i < SCENARIOS.size(); i++) {
            String[] nameAndDescription = lines.get(i).split("\\s+", 2);
            assertEquals(SCENARIOS.get(i), nameAndDescription[0], r::toString);
            assertTrue(nameAndDescription.length == 2 && nameAndDescription[1].length() > 20, r::toString);
        }
    }

    @Test
    void anUnknownScenarioIsNamedAndTheValidOnesListed() throws Exception {
        Jvm.Result r = Jvm.withoutAgent().demo("bnak").run();
        assertEquals(2, r.exitCode, r::toString);
        assertTrue(r.stderr.startsWith("jlockdep-demos: no scenario named 'bnak'\n"), r::toString);
        Reports.assertInOrder(r, "usage: ", "scenarios:\n", "ntfs  ", "bank  ", "service  ");
        assertEquals("", r.stdout, r::toString);
    }

    @Test
    void aBadWaitValueIsNamed() throws Exception {
        Jvm.Result r = Jvm.withoutAgent().demo("bank", "--deadlock", "--wait=soon").run();
        assertEquals(2, r.exitCode, r::toString);
        assertTrue(r.stderr.startsWith("jlockdep-demos: bad value for --wait: 'soon'"), r::toString);
        assertEquals("", r.stdout, r::toString);
    }

    /** The demos are plain Java: without the agent, even a real deadlock ends by itself. */
    @ParameterizedTest
    @MethodSource("scenarios")
    void withoutTheAgentADeadlockRunEndsByItselfAndSaysSo(String scenario) throws Exception {
        Jvm.Result r = Jvm.withoutAgent().demo(scenario, "--deadlock", "--wait=500").run();
        assertFalse(r.timedOut, r::toString);
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("deadlocked as predicted"), r::toString);
        assertEquals("", r.stderr, r::toString);
    }

    // ---------------------------------------------------------------- default mode: nothing hangs, jlockdep reports

    @Test
    void bankReportsTwoAccountsLockedInBothOrders() throws Exception {
        Jvm.Result r = runDefault("bank");
        assertTrue(r.stdout.contains("done: alice 80, bob 120"), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                "bob-pays-alice/", " is trying to acquire lock:\n",
                // accounts lock themselves (a synchronized method): classed by where they are opened
                "(Account@Account.java:", "){monitor}, at Account.transfer(Account.java:",
                "but thread is already holding lock:\n",
                "(Account@Account.java:", "){monitor}, at Account.transfer(Account.java:",
                "-> #1 (Account@Account.java:", "io.jlockdep.demo.bank.Account.transfer(",
                "-> #0 (Account@Account.java:", "io.jlockdep.demo.bank.Account.transfer(",
                " Both locks are of class Account@Account.java:", ": two instances taken in both orders.",
                "1 lock held by bob-pays-alice/");
        assertNoAgentFrames(r);
    }

    @Test
    void philosophersReportAChainThroughFiveForks() throws Exception {
        Jvm.Result r = runDefault("philosophers");
        assertTrue(r.stdout.contains("philosopher 5 eats with forks 5 and 1"), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                "philosopher-5/", " is trying to acquire lock:\n", "(Table.fork1){ReentrantLock}, at Table.eat(",
                "but thread is already holding lock:\n", "(Table.fork5){ReentrantLock}, at Table.eat(",
                "-> #4 (Table.fork5){ReentrantLock}:\n", "-> #3 (Table.fork4){ReentrantLock}:\n",
                "-> #2 (Table.fork3){ReentrantLock}:\n", "-> #1 (Table.fork2){ReentrantLock}:\n",
                "-> #0 (Table.fork1){ReentrantLock}:\n",
                "Chain exists of:\n  Table.fork1 --> Table.fork2 --> Table.fork3 --> Table.fork4 --> Table.fork5\n");
        assertNoAgentFrames(r);
    }

    @Test
    void rwUpgradeIsReportedBeforeTheCallBlocksOnItsOwnReadLock() throws Exception {
        Jvm.Result r = runDefault("rw-upgrade");
        assertTrue(r.stdout.contains("get(missing) cancelled"), r::toString);
        assertEquals(1, r.count(Reports.RECURSIVE), r::toString);
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r,
                Reports.RECURSIVE, "request-1/", " is trying to acquire lock:\n",
                "(Cache.lock){ReentrantReadWriteLock write}, at Cache.get(Cache.java:",
                "but thread is already holding lock:\n",
                "(Cache.lock){ReentrantReadWriteLock read}, at Cache.get(Cache.java:",
                "upgrading a read lock to a write lock always blocks",
                "  rlock(Cache.lock);\n  lock(Cache.lock);\n", " *** DEADLOCK ***\n",
                "1 lock held by request-1/", "stack backtrace:\n", "io.jlockdep.demo.rwupgrade.Cache.get(");
        assertNoAgentFrames(r);
    }

    @Test
    void nestedMonitorIsReportedAsAWaitNotifyDeadlock() throws Exception {
        Jvm.Result r = runDefault("nested-monitor");
        assertTrue(r.stdout.contains("reader stopped"), r::toString);
        assertEquals(1, r.count(Reports.WAIT_NOTIFY), r::toString);
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r,
                Reports.WAIT_NOTIFY, "reader/", " is about to wait on lock:\n",
                "(Mailbox.delivered){monitor}, at Mailbox.take(Mailbox.java:",
                "while holding lock:\n",
                "(Mailbox@NestedMonitorScenario.java:", "){monitor}, at Mailbox.take(Mailbox.java:",
                "-> (Mailbox@NestedMonitorScenario.java:", "){monitor} held while notifying (Mailbox.delivered):\n",
                "io.jlockdep.demo.nestedmonitor.Mailbox.put(Mailbox.java:",
                "  wait(Mailbox.delivered);\n", "notify(Mailbox.delivered);\n", " *** DEADLOCK ***\n");
        assertNoAgentFrames(r);
    }

    @Test
    void jdkOnlyReportsTwoSynchronizedListsWithNoApplicationLock() throws Exception {
        Jvm.Result r = runDefault("jdk-only");
        assertTrue(r.stdout.contains("done: inbox has 2, outbox 3"), r::toString);
        assumeTrue(AgentFeatures.jdkMonitors(), "the agent does not track monitors inside JDK classes yet");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                // each list is classed by the Collections.synchronizedList call that made it
                "main/", " is trying to acquire lock:\n",
                "(Collections.synchronizedList@JdkOnlyScenario.java:", "){monitor}, at SynchronizedCollection.toArray(",
                "but thread is already holding lock:\n",
                "(Collections.synchronizedList@JdkOnlyScenario.java:", "){monitor}, at SynchronizedCollection.addAll(",
                "-> #1 (Collections.synchronizedList@JdkOnlyScenario.java:",
                "-> #0 (Collections.synchronizedList@JdkOnlyScenario.java:",
                "io.jlockdep.demo.jdkonly.JdkOnlyScenario.run(JdkOnlyScenario.java:");
        assertNoAgentFrames(r);
    }

    @Test
    void serviceReportsTheInversionAndKeepsServing() throws Exception {
        Jvm.Result r = runDefault("service");
        Reports.assertStdoutInOrder(r,
                "POST /transfer?from=alice&to=bob&amount=30 -> 200 ",
                "GET /audit -> 200 audited 1 transfers",
                "GET /audit -> 200 audited 4 transfers",
                "the service kept serving: 6 more requests answered after the first audit\n",
                "done: service stopped\n");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                "http-worker-", " is trying to acquire lock:\n",
                "(Books.balancesLock){ReentrantLock}, at Books.audit(Books.java:",
                "but thread is already holding lock:\n",
                "(Books.journalLock){ReentrantLock}, at Books.audit(Books.java:",
                "-> #1 (Books.journalLock){ReentrantLock}:\n", "io.jlockdep.demo.service.Books.transfer(Books.java:",
                "-> #0 (Books.balancesLock){ReentrantLock}:\n", "io.jlockdep.demo.service.Books.audit(Books.java:",
                "  lock(Books.journalLock);\n", "                               lock(Books.balancesLock);\n");
        assertNoAgentFrames(r);
    }

    @Test
    void executorWaitIsReportedAsAWaitForDeadlock() throws Exception {
        Jvm.Result r = runDefault("executor-wait");
        Reports.assertStdoutInOrder(r, "start-up: the refresher loads the stale prices under the cache lock\n",
                "price of pears: null (the lookup waited for a refresh, holding the cache lock; the prices were fresh)\n",
                "done: nothing blocked\n");
        assertEquals(1, r.count(Reports.WAIT_FOR), r::toString);
        assertEquals(0, r.count(Reports.CIRCULAR) + r.count(Reports.WAIT_NOTIFY), r::toString);
        Reports.assertInOrder(r,
                Reports.WAIT_FOR, "client/", " is about to get:\n",
                "(task PriceCache lambda at PriceCache.refreshAsync(PriceCache.java:", "){Future}, at PriceCache.price(",
                "while holding lock:\n", "(PriceCache.lock){ReentrantLock}, at PriceCache.price(PriceCache.java:",
                "but producing that event needs a lock of that class:\n\n",
                "-> (PriceCache.lock){ReentrantLock} taken by task PriceCache lambda at PriceCache.refreshAsync(",
                " before it completes:\n", "io.jlockdep.demo.executorwait.PriceCache.refresh(PriceCache.java:",
                "  lock(PriceCache.lock);\n  get(task PriceCache lambda at ",
                "                               lock(PriceCache.lock);\n", " *** DEADLOCK ***\n",
                "1 lock held by client/", "stack backtrace:\n", "io.jlockdep.demo.executorwait.PriceCache.price(");
        assertNoAgentFrames(r);
    }

    // ---------------------------------------------------------------- --deadlock: reported first, then really stuck

    @Test
    void ntfsDeadlockIsReportedBeforeTheThreadsBlock() throws Exception {
        Jvm.Result r = runIntoDeadlock("ntfs");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR, "(AddressSpace.mmapLock){ReentrantReadWriteLock write}",
                "(Inode.iRwsem){ReentrantReadWriteLock write}", " *** DEADLOCK ***\n");
        assertWatchdogReportsAfter(r, Reports.CIRCULAR, "mmap", "pwrite");
    }

    @Test
    void bankDeadlockIsReportedBeforeTheThreadsBlock() throws Exception {
        Jvm.Result r = runIntoDeadlock("bank");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR, "(Account@Account.java:", "){monitor}",
                "two instances taken in both orders.");
        assertWatchdogReportsAfter(r, Reports.CIRCULAR, "alice-pays-bob", "bob-pays-alice");
    }

    @Test
    void philosophersDeadlockIsReportedBeforeTheLastOneBlocks() throws Exception {
        Jvm.Result r = runIntoDeadlock("philosophers");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR, "Chain exists of:\n  Table.fork");
        for (int fork = 1; fork <= 5; fork++) {
            assertTrue(r.stderr.contains("-> #" + (fork - 1) + " (Table.fork"), r::toString);
        }
        assertWatchdogReportsAfter(r, Reports.CIRCULAR,
                "philosopher-1", "philosopher-2", "philosopher-3", "philosopher-4", "philosopher-5");
    }

    @Test
    void rwUpgradeDeadlockIsReportedBeforeTheThreadsBlock() throws Exception {
        Jvm.Result r = runIntoDeadlock("rw-upgrade");
        assertTrue(r.count(Reports.RECURSIVE) >= 1, r::toString);
        Reports.assertInOrder(r, Reports.RECURSIVE, "(Cache.lock){ReentrantReadWriteLock write}",
                "(Cache.lock){ReentrantReadWriteLock read}");
        assertWatchdogReportsAfter(r, Reports.RECURSIVE, "get-alpha", "get-beta");
    }

    /**
     * The reader waits for a notify, not for a lock, so no cycle of lock waits exists for a watchdog; the report comes
     * before the postman blocks, and the demo says what each thread is stuck on.
     */
    @Test
    void nestedMonitorLockoutIsReportedBeforeThePostmanBlocks() throws Exception {
        Jvm.Result r = runIntoDeadlock("nested-monitor");
        assertEquals(1, r.count(Reports.WAIT_NOTIFY), r::toString);
        Reports.assertInOrder(r, Reports.WAIT_NOTIFY, "reader/", " is about to wait on lock:\n",
                "(Mailbox.delivered){monitor}");
        Reports.assertStdoutInOrder(r, "deadlocked as predicted",
                "  reader WAITING on java.lang.Object@",
                "  postman BLOCKED on io.jlockdep.demo.nestedmonitor.Mailbox@", " held by reader\n");
    }

    @Test
    void jdkOnlyDeadlockIsReportedBeforeTheThreadsBlock() throws Exception {
        Jvm.Result r = runIntoDeadlock("jdk-only");
        Reports.assertStdoutInOrder(r, "deadlocked as predicted",
                "  merge-outbox-into-inbox BLOCKED on java.util.Collections$SynchronizedRandomAccessList@",
                "  merge-inbox-into-outbox BLOCKED on java.util.Collections$SynchronizedRandomAccessList@");
        assumeTrue(AgentFeatures.jdkMonitors(), "the agent does not track monitors inside JDK classes yet");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR,
                "(Collections.synchronizedList@JdkOnlyScenario.java:", "){monitor}",
                "(Collections.synchronizedList@JdkOnlyScenario.java:", "){monitor}");
        assertWatchdogReportsAfter(r, Reports.CIRCULAR, "merge-outbox-into-inbox", "merge-inbox-into-outbox");
    }

    @Test
    void serviceDeadlockIsReportedAndTheClientTimesOut() throws Exception {
        Jvm.Result r = runIntoDeadlock("service");
        Reports.assertStdoutInOrder(r, "no answer to either request: the service's workers are deadlocked as predicted:\n",
                " on http-worker-", " on http-worker-", "service stopped");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR, "http-worker-", " is trying to acquire lock:\n", "(Books.",
                "{ReentrantLock}");
        List<String> workers = new ArrayList<>();
        Matcher m = Pattern.compile("^  /\\w+ on (http-worker-\\d+) ", Pattern.MULTILINE).matcher(r.stdout);
        while (m.find()) {
            workers.add(m.group(1));
        }
        assertEquals(2, workers.size(), r::toString);
        assertWatchdogReportsAfter(r, Reports.CIRCULAR, workers.toArray(new String[0]));
    }

    /** The wait-for report comes before the lookup waits; the watchdog then sees the task blocked on its lock. */
    @Test
    void executorWaitDeadlockIsReportedBeforeTheThreadsBlock() throws Exception {
        Jvm.Result r = runIntoDeadlock("executor-wait");
        assertEquals(1, r.count(Reports.WAIT_FOR), r::toString);
        Reports.assertInOrder(r, Reports.WAIT_FOR, "client/", " is about to get:\n", "(PriceCache.lock){ReentrantLock}");
        Reports.assertStdoutInOrder(r, "deadlocked as predicted",
                "  client WAITING on java.util.concurrent.FutureTask@",
                "  refresher WAITING on java.util.concurrent.locks.ReentrantLock$NonfairSync@", " held by client\n");
        assertWatchdogReportsAfter(r, Reports.WAIT_FOR, "client", "refresher");
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a scenario in its default mode under the agent: it must end by itself, with exit 0. */
    private static Jvm.Result runDefault(String scenario) throws Exception {
        Jvm.Result r = Jvm.withAgent(null).demo(scenario).run();
        assertFalse(r.timedOut, r::toString);
        assertEquals(0, r.exitCode, r::toString);
        assertFalse(r.stderr.contains("jlockdep: internal error"), r::toString);
        return r;
    }

    /**
     * Runs a scenario with {@code --deadlock} under the agent (with the watchdog when the agent has it): it must end
     * by itself, with exit 0, after saying that its threads deadlocked as predicted.
     */
    private static Jvm.Result runIntoDeadlock(String scenario) throws Exception {
        Jvm.Result r = Jvm.withAgent(AgentFeatures.watchdog() ? AgentFeatures.WATCHDOG_OPTION : null)
                .demo(scenario, "--deadlock", WAIT).run();
        assertFalse(r.timedOut, r::toString);
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("deadlocked as predicted"), r::toString);
        assertFalse(r.stderr.contains("jlockdep: internal error"), r::toString);
        return r;
    }

    /** Stacks in reports show the application's frames, never jlockdep's own. */
    private static void assertNoAgentFrames(Jvm.Result r) {
        assertFalse(r.stderr.contains("io.jlockdep.runtime."), () -> "agent frames must not show:\n" + r);
    }

    /**
     * The lock-order report came first (before the threads could block); then the watchdog saw them really stuck and
     * named each one. Skipped while the agent has no watchdog.
     */
    private static void assertWatchdogReportsAfter(Jvm.Result r, String lockOrderHeader, String... stuckThreads) {
        assumeTrue(AgentFeatures.watchdog(), "the agent has no watchdog option yet");
        int lockOrder = r.stderr.indexOf(lockOrderHeader);
        int watchdog = r.stderr.indexOf(AgentFeatures.DEADLOCK_DETECTED);
        assertTrue(lockOrder >= 0, r::toString);
        assertTrue(watchdog > lockOrder, () -> "the watchdog's report must follow the lock-order report\n" + r);
        String watchdogReport = r.stderr.substring(watchdog);
        assertTrue(watchdogReport.contains("*** DEADLOCK ***"), r::toString);
        for (String thread : stuckThreads) {
            assertTrue(watchdogReport.contains(thread + "/"), () -> "watchdog report names " + thread + "\n" + r);
        }
    }
}
