package io.jlockdep.it;

import static io.jlockdep.it.Recordings.record;
import static io.jlockdep.it.Recordings.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** java -jar jlockdep-agent.jar merge, on files written by real JVMs. */
class MergeIT {
    @TempDir
    Path dir;

    @Test
    void twoJvmsEachTakingHalfAnAbbaMergeIntoTheCycleWithBothStacks() throws Exception {
        Path a = record(dir, "a", "account-then-ledger");
        Path b = record(dir, "b", "ledger-then-account");
        Jvm.Result r = tool("merge", a, b);
        assertEquals(1, r.exitCode, r::toString);
        assertEquals("", r.stderr, r::toString);
        String pidA = pidOf(a);
        String pidB = pidOf(b);
        // The main thread's label, which differs between JDKs (main/1 on 17, main/3 on 25).
        String main = Recordings.at(Recordings.records(a).get(1), "dependencies", 0, "thread");
        assertTrue(main.matches("main/\\d+"), main);
        Reports.assertInOrder(r.stdout,
                "======================================================\n" + Reports.CIRCULAR + "\njlockdep ",
                ", merged: a cycle across " + a + " (pid " + pidA + ") and " + b + " (pid " + pidB + ")\n",
                "------------------------------------------------------\n" + main + " is trying to acquire lock:\n"
                        + "(Ledger.entriesLock){ReentrantLock}, at TwoLockOrders.reentrant(",
                "but thread is already holding lock:\n(Account.balanceLock){ReentrantLock}, at TwoLockOrders.reentrant(",
                "the existing dependency chain (in reverse order) is:",
                "-> #1 (Account.balanceLock){ReentrantLock}:\n       recorded in " + b + " (pid " + pidB + "), thread " + main + ":\n",
                "io.jlockdep.it.apps.TwoLockOrders.reentrantReversed(TwoLockOrders.java:",
                "io.jlockdep.it.apps.OneLockOrder.main(OneLockOrder.java:",
                "-> #0 (Ledger.entriesLock){ReentrantLock}:\n       recorded in " + a + " (pid " + pidA + "), thread " + main + ":\n",
                "io.jlockdep.it.apps.TwoLockOrders.reentrant(TwoLockOrders.java:",
                "io.jlockdep.it.apps.OneLockOrder.main(OneLockOrder.java:",
                " Possible unsafe locking scenario:",
                " *** DEADLOCK ***",
                " held by " + main + ":\n",
                "stack backtrace:",
                "jlockdep merge: 1 cycle across 2 JVMs that no single JVM saw\n");
    }

    @Test
    void jvmsThatAgreeOnTheOrderMergeSayingSoInOneLine() throws Exception {
        Jvm.Result r = tool("merge", record(dir, "a", "account-then-ledger"), record(dir, "b", "account-then-ledger"));
        assertEquals(0, r.exitCode, r::toString);
        // The count includes the JDK's own locks (a PrintStream's, say), checked from main's first line.
        assertTrue(r.stdout.matches("jlockdep merge: no cycle across the 2 JVMs that a single JVM did not see"
                + " \\(\\d+ lock classes, \\d+ dependenc(y|ies)\\)\n"), r::toString);
        assertEquals("", r.stderr, r::toString);
    }

    @Test
    void missingTruncatedAndForeignInputsAreOneLineAndExitTwo() throws Exception {
        Path good = record(dir, "a", "account-then-ledger");
        Path missing = dir.resolve("missing.json");
        Path truncated = dir.resolve("truncated.json");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        Path foreign = Files.writeString(dir.resolve("package.json"),
                "{\n  \"name\": \"web-app\",\n  \"version\": \"1.0.0\"\n}\n", StandardCharsets.UTF_8);
        int lines = Files.readAllLines(good).size();
        for (String command : new String[] {"merge", "html"}) {
            expectOneLine(tool(command, good, missing), command, missing, "no such file");
            expectOneLine(tool(command, good, truncated), command, truncated,
                    "truncated: the last record (line " + lines + ") is cut off (column ");
            expectOneLine(tool(command, foreign, good), command, foreign,
                    "not a jlockdep JSON file (line 1 is not a JSON record: column 2: ");
        }
    }

    private static void expectOneLine(Jvm.Result r, String command, Path file, String what) {
        String expected = "jlockdep " + command + ": " + file + ": " + what;
        assertEquals(2, r.exitCode, r::toString);
        assertTrue(r.stderr.startsWith(expected) && r.stderr.endsWith("\n") && r.stderr.indexOf('\n') == r.stderr.length() - 1,
                () -> "expected one line starting [" + expected + "]\n" + r);
        assertEquals("", r.stdout, r::toString);
    }

    private static String pidOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(name.indexOf('-') + 1, name.indexOf(".json"));
    }
}
