package io.jlockdep.runtime.sink;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where reports go. Writes go straight to a file descriptor, never through System.err, so printing takes no lock an
 * application thread could hold (a PrintStream's lock is itself a tracked lock).
 */
public final class Output {
    private final OutputStream out;
    private final String description;

    private Output(OutputStream out, String description) {
        this.out = out;
        this.description = description;
    }

    public static Output stderr() {
        return new Output(new FileOutputStream(FileDescriptor.err), "standard error");
    }

    /** Appends to the file, creating it; several JVMs (test forks) may share one file. */
    public static Output file(String path) throws IOException {
        return new Output(new FileOutputStream(path, true), path);
    }

    /** Writes one whole report in one call, so concurrent reports never interleave. */
    public synchronized void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // Nowhere better to say it: fall back to the raw stderr descriptor once.
            try {
                new FileOutputStream(FileDescriptor.err).write(
                        ("jlockdep: cannot write to " + description + ": " + e + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // stderr is gone too
            }
        }
    }

    String description() {
        return description;
    }
}
