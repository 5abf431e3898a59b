package io.jlockdep.it.apps;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * {@code Throwable.printStackTrace(stream)} locks the stream, then asks the exception for its message; an exception
 * whose {@code getMessage()} takes an application lock deadlocks against a thread that prints to the same stream while
 * holding that lock. Run in an order that cannot hang: the printer first, then the exception's own print.
 */
public final class PrintStackTraceLocks {
    static final Object STATE = new Object();
    static String state = "idle";

    /** Its message reads shared state under the application's lock. */
    static final class StateException extends Exception {
        @Override
        public String getMessage() {
            synchronized (STATE) {
                return "failed in state " + state;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true);
        Thread printer = new Thread(() -> {
            synchronized (STATE) {
                state = "busy";
                log.println("state changed to " + state);
            }
        }, "printer");
        printer.start();
        printer.join();
        Thread failing = new Thread(() -> new StateException().printStackTrace(log), "failing");
        failing.start();
        failing.join();
        String printed = bytes.toString();
        System.out.println(printed.substring(0, printed.indexOf('\n', printed.indexOf("StateException")) + 1).trim());
    }
}
