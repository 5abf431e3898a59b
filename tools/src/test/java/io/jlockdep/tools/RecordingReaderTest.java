package io.jlockdep.tools;

import static io.jlockdep.tools.Files.finding;
import static io.jlockdep.tools.Files.graph;
import static io.jlockdep.tools.Files.header;
import static io.jlockdep.tools.Files.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.graph.GraphSnapshot;
import io.jlockdep.runtime.graph.MergedGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingReaderTest {
    @TempDir
    Path dir;

    private final MergedGraph merged = new MergedGraph();

    private List<Recording> read(Path... files) throws BadInputException {
        List<String> names = new java.util.ArrayList<>();
        for (Path p : files) {
            names.add(p.toString());
        }
        return RecordingReader.readAll(names, merged);
    }

    @Test
    void readsTheHeaderTheFindingsAndTheGraphOfAJvm() throws Exception {
        Path f = write(dir.resolve("x.json"), header(11), finding(11), graph(11, "1>2"));
        List<Recording> rs = read(f);
        assertEquals(1, rs.size());
        Recording r = rs.get(0);
        assertEquals(11, r.pid);
        assertEquals("0.1.0", r.version);
        assertEquals("OpenJDK 64-Bit Server VM 17.0.15", r.jvm);
        assertEquals("com.x.Main", r.main);
        assertEquals("2025-01-02T03:04:05.678Z", r.startTime);
        assertEquals(f + " (pid 11)", r.label);
        assertEquals(1, r.findings.size());
        assertTrue(r.hasGraph() && r.graphComplete);
        GraphSnapshot g = merged.snapshot();
        assertEquals(3, g.nodes().size());
        assertEquals(1, g.edges().size());
        assertEquals(List.of(f + " (pid 11)"), g.edges().get(0).sources());
        assertEquals("com.x.Bank.move12(Bank.java:31)", g.edges().get(0).takenAt());
    }

    @Test
    void jvmsThatAppendedToOneFileAreToldApartByPid() throws Exception {
        Path f = write(dir.resolve("shared.json"), header(1), header(2), finding(2), graph(1, "1>2"), graph(2, "2>1"));
        List<Recording> rs = read(f);
        assertEquals(2, rs.size());
        assertEquals(0, rs.get(0).findings.size());
        assertEquals(1, rs.get(1).findings.size());
        assertEquals(1, merged.crossInputCycles().size(), "each JVM is an input of its own");
    }

    @Test
    void aJvmStartedAgainWithTheSamePidIsANewRecording() throws Exception {
        Path f = write(dir.resolve("again.json"), header(5), graph(5, "1>2"), header(5), graph(5, "2>1"));
        List<Recording> rs = read(f);
        assertEquals(2, rs.size());
        assertEquals(f + " (pid 5, started 2025-01-02T03:04:05.678Z)", rs.get(1).label);
    }

    @Test
    void recordTypesAndMembersOfLaterVersionsAreSkippedAndWindowsLineEndsAccepted() throws Exception {
        Path f = write(dir.resolve("later.json"), header(3).replace("\"main\"", "\"future\":[1,2],\"main\"")
                .replace("\n", "\r\n"), "{\"type\":\"gauge\",\"pid\":3,\"value\":7}\r\n", "\r\n", graph(3, "1>2"));
        List<Recording> rs = read(f);
        assertEquals(1, rs.size());
        assertTrue(rs.get(0).hasGraph());
    }

    @Test
    void aJvmThatDidNotExitHasFindingsButNoGraph() throws Exception {
        List<Recording> rs = read(write(dir.resolve("killed.json"), header(9), finding(9)));
        assertEquals(1, rs.get(0).findings.size());
        assertTrue(!rs.get(0).hasGraph());
    }

    @Test
    void missingTruncatedForeignAndMalformedFilesAreRefusedInOneLine() throws Exception {
        String g = graph(1, "1>2");
        assertRefused(dir.resolve("absent.json"), "no such file");
        assertRefused(dir, "is a directory, not a jlockdep JSON file");
        assertRefused(write(dir.resolve("empty.json")),
                "the file is empty: nothing was ever written to it, or it is not a jlockdep JSON file");
        assertRefused(write(dir.resolve("blank.json"), "\n\n"), "not a jlockdep JSON file (no header record)");
        assertRefused(write(dir.resolve("package.json"), "{\n  \"name\": \"x\"\n}\n"),
                "not a jlockdep JSON file (line 1 is not a JSON record: column 2: expected a member name in double"
                        + " quotes but found the end of the text)");
        assertRefused(write(dir.resolve("other.json"), "{\"type\":\"header\",\"format\":\"other-tool\"}\n"),
                "not a jlockdep JSON file (line 1 is not a jlockdep header record)");
        assertRefused(write(dir.resolve("list.json"), "[1,2]\n"), "not a jlockdep JSON file (line 1 is not a JSON object)");
        assertRefused(write(dir.resolve("data.csv"), "a,b\n1,2\n"),
                "not a jlockdep JSON file (line 1 is not a JSON record: column 1: expected a value but found 'a')");
        Path png = dir.resolve("image.json");
        java.nio.file.Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', (byte) 0xff});
        assertRefused(png, "not a jlockdep JSON file (not UTF-8 text)");

        assertRefused(write(dir.resolve("cut.json"), header(1), g.substring(0, g.length() / 2)),
                "truncated: the last record (line 2) is cut off (column " + (g.length() / 2 + 1)
                        + ": the text ends inside a string)");
        assertRefused(write(dir.resolve("garbage.json"), header(1), "}{\n", g),
                "line 2: not a JSON record (column 1: expected a value but found '}')");
        Path badBytes = dir.resolve("bytes.json");
        java.nio.file.Files.write(badBytes, (header(1) + "{\"type\":\"x\",\"v\":\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.nio.file.Files.write(badBytes, new byte[] {(byte) 0xc3, '"', '}', '\n'}, java.nio.file.StandardOpenOption.APPEND);
        assertRefused(badBytes, "line 2: not UTF-8 text");
        assertRefused(write(dir.resolve("newer.json"), header(1).replace("\"formatVersion\":1", "\"formatVersion\":2")),
                "written by a newer jlockdep (format version 2); this one reads format version 1");
        assertRefused(write(dir.resolve("orphan.json"), header(1), finding(2)),
                "line 2: a record of pid 2, which has no header record before it");
        assertRefused(write(dir.resolve("twice.json"), header(1), g, g), "line 3: a second graph record for pid 1");
        assertRefused(write(dir.resolve("dangling.json"), header(1), graph(1, "1>9")),
                "line 2: graph record, dependency 1: dependency names class id 9, which is not in the classes");
        assertRefused(write(dir.resolve("notext.json"), header(1), finding(1).replaceAll(",\"text\":\".*\"}", "}")),
                "line 2: finding record: \"text\" is missing");
        assertRefused(write(dir.resolve("badlink.json"), header(1), finding(1).replaceFirst("\"stack\":\\[", "\"stack\":[7,")),
                "line 2: finding record, chain link 1: \"stack\" must be an array of strings");
        assertRefused(write(dir.resolve("notype.json"), header(1), "{\"pid\":1}\n"), "line 2: a record without a \"type\"");
        assertRefused(write(dir.resolve("nopid.json"), header(1).replace("\"pid\":1,", "")),
                "line 1: header record: \"pid\" is missing");
    }

    private void assertRefused(Path file, String what) {
        BadInputException e = assertThrows(BadInputException.class, () -> read(file));
        assertEquals(file + ": " + what, e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }
}
