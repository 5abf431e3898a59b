package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlockdep.it.apps.PrintStackTraceLocks;
import org.junit.jupiter.api.Test;

/**
 * Locks the JDK takes inside classes jlockdep once never rewrote: {@code Throwable.printStackTrace} locks the stream,
 * then asks the exception for its message, whose {@code getMessage()} takes an application lock; a thread printing to
 * the same stream while holding that lock closes a cycle (a documented production deadlock).
 */
class JdkInternalLocksIT {

    @Test
    void printStackTraceLockingTheStreamThenTheMessagesLockIsACycle() throws Exception {
        Jvm.Result without = Jvm.withoutAgent().main(PrintStackTraceLocks.class).run();
        // PrintStream and Throwable, loaded before the agent, are rewritten before main (the default)
        Jvm.Result r = Jvm.withAgent(null).main(PrintStackTraceLocks.class).run();
        assertEquals(0, r.exitCode, r::toString);
        assertEquals(without.stdout, r.stdout, "the program's own output");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR,
                "failing/", " is trying to acquire lock:",
                "(PrintStackTraceLocks.STATE){monitor}, at StateException.getMessage(PrintStackTraceLocks.java:",
                "but thread is already holding lock:",
                "PrintStream", "{monitor}, at Throwable.printStackTrace(Throwable.java:",
                "-> #1 (PrintStream", "{monitor}:",
                "io.jlockdep.it.apps.PrintStackTraceLocks.lambda$main$0(PrintStackTraceLocks.java:",
                "-> #0 (PrintStackTraceLocks.STATE){monitor}:",
                "java.lang.Throwable.getLocalizedMessage(Throwable.java:",
                "java.lang.Throwable.printStackTrace(Throwable.java:");
        Reports.assertOnlyTheSummaryLine(r);
    }
}
