package io.jlockdep.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One-line messages from the agent, written straight to the stderr descriptor (no PrintStream lock). */
final class Messages {
    private static final FileOutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    private Messages() {
    }

    static void error(String line) {
        write("jlockdep: " + line + "\n");
    }

    static void debug(String line) {
        write("jlockdep: debug: " + line + "\n");
    }

    private static synchronized void write(String text) {
        try {
            STDERR.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // stderr is closed: nothing else to tell
        }
    }
}
