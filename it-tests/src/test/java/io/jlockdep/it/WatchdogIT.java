package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jlockdep.it.apps.StuckThreads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code watchdog=<ms>}: threads really stuck in a cycle of lock waits are reported, after the predicted-deadlock
 * report that came before they blocked; including the waits {@code ThreadMXBean.findDeadlockedThreads} cannot see.
 */
class WatchdogIT {
    static final String DEADLOCK = "WARNING: deadlock detected";

    private static Jvm.Result stuck(String kind) throws Exception {
        // 1 s after the deadlock report: time for the watchdog to report it again, which it must not
        Jvm.Result r = Jvm.withAgent("watchdog=300").main(StuckThreads.class, kind, "1000", "deadlock").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("still stuck"), r::toString);
        assertEquals(1, r.count(DEADLOCK), r::toString);
        Reports.assertInOrder(r, "==========================\n" + DEADLOCK + "\njlockdep ", "--------------------------\n",
                " been waiting for 300 ms or more, each for a lock that another of them holds:\n");
        Reports.assertOnlyTheSummaryLine(r);
        return r;
    }

    @Test
    void reentrantLocks() throws Exception {
        Jvm.Result r = stuck("reentrant");
        // The lock-order report comes first, before the threads block; then the real deadlock.
        Reports.assertInOrder(r, Reports.CIRCULAR, DEADLOCK,
                "party-", " is trying to acquire lock:\n", "(Vault.lock){ReentrantLock}, at StuckThreads.nested(",
                "held by party-",
                " *** DEADLOCK ***\n",
                // every acquisition is recorded before it can block: the one a thread is stuck in shows as acquiring
                "2 locks held by party-", "(Vault.lock){ReentrantLock}", "(Vault.lock){ReentrantLock}",
                " (acquiring)\n", "stack backtrace:\nThread: party-",
                "java.util.concurrent.locks.ReentrantLock.lock(", "io.jlockdep.it.apps.StuckThreads.nested(",
                "2 locks held by party-", "stack backtrace:\nThread: party-");
    }

    @Test
    void monitors() throws Exception {
        Jvm.Result r = stuck("monitor");
        Reports.assertInOrder(r, Reports.CIRCULAR, DEADLOCK,
                " is trying to acquire lock:\n", "(Vault.monitor){monitor}, at StuckThreads.monitors(", "held by party-",
                " is trying to acquire lock:\n", "(Vault.monitor){monitor}, at StuckThreads.monitors(", "held by party-",
                " *** DEADLOCK ***\n",
                // each thread holds its first monitor and is entering the second
                "2 locks held by party-", "(Vault.monitor){monitor}", "(Vault.monitor){monitor}", " (acquiring)\n");
        // The watchdog reads other threads' stacks; they read like the stack the thread walked itself for the
        // lock-order report, at the same monitorenter: every frame with its file and line.
        int deadlock = r.stderr.indexOf(DEADLOCK);
        String walked = r.stderr.substring(0, deadlock);
        String header = "stack backtrace:\nThread: ";
        String thread = walked.substring(walked.lastIndexOf(header) + header.length());
        thread = thread.substring(0, thread.indexOf(' '));
        List<String> frames = backtrace(walked, thread);
        assertEquals(frames, backtrace(r.stderr.substring(deadlock), thread), r::toString);
        assertTrue(frames.size() >= 3, r::toString);
        for (String frame : frames) {
            assertTrue(frame.matches(" [\\w.$]+\\.[\\w$<>]+\\([\\w$]+\\.java:\\d+\\)"), frame + " in\n" + r);
        }
    }

    /** The frame lines of the first stack backtrace of {@code thread} in {@code text}. */
    private static List<String> backtrace(String text, String thread) {
        int at = text.indexOf("stack backtrace:\nThread: " + thread + " ");
        assertTrue(at >= 0, "no backtrace of " + thread + " in\n" + text);
        List<String> lines = List.of(text.substring(at).split("\n"));
        List<String> frames = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            if (line.isEmpty()) {
                break;
            }
            frames.add(line);
        }
        return frames;
    }

    @Test
    void readHoldsOfReadWriteLocks() throws Exception {
        Jvm.Result r = stuck("readers");
        Reports.assertInOrder(r, DEADLOCK,
                "(Vault.rw){ReentrantReadWriteLock write}", "held for reading by party-",
                "(Vault.rw){ReentrantReadWriteLock write}", "held for reading by party-",
                " *** DEADLOCK ***\n", "(Vault.rw){ReentrantReadWriteLock read}");
    }

    @Test
    void aReaderQueuedBehindAWriter() throws Exception {
        Jvm.Result r = stuck("queued-writer");
        Reports.assertInOrder(r, DEADLOCK, "3 threads have been waiting");
        assertTrue(r.stderr.contains("(Vault.rw){ReentrantReadWriteLock read}, at StuckThreads.")
                && r.stderr.contains("queued behind the writer party-3/"), r::toString);
        assertTrue(r.stderr.contains("(Vault.rw){ReentrantReadWriteLock write}, at StuckThreads.")
                && r.stderr.contains("held for reading by party-1/"), r::toString);
    }

    @Test
    void stampedLocks() throws Exception {
        Jvm.Result r = stuck("stamped");
        Reports.assertInOrder(r, DEADLOCK, "(Vault.stamped){StampedLock write}", "held for reading by party-",
                "(Vault.stamped){StampedLock write}", "held for reading by party-", " *** DEADLOCK ***\n",
                "(Vault.stamped){StampedLock read}");
    }

    @Test
    void virtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        Jvm.Result r = stuck("virtual");
        Reports.assertInOrder(r, Reports.CIRCULAR, "virtual-party-", DEADLOCK,
                "virtual-party-", " is trying to acquire lock:\n", "held by virtual-party-",
                " *** DEADLOCK ***\n", "stack backtrace:\nThread: virtual-party-", " virtual\n");
    }

    @Test
    void noWatchdogNoDeadlockReport() throws Exception {
        // 1.5 s after the lock-order report, five times the watchdog's limit in the other tests
        Jvm.Result r = Jvm.withAgent(null).main(StuckThreads.class, "reentrant", "1500").run();
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        assertEquals(0, r.count(DEADLOCK), r::toString);
    }
}
