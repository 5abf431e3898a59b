package io.jlockdep.it;

import static io.jlockdep.it.Recordings.record;
import static io.jlockdep.it.Recordings.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools' output and input at their limits, as a user meets them: a full disk, a missing directory, an endless
 * input, a line no record is as long as. Each is one line and exit status 2, never a hang, a stack trace or a result
 * that looks written.
 */
class ToolOutputIT {
    private static final Path DEV_FULL = Paths.get("/dev/full");
    private static final Path DEV_ZERO = Paths.get("/dev/zero");

    @TempDir
    Path dir;

    @Test
    void aFullDiskOnStandardOutputIsOneLineAndExitTwo() throws Exception {
        Path a = record(dir, "a", "account-then-ledger");
        for (String command : new String[] {"merge", "dot", "html", "sarif", "baseline"}) {
            Jvm.Result r = toolWithStdout(DEV_FULL, command, a.toString());
            assertEquals(2, r.exitCode, r::toString);
            assertOneLine(r, "jlockdep " + command + ": cannot write to standard output (No space left on device)");
        }
    }

    @Test
    void anOutputFileInAMissingDirectoryIsOneLineAndExitTwo() throws Exception {
        Path a = record(dir, "a", "account-then-ledger");
        Path out = dir.resolve("no/such/dir/out.sarif");
        for (String command : new String[] {"dot", "html", "sarif", "baseline"}) {
            Jvm.Result r = tool(command, a, "-o", out);
            assertEquals(2, r.exitCode, r::toString);
            assertOneLine(r, "jlockdep " + command + ": " + out + ": cannot write it (no such directory: "
                    + dir.resolve("no/such/dir") + ")");
        }
    }

    @Test
    void anEndlessInputIsRefusedWithOneLine() throws Exception {
        for (String command : new String[] {"merge", "sarif"}) {
            Jvm.Result r = tool(command, DEV_ZERO);
            assertEquals(2, r.exitCode, r::toString);
            assertOneLine(r, "jlockdep " + command + ": /dev/zero: not a jlockdep JSON file (line 1 is longer than 64"
                    + " KiB; a header record is a few hundred bytes)");
        }
    }

    @Test
    void aLineLongerThanAnyRecordIsRefusedWithOneLine() throws Exception {
        Path a = record(dir, "a", "account-then-ledger");
        Path huge = dir.resolve("huge.json");
        String header = Files.readAllLines(a, StandardCharsets.UTF_8).get(0);
        try (OutputStream out = Files.newOutputStream(huge)) {
            out.write((header + "\n{\"type\":\"finding\",\"text\":\"").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 100; i++) {
                out.write(chunk);
            }
        }
        Jvm.Result r = tool("merge", a, huge);
        assertEquals(2, r.exitCode, r::toString);
        assertOneLine(r, "jlockdep merge: " + huge + ": line 2 is longer than 64 MiB, the longest record this reader"
                + " takes: the file is damaged or not a jlockdep file");
    }

    private static void assertOneLine(Jvm.Result r, String line) {
        assertEquals(line + "\n", r.stderr, r::toString);
    }

    /** Runs a tool with its standard output sent to {@code stdout} (a device, say). */
    private static Jvm.Result toolWithStdout(Path stdout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Jvm.JAVA.toString(), "-jar", Jvm.AGENT.toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("jlockdep-tool", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the tool did not end: " + command);
            }
            return new Jvm.Result(command, p.exitValue(), "", Files.readString(err, StandardCharsets.UTF_8), false,
                    false);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
