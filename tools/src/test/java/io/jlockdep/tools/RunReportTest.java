package io.jlockdep.tools;

import static io.jlockdep.tools.Files.finding;
import static io.jlockdep.tools.Files.graph;
import static io.jlockdep.tools.Files.header;
import static io.jlockdep.tools.Files.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's files as the Maven plugin reads them: each JVM's findings, the cycles only across JVMs, one summary line. */
class RunReportTest {
    @TempDir
    Path dir;

    private RunReport read(Path... files) throws BadInputException {
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(f.toString());
        }
        return RunReport.read(names);
    }

    @Test
    void findingsOfEachJvmAndCyclesAcrossThemAreCountedAndListed() throws Exception {
        Path live = write(dir.resolve("jlockdep-1.json"), header(1), finding(1), graph(1, "1>2", "2>1"));
        Path half1 = write(dir.resolve("jlockdep-2.json"), header(2), graph(2, "1>3"));
        Path half2 = write(dir.resolve("jlockdep-3.json"), header(3), graph(3, "3>1"));
        Path quiet = write(dir.resolve("jlockdep-4.json"), header(4), graph(4));
        RunReport run = read(live, half1, half2, quiet);
        assertEquals(4, run.jvmCount());
        assertEquals(2, run.findingCount());
        assertEquals(1, run.crossJvmCycleCount());
        assertEquals("jlockdep: 2 findings in 4 JVMs (1 is a cycle across JVMs that no single JVM saw)", run.summary());

        String text = run.text();
        assertTrue(text.startsWith(run.summary() + "\n\n=== " + live + " (pid 1): 1 finding\n"), text);
        assertTrue(text.contains("WARNING: possible circular locking dependency detected <live>\n"), text);
        int across = text.indexOf("=== across JVMs (merged lock graphs): 1 cycle that no single JVM saw\n");
        assertTrue(across > 0, text);
        assertTrue(text.indexOf("recorded in " + half1 + " (pid 2)", across) > 0, text);
        assertTrue(text.endsWith("\n3 JVMs reported no finding of their own.\n"), text);
        assertTrue(run.html().startsWith("<!DOCTYPE html>"));
    }

    @Test
    void aCleanRunSaysSoInOneLine() throws Exception {
        RunReport run = read(write(dir.resolve("a.json"), header(1), graph(1, "1>2")),
                write(dir.resolve("b.json"), header(2), graph(2, "2>3")));
        assertEquals(0, run.findingCount());
        assertEquals("jlockdep: no findings in 2 JVMs, and no cycle across them", run.summary());
        assertEquals(run.summary() + "\n", run.text());
    }

    @Test
    void aJvmThatWroteNoGraphIsNamedAndItsFindingsStillCount() throws Exception {
        Path killed = write(dir.resolve("killed.json"), header(7), finding(7));
        RunReport run = read(killed);
        assertEquals(1, run.findingCount());
        assertEquals(List.of(killed + ": pid 7 has no graph record (the JVM did not exit normally); its findings are"
                + " shown without its dependencies"), run.gaps());
        assertTrue(run.text().startsWith("jlockdep: 1 finding in 1 JVM\njlockdep: " + killed + ": pid 7 has no graph"),
                run.text());
    }

    @Test
    void aForeignFileIsOneLine() throws Exception {
        Path foreign = write(dir.resolve("x.json"), "{\"hello\":1}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> read(foreign));
        assertTrue(e.getMessage().startsWith(foreign + ": "), e.getMessage());
    }
}
