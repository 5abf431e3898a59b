package io.jlockdep.selftest;

import io.jlockdep.runtime.Engine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * The real-JVM driver: runs the matrix's cases with real locks under the agent, one after another, with
 * {@code Engine.reset()} between them, and brackets each case's reports on standard error with marker lines.
 * Cases whose last step really blocks run in a daemon thread, left parked once the step has been checked.
 *
 * <p>Arguments: {@code default} or {@code strict} (which cases to run, matching the agent's nesting option).
 */
public final class SelftestMain {
    public static final String BEGIN = "@@selftest-begin ";
    public static final String END = "@@selftest-end ";
    public static final String OK = " ok";

    /** Standard error without System.err's lock, the descriptor jlockdep itself writes reports to. */
    private static final FileOutputStream ERR = new FileOutputStream(FileDescriptor.err);

    private SelftestMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean strict = args.length > 0 && args[0].equals("strict");
        for (Case c : Matrix.cases()) {
            if (c.strict != strict || c.engineOnly) {
                continue;
            }
            Engine.reset();
            marker(BEGIN + c.name);
            String outcome;
            try {
                outcome = c.hangs() ? runBlocking(c) : runInline(c);
            } catch (Throwable t) {
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                outcome = " error " + sw.toString().replace('\n', '|');
            }
            marker(END + c.name + outcome);
        }
        marker("@@selftest-done");
    }

    private static String runInline(Case c) {
        Interpreter.run(c, new RealLocks());
        return OK;
    }

    /** Runs the case in a daemon thread until it parks in its last, blocking step. */
    private static String runBlocking(Case c) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                Interpreter.run(c, new RealLocks());
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "selftest-" + c.name);
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (t.isAlive() && t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (!t.isAlive()) {
            return failure[0] != null ? " error " + failure[0] : " error the blocking step returned";
        }
        return t.getState() == Thread.State.WAITING ? OK : " error never blocked: " + t.getState();
    }

    private static void marker(String line) throws IOException {
        ERR.write(("\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
        ERR.flush();
    }
}
