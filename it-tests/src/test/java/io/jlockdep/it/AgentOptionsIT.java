package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.TwoLockOrders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent options as a user types them on the command line. */
class AgentOptionsIT {

    @Test
    void unknownOptionStopsStartUpWithOneLine() throws Exception {
        Jvm.Result r = Jvm.withAgent("outt=x.txt").main(TwoLockOrders.class, "reentrant").run();
        assertEquals(1, r.exitCode, r::toString);
        assertFalse(r.stdout.contains("finished"), r::toString);
        String expected = "jlockdep: unknown option 'outt'; valid options are: out=<file>, ";
        assertTrue(r.stderr.startsWith(expected), r::toString);
        assertEquals(1, r.stderr.strip().lines().count(), () -> "one line, no stack trace:\n" + r);
    }

    @Test
    void badValueNamesTheOption() throws Exception {
        Jvm.Result r = Jvm.withAgent("max-depth=lots").main(TwoLockOrders.class, "reentrant").run();
        assertEquals(1, r.exitCode, r::toString);
        assertEquals("jlockdep: bad value 'lots' for option 'max-depth': expected a whole number >= 1",
                r.stderr.strip(), r::toString);
    }

    @Test
    void outFileThatCannotBeOpenedStopsStartUp(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no/such/dir/report.txt");
        Jvm.Result r = Jvm.withAgent("out=" + missing).main(TwoLockOrders.class, "reentrant").run();
        assertEquals(1, r.exitCode, r::toString);
        assertFalse(r.stdout.contains("finished"), r::toString);
        assertTrue(r.stderr.contains("jlockdep: bad value '" + missing + "' for option 'out': cannot open it"), r::toString);
        assertFalse(r.stderr.contains("\tat "), r::toString);
    }

    @Test
    void statsArePrintedAtExit() throws Exception {
        Jvm.Result r = Jvm.withAgent("stats=true").main(TwoLockOrders.class, "consistent").run();
        assertEquals(0, r.exitCode, r::toString);
        Reports.assertInOrder(r, "jlockdep: lock statistics\n", " lock-classes:", " direct dependencies:",
                " lock chains:", " stack traces saved:", " chain cache hits:", " chain cache misses:",
                " max locking depth:", " findings:                             0\n");
    }

    @Test
    void outSendsReportsToTheFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("lockdep.txt");
        Jvm.Result r = Jvm.withAgent("out=" + out).main(TwoLockOrders.class, "reentrant").run();
        assertEquals(0, r.exitCode, r::toString);
        assertFalse(r.stderr.contains(Reports.CIRCULAR), r::toString);
        String report = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(report.contains(Reports.CIRCULAR), report);
        assertTrue(report.contains("(Account.balanceLock){ReentrantLock}"), report);
    }
}
