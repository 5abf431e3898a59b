package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.StartupInversions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * By default every lock is checked from the first line of main, JDK classes loaded before the agent included: real
 * inversions there are reported in every run, not only when a background rewrite happens to win the race. The agent's
 * cache of which JDK classes take monitors, and of those classes as it rewrote them, only ever makes start-up faster: a
 * cold, warm, damaged, shared or unusable cache finds the same, with the same sites in the same reports.
 */
class StartupWindowIT {

    @Test
    void inversionsOnTheFirstLinesOfMainAreFoundByDefault() throws Exception {
        assertBothFound(Jvm.withAgent(null).main(StartupInversions.class).run());
    }

    @Test
    void aProgramWithoutInversionsPrintsOnlyTheSummary() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(StartupInversions.class, "consistent").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished: true"), r::toString);
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertOnlyTheSummaryLine(r);
    }

    @Test
    void aColdThenAWarmCacheFindTheSame(@TempDir Path cache) throws Exception {
        Jvm.Result cold = Jvm.withAgent("cache=" + cache).main(StartupInversions.class).run();
        assertBothFound(cold);
        assertEquals(2, files(cache).size(), "the first JVM wrote what it learnt: verdicts and rewritten classes");
        Jvm.Result warm = Jvm.withAgent("cache=" + cache + ",debug=true").main(StartupInversions.class).run();
        assertTrue(warm.stderr.contains("jlockdep: debug: cache: read " + file(cache, ".classes")), warm::toString);
        assertTrue(warm.stderr.contains("jlockdep: debug: cache: read " + file(cache, ".rewritten")), warm::toString);
        assertTrue(fromRewrittenCache(warm) > 10, "the JDK classes with monitors came from the cache: " + warm);
        assertBothFound(withoutDebugLines(warm));
        // the same reports, line for line: the cached bytes' site ids name the same JDK lines as freshly rewritten ones
        assertEquals(reports(cold), reports(warm));
        assertEquals(reports(cold), reports(Jvm.withAgent("cache=off").main(StartupInversions.class).run()));
    }

    @Test
    void otherRewritingOptionsHaveTheirOwnRewrittenClasses(@TempDir Path cache) throws Exception {
        Jvm.withAgent("cache=" + cache).main(StartupInversions.class).run();
        Jvm.Result lockstat = Jvm.withAgent("cache=" + cache + ",debug=true,lockstat=true")
                .main(StartupInversions.class).run();
        assertEquals(0, fromRewrittenCache(lockstat), "lock statistics rewrite the lock classes otherwise: " + lockstat);
        assertEquals(2, lockstat.count(Reports.CIRCULAR), lockstat::toString);
        assertEquals(3, files(cache).size(), files(cache)::toString);
        Jvm.Result again = Jvm.withAgent("cache=" + cache + ",debug=true,lockstat=true")
                .main(StartupInversions.class).run();
        assertTrue(fromRewrittenCache(again) > 10, "their own file: " + again);
        assertEquals(2, again.count(Reports.CIRCULAR), again::toString);
    }

    @Test
    void aRenamedAgentJarHasItsCacheToo(@TempDir Path dir) throws Exception {
        Path renamed = Files.copy(Jvm.AGENT, dir.resolve("agent.jar"));
        Path cache = dir.resolve("cache");
        assertBothFound(Jvm.withAgentJar(renamed, "cache=" + cache).main(StartupInversions.class).run());
        Jvm.Result warm = Jvm.withAgentJar(renamed, "cache=" + cache + ",debug=true").main(StartupInversions.class).run();
        assertTrue(warm.stderr.contains("jlockdep: debug: cache: read " + file(cache, ".classes")), warm::toString);
        assertTrue(fromRewrittenCache(warm) > 10, warm::toString);
    }

    @Test
    void aDamagedCacheFileIsReplacedSilently(@TempDir Path cache) throws Exception {
        Jvm.withAgent("cache=" + cache).main(StartupInversions.class, "consistent").run();
        Path file = file(cache, ".classes");
        String text = Files.readString(file);
        for (String damaged : new String[] {"", text.substring(0, text.length() / 2), text.replace('+', '-'),
            "\u0000garbage\n"}) {
            Files.writeString(file, damaged);
            assertBothFound(Jvm.withAgent("cache=" + cache).main(StartupInversions.class).run());
            String rewritten = Files.readString(file);
            assertTrue(rewritten.startsWith("jlockdep-jdk-classes ") && rewritten.contains("\nend "), rewritten);
        }
    }

    @Test
    void aDamagedRewrittenClassFileIsReplaced(@TempDir Path cache) throws Exception {
        Jvm.withAgent("cache=" + cache).main(StartupInversions.class, "consistent").run();
        Path file = file(cache, ".rewritten");
        byte[] good = Files.readAllBytes(file);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10; // inside some class's bytes
        for (byte[] damaged : new byte[][] {new byte[0], Arrays.copyOf(good, good.length / 2), flipped,
            "\u0000garbage\n".getBytes(StandardCharsets.UTF_8)}) {
            Files.write(file, damaged);
            Jvm.Result r = Jvm.withAgent("cache=" + cache + ",debug=true").main(StartupInversions.class).run();
            assertTrue(r.stderr.contains("jlockdep: debug: cache: ignoring " + file), r::toString);
            assertEquals(0, fromRewrittenCache(r), r::toString);
            assertBothFound(withoutDebugLines(r));
            Jvm.Result next = Jvm.withAgent("cache=" + cache + ",debug=true").main(StartupInversions.class).run();
            assertTrue(fromRewrittenCache(next) > 10, "replaced by a whole file: " + next);
            assertBothFound(withoutDebugLines(next));
        }
    }

    @Test
    void jvmsStartingTogetherShareOneCache(@TempDir Path cache) throws Exception {
        List<Jvm.Running> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(Jvm.withAgent("cache=" + cache).main(StartupInversions.class).start());
        }
        for (Jvm.Running jvm : running) {
            assertBothFound(jvm.finish());
        }
        assertEquals(2, files(cache).size(), "whole files, no temporary file left: " + files(cache));
        Jvm.Result next = Jvm.withAgent("cache=" + cache + ",debug=true").main(StartupInversions.class).run();
        assertTrue(next.stderr.contains("jlockdep: debug: cache: read "), next::toString);
        assertFalse(next.stderr.contains("jlockdep: debug: cache: ignoring"), next::toString);
    }

    @Test
    void anUnwritableHomeOnlyCostsTime(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("home"), "a file, not a directory");
        // the default place, under a home that cannot hold it: nothing to say, the program is checked all the same
        assertBothFound(Jvm.withAgent(null).env("XDG_CACHE_HOME", null)
                .jvmOption("-Duser.home=" + notADirectory).main(StartupInversions.class).run());
        // a directory the user asked for: one line says why it is not used
        Jvm.Result asked = Jvm.withAgent("cache=" + notADirectory.resolve("cache")).main(StartupInversions.class).run();
        assertEquals(0, asked.exitCode, asked::toString);
        assertEquals(2, asked.count(Reports.CIRCULAR), asked::toString);
        List<String> own = asked.stderr.lines().filter(l -> l.startsWith("jlockdep: ")
                && !Reports.SUMMARY.matcher(l).matches()).collect(Collectors.toList());
        assertEquals(1, own.size(), asked::toString);
        assertTrue(own.get(0).startsWith("jlockdep: option 'cache': not using " + notADirectory.resolve("cache")),
                asked::toString);
    }

    /** What the debug line after the classes loaded before the agent says came from the rewritten-class cache. */
    private static int fromRewrittenCache(Jvm.Result r) {
        Matcher m = Pattern.compile("jlockdep: debug: cache: (\\d+) classes from the rewritten-class cache")
                .matcher(r.stderr);
        assertTrue(m.find(), r::toString);
        return Integer.parseInt(m.group(1));
    }

    private static Jvm.Result withoutDebugLines(Jvm.Result r) {
        return new Jvm.Result(r.command, r.exitCode, r.stdout, r.stderr.lines()
                .filter(l -> !l.startsWith("jlockdep: debug: ")).collect(Collectors.joining("\n", "", "\n")),
                r.timedOut, r.killedAfterMatch);
    }

    /** The reports, without debug lines and with the objects' identity hashes (which differ from run to run) blanked. */
    private static String reports(Jvm.Result r) {
        return r.stderr.lines().filter(l -> !l.startsWith("jlockdep: debug: "))
                .map(l -> l.replaceAll("\\b[0-9a-f]{8}\\b", "########")).collect(Collectors.joining("\n"));
    }

    private static Path file(Path dir, String suffix) throws Exception {
        List<Path> named = files(dir).stream().filter(p -> p.toString().endsWith(suffix)).collect(Collectors.toList());
        assertEquals(1, named.size(), () -> "one " + suffix + " file in " + named);
        return named.get(0);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toList());
        }
    }

    private static void assertBothFound(Jvm.Result r) {
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished: true"), r::toString);
        assertEquals(2, r.count(Reports.CIRCULAR), r::toString);
        // each pair is classed by where it was made, in main
        Reports.assertInOrder(r, "(Hashtable@StartupInversions.java:", "java.util.Hashtable.equals(",
                "io.jlockdep.it.apps.StartupInversions.main(");
        Reports.assertInOrder(r, "(StringBuffer@StartupInversions.java:", "java.lang.StringBuffer.append(",
                "io.jlockdep.it.apps.StartupInversions.main(");
        Reports.assertOnlyTheSummaryLine(r);
    }
}
