package io.jlockdep.tools;

import static io.jlockdep.tools.Files.finding;
import static io.jlockdep.tools.Files.graph;
import static io.jlockdep.tools.Files.header;
import static io.jlockdep.tools.Files.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user runs them: exit status, standard output, standard error. */
class ToolsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].toString();
        }
        return new Tools(out, err).command(a);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path abbaHalf(String name, long pid, String order) throws Exception {
        return write(dir.resolve(name), header(pid), graph(pid, order));
    }

    @Test
    void mergeReportsTheCycleThatOnlyTheUnionHasAndExitsOne() throws Exception {
        Path a = abbaHalf("a.json", 101, "1>2");
        Path b = abbaHalf("b.json", 202, "2>1");
        assertEquals(Tools.FOUND, run("merge", a, b), err());
        String text = out();
        assertEquals("", err());
        assertTrue(text.contains("WARNING: possible circular locking dependency detected"), text);
        assertTrue(text.contains("recorded in " + b + " (pid 202), thread main/1:\n       "
                + "java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:322)\n       com.x.Bank.move21(Bank.java:31)"), text);
        assertTrue(text.contains("recorded in " + a + " (pid 101), thread main/1:\n       "
                + "java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:322)\n       com.x.Bank.move12(Bank.java:31)"), text);
        assertTrue(text.endsWith("\njlockdep merge: 1 cycle across 2 JVMs that no single JVM saw\n"), text);
    }

    @Test
    void mergeOfConsistentFilesSaysSoInOneLineAndExitsZero() throws Exception {
        assertEquals(Tools.OK, run("merge", abbaHalf("a.json", 1, "1>2"), abbaHalf("b.json", 2, "2>3"),
                abbaHalf("c.json", 3, "1>3")));
        assertEquals("jlockdep merge: no cycle across the 3 JVMs that a single JVM did not see (3 lock classes, 3"
                + " dependencies)\n", out());
        assertEquals("", err());
    }

    @Test
    void mergeDoesNotRepeatWhatAJvmReportedLive() throws Exception {
        Path both = write(dir.resolve("both.json"), header(1), finding(1), graph(1, "1>2", "2>1"));
        assertEquals(Tools.OK, run("merge", both, abbaHalf("b.json", 2, "2>1")));
        assertTrue(out().startsWith("jlockdep merge: no cycle across the 2 JVMs"), out());
    }

    @Test
    void mergeRefusesAJvmWithoutItsGraphSinceItsOrdersAreUnknown() throws Exception {
        Path killed = write(dir.resolve("killed.json"), header(7), finding(7));
        assertEquals(Tools.BAD_INPUT, run("merge", abbaHalf("a.json", 1, "1>2"), killed));
        assertEquals("jlockdep merge: " + killed + ": pid 7 has no graph record: the JVM did not exit normally (or is"
                + " still running), so its lock graph was never written\n", err());
        assertEquals("", out());
    }

    @Test
    void badInputIsOneLineNamingTheFileAndExitsTwo() throws Exception {
        Path missing = dir.resolve("missing.json");
        for (String command : new String[] {"merge", "html", "dot"}) {
            out.reset();
            err.reset();
            assertEquals(Tools.BAD_INPUT, run(command, abbaHalf("ok.json", 1, "1>2"), missing));
            assertEquals("jlockdep " + command + ": " + missing + ": no such file\n", err());
            assertEquals("", out());
        }
        err.reset();
        Path foreign = write(dir.resolve("foreign.json"), "{\"name\":\"some-package\",\"version\":\"1.0.0\"}\n");
        assertEquals(Tools.BAD_INPUT, run("html", foreign, "-o", dir.resolve("r.html")));
        assertEquals("jlockdep html: " + foreign + ": not a jlockdep JSON file (line 1 is not a jlockdep header record)\n", err());
        assertFalse(java.nio.file.Files.exists(dir.resolve("r.html")), "nothing written");
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        assertEquals(Tools.BAD_INPUT, run("merge"));
        assertEquals("jlockdep merge: no input: give one or more JSON files written with json=<file>\n", err());
        err.reset();
        assertEquals(Tools.BAD_INPUT, run("merge", "-o", "x"));
        assertEquals("jlockdep merge: unknown option '-o'; its options are --suppress\n", err());
        err.reset();
        assertEquals(Tools.BAD_INPUT, run("html", "a.json", "-o"));
        assertEquals("jlockdep html: -o needs a file name\n", err());
        err.reset();
        assertEquals(Tools.BAD_INPUT, run("frobnicate"));
        assertEquals("jlockdep: unknown command 'frobnicate'; commands are merge, html, dot, sarif, baseline, version"
                + " and help\n",
                err());
        err.reset();
        Path a = abbaHalf("a.json", 1, "1>2");
        assertEquals(Tools.BAD_INPUT, run("dot", a, "-o", dir.resolve("no/such/dir/out.dot")));
        assertEquals("jlockdep dot: " + dir.resolve("no/such/dir/out.dot") + ": cannot write it (no such directory: "
                + dir.resolve("no/such/dir") + ")\n", err());
    }

    @Test
    void usageWithoutArgumentsOrWithHelp() {
        assertEquals(Tools.BAD_INPUT, run());
        assertTrue(err().startsWith("Usage: java -jar jlockdep-agent.jar <command> [arguments]"), err());
        assertEquals(Tools.OK, run("help"));
        assertTrue(out().contains("  merge <file.json>..."), out());
        assertTrue(out().contains("Agent options:\n" + Options.help()), out());
    }

    @Test
    void versionAndDashDashVersionPrintTheBuiltVersion() {
        assertEquals(Tools.OK, run("--version"));
        String line = out();
        assertTrue(line.matches("jlockdep \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), line);
        out.reset();
        assertEquals(Tools.OK, run("version"));
        assertEquals(line, out());
        assertEquals("", err());
    }

    @Test
    void htmlIsOneSelfContainedPageWithTheGraphAndEveryFinding() throws Exception {
        Path a = write(dir.resolve("a.json"), header(1), finding(1), graph(1, "1>2", "2>1", "1>3"));
        Path b = abbaHalf("b.json", 2, "3>1");
        Path page = dir.resolve("report.html");
        assertEquals(Tools.OK, run("html", a, b, "-o", page));
        assertEquals("", out());
        assertEquals("", err());
        String html = java.nio.file.Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("://"), "no URL at all: " + urls(html));
        assertFalse(Pattern.compile("<(link|img|iframe)|\\ssrc=").matcher(html).find(), "nothing loaded from elsewhere");
        assertTrue(html.contains("<svg class=\"graph\" id=\"cycle-graph\""), "the cyclic part first");
        assertTrue(html.indexOf("id=\"cycle-graph\"") < html.indexOf("id=\"findings\""));
        assertTrue(html.contains("<svg class=\"graph\" id=\"all-graph\""));
        for (String name : new String[] {"Bank.A", "Bank.B", "Bank.C"}) {
            assertTrue(html.contains(">" + name + "</text>"), name);
        }
        assertTrue(html.contains("g.node.cycle rect { fill: #fde2e1; stroke: " + HtmlReport.CYCLE_COLOUR));
        assertEquals(8, count(html, "<g class=\"edge cycle\""),
                "A→B, B→A (reported live) and A→C, C→A (across JVMs), in both drawings");
        assertTrue(html.contains("<span class=\"badge across\">across JVMs</span>"));
        assertTrue(html.contains("<span class=\"badge\">" + a + " (pid 1)</span>"), "the live finding, by its JVM");
        assertTrue(html.contains("dependency detected &lt;live&gt;"), "text is escaped");
        assertTrue(html.contains("<script>") && html.contains("</html>"));
    }

    @Test
    void htmlNamesTheLocksOfEveryFindingAsTheMergedGraphDoes() throws Exception {
        Path a = abbaHalf("a.json", 1, "1>3");
        // Another program's classes with the same names: keyed by other fields, so other classes.
        Path b = write(dir.resolve("b.json"), (header(2) + finding(2) + graph(2, "1>2", "2>1")).replace("com/x/Bank", "com/y/Bank"));
        assertEquals(Tools.OK, run("html", a, b));
        assertTrue(out().contains("<span class=\"lock\">Bank.B#2</span> &rarr; <span class=\"lock\">Bank.A#2</span>"), out());
        assertTrue(out().contains(">Bank.A#2</text>"));
    }

    @Test
    void htmlShowsWhatAKilledJvmFoundAndSaysItsGraphIsMissing() throws Exception {
        Path killed = write(dir.resolve("killed.json"), header(7), finding(7));
        assertEquals(Tools.OK, run("html", killed));
        assertEquals("jlockdep html: " + killed + ": pid 7 has no graph record (the JVM did not exit normally);"
                + " its findings are shown without its dependencies\n", err());
        assertTrue(out().contains("missing: the JVM did not exit normally"));
        assertTrue(out().contains("WARNING: possible circular locking dependency detected"));
    }

    @Test
    void dotDrawsEveryDependencyWithCyclesInRed() throws Exception {
        assertEquals(Tools.OK, run("dot", abbaHalf("a.json", 1, "1>2", "1>3"), abbaHalf("b.json", 2, "2>1")));
        String dot = out();
        assertTrue(dot.contains("digraph jlockdep {"), dot);
        assertTrue(dot.contains("  n1 [label=\"Bank.A\\nReentrantLock\", tooltip=\"allocated at com.x.Bank.<init>(Bank.java:1)\","
                + " color=\"#d62728\""), dot);
        assertTrue(Pattern.compile("n1 -> n2 \\[label=\"EN\", tooltip=\"[^\"]*\", color=\"#d62728\"").matcher(dot).find(), dot);
        assertTrue(Pattern.compile("n2 -> n1 \\[[^\\]]*color=\"#d62728\"").matcher(dot).find(), dot);
        assertTrue(Pattern.compile("n1 -> n3 \\[label=\"EN\", tooltip=\"main/1 at com.x.Bank.move13\\(Bank.java:31\\) \\([^)]*a.json \\(pid 1\\)\\)\"\\];")
                .matcher(dot).find(), dot);
        assertTrue(dot.trim().endsWith("}"));
    }

    @Test
    void sarifHasOneRuleAndOneResultPerFindingLocatedByPackageWhenNoSourceIsFound() throws Exception {
        Path live = write(dir.resolve("live.json"), header(1), finding(1), graph(1, "1>2", "2>1"));
        assertEquals(Tools.OK, run("sarif", live, abbaHalf("b.json", 2, "2>3"), abbaHalf("c.json", 3, "3>1"),
                "--source-root", dir));
        assertEquals("", err());
        Map<String, Object> log = parse(out());
        assertEquals("2.1.0", log.get("version"));
        assertEquals("jlockdep", at(log, "runs", 0, "tool", "driver", "name"));
        List<Object> results = at(log, "runs", 0, "results");
        assertEquals(2, results.size(), "the cycle across b and c, then the live finding: " + out());
        assertTrue(at(results, 0, "message", "text").toString().startsWith("possible circular locking dependency: "));
        assertEquals("com/x/Bank.java", at(results, 1, "locations", 0, "physicalLocation", "artifactLocation", "uri"));
        assertEquals(40L, (Object) at(results, 1, "locations", 0, "physicalLocation", "region", "startLine"));
        assertEquals("Possible circular locking dependency",
                at(log, "runs", 0, "tool", "driver", "rules", 0, "shortDescription", "text"));
    }

    @Test
    void sarifFindsTheSourceFileUnderTheRootAndPrefersMainSources() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("mod/src/test/java/com/x"));
        java.nio.file.Files.createDirectories(dir.resolve("mod/src/main/java/com/x"));
        java.nio.file.Files.createDirectories(dir.resolve("mod/target/classes/com/x"));
        write(dir.resolve("mod/src/test/java/com/x/Bank.java"), "class Bank {}\n");
        write(dir.resolve("mod/src/main/java/com/x/Bank.java"), "class Bank {}\n");
        write(dir.resolve("mod/target/classes/com/x/Bank.java"), "class Bank {}\n");
        SourceFiles sources = new SourceFiles(dir);
        assertEquals("mod/src/main/java/com/x/Bank.java", sources.uriOf("com.x.Bank$Inner", "Bank.java"));
        assertEquals("java/util/Vector.java", sources.uriOf("java.util.Vector", "Vector.java"));
        assertEquals("com/y/My%20File.kt", sources.uriOf("com.y.Thing", "My File.kt"));
        assertEquals("com/y/Outer.java", sources.uriOf("com.y.Outer$Inner", null));
    }

    @Test
    void baselineListsEveryFindingWithItsHeadlineAndMergeSuppressesWhatItLists() throws Exception {
        Path b = abbaHalf("b.json", 2, "1>2");
        Path c = abbaHalf("c.json", 3, "2>1");
        assertEquals(Tools.OK, run("baseline", b, c));
        String baseline = out();
        assertTrue(baseline.startsWith("# jlockdep suppression file"), baseline);
        Matcher id = Pattern.compile("\n(circular-dependency-[0-9a-f]{16}) baseline: possible circular locking"
                + " dependency: Bank\\.[AB] -> Bank\\.[AB] -> Bank\\.[AB]").matcher(baseline);
        assertTrue(id.find(), baseline);
        Path file = write(dir.resolve("accepted.txt"), baseline);
        out.reset();
        assertEquals(Tools.OK, run("merge", "--suppress", file, b, c));
        assertEquals("jlockdep merge: no cycle across the 2 JVMs that a single JVM did not see (3 lock classes, 2"
                + " dependencies); 1 suppressed\n", out());
        out.reset();
        assertEquals(Tools.FOUND, run("merge", b, c));
        assertTrue(out().contains("finding id: " + id.group(1) + " ("), out());

        err.reset();
        Path broken = write(dir.resolve("broken.txt"), "Bank.A because\n");
        assertEquals(Tools.BAD_INPUT, run("merge", "--suppress", broken, b, c));
        assertTrue(err().startsWith("jlockdep merge: " + broken + ": line 1: 'Bank.A' is not a finding id"), err());
    }

    @Test
    void outputThatCannotBeWrittenIsOneLineAndExitsTwo() throws Exception {
        Path a = abbaHalf("a.json", 1, "1>2");
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        for (String command : new String[] {"merge", "dot", "html", "sarif", "baseline", "help"}) {
            err.reset();
            assertEquals(Tools.BAD_INPUT, new Tools(full, err).command(new String[] {command, a.toString()}),
                    command);
            assertEquals("jlockdep " + command + ": cannot write to standard output (No space left on device)\n",
                    err());
        }
    }

    @Test
    void aFirstLineLongerThanAnyHeaderIsRefusedBeforeItIsReadWhole() throws Exception {
        Path long1 = write(dir.resolve("long.json"), "{\"type\":\"header\",\"pad\":\"" + "x".repeat(70_000) + "\"}\n");
        assertEquals(Tools.BAD_INPUT, run("merge", long1));
        assertEquals("jlockdep merge: " + long1 + ": not a jlockdep JSON file (line 1 is longer than 64 KiB; a header"
                + " record is a few hundred bytes)\n", err());
    }

    private static Map<String, Object> parse(String json) throws JsonReader.SyntaxException {
        return Files.record(json.strip());
    }

    private static <T> T at(Object o, Object... path) {
        return Files.at(o, path);
    }

    private Path abbaHalf(String name, long pid, String... orders) throws Exception {
        return write(dir.resolve(name), header(pid), graph(pid, orders));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static String urls(String html) {
        Matcher m = Pattern.compile(".{0,40}://.{0,40}").matcher(html);
        return m.find() ? m.group() : "";
    }
}
