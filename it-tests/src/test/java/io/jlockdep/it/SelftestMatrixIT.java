package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.selftest.Case;
import io.jlockdep.selftest.Matrix;
import io.jlockdep.selftest.SelftestMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The selftest matrix (runtime's io.jlockdep.selftest, modelled on lib/locking-selftest.c) with real locks in a JVM
 * under the agent: {@link SelftestMain} runs every case that has a Java counterpart, and each case's reports,
 * bracketed by marker lines on standard error, must be exactly the ones the engine driver expects.
 */
class SelftestMatrixIT {

    @TestFactory
    Stream<DynamicTest> defaultNesting() throws Exception {
        return run(false, null);
    }

    @TestFactory
    Stream<DynamicTest> strictNesting() throws Exception {
        return run(true, "nesting=strict");
    }

    private static Stream<DynamicTest> run(boolean strict, String options) throws Exception {
        Path matrixJar = Path.of(Matrix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Jvm.Result r = Jvm.withAgent(options).timeout(Duration.ofSeconds(120))
                .main(SelftestMain.class.getName(), List.of(matrixJar.toString()), strict ? "strict" : "default")
                .run();
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("jvm ran every case", () -> {
            assertEquals(0, r.exitCode, r::toString);
            assertTrue(r.stderr.contains("\n@@selftest-done\n"), r::toString);
        }));
        for (Case c : Matrix.cases()) {
            if (c.strict == strict && !c.engineOnly) {
                tests.add(DynamicTest.dynamicTest(c.name, () -> check(c, r)));
            }
        }
        return tests.stream();
    }

    private static void check(Case c, Jvm.Result r) {
        String begin = "\n" + SelftestMain.BEGIN + c.name + "\n";
        String end = "\n" + SelftestMain.END + c.name;
        int from = r.stderr.indexOf(begin);
        int to = from < 0 ? -1 : r.stderr.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new AssertionError("no output bracketed for " + c.name + "\n" + r);
        }
        String segment = r.stderr.substring(from + begin.length(), to);
        int eol = r.stderr.indexOf('\n', to + end.length());
        String outcome = r.stderr.substring(to + end.length(), eol < 0 ? r.stderr.length() : eol);
        assertEquals(SelftestMain.OK, outcome, () -> c + ": the case did not run cleanly\n" + segment);
        String mismatch = c.expect.mismatch(reports(segment));
        assertEquals(null, mismatch, () -> c + "\n" + mismatch);
    }

    /**
     * Splits a case's standard error into reports, each starting at its rule of '=' signs. Anything else printed
     * (jlockdep's own messages, stray output) becomes an entry of its own, so it fails the count.
     */
    static List<String> reports(String segment) {
        List<String> reports = new ArrayList<>();
        StringBuilder current = null;
        StringBuilder stray = new StringBuilder();
        for (String line : segment.split("\n", -1)) {
            if (!line.isEmpty() && line.chars().allMatch(ch -> ch == '=')) {
                if (current != null) {
                    reports.add(current.toString());
                }
                current = new StringBuilder();
            } else if (line.startsWith("jlockdep: ") || (current == null && !line.isBlank())) {
                stray.append(line).append('\n');
                continue;
            }
            if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            reports.add(current.toString());
        }
        if (stray.length() > 0) {
            reports.add("unexpected output:\n" + stray);
        }
        return reports;
    }
}
