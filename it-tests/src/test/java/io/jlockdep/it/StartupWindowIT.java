package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.StartupInversions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * By default every lock is checked from the first line of main, JDK classes loaded before the agent included: real
 * inversions there are reported in every run, not only when a background rewrite happens to win the race. The agent's
 * cache of which JDK classes take monitors only ever makes start-up faster: a cold, warm, damaged, shared or unusable
 * cache finds the same.
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
        assertBothFound(Jvm.withAgent("cache=" + cache).main(StartupInversions.class).run());
        assertEquals(1, files(cache).size(), "the first JVM wrote what it learnt");
        Jvm.Result warm = Jvm.withAgent("cache=" + cache + ",debug=true").main(StartupInversions.class).run();
        assertTrue(warm.stderr.contains("jlockdep: debug: cache: read " + files(cache).get(0)), warm::toString);
        assertEquals(2, warm.count(Reports.CIRCULAR), warm::toString);
        assertBothFound(Jvm.withAgent("cache=off").main(StartupInversions.class).run());
    }

    @Test
    void aRenamedAgentJarHasItsCacheToo(@TempDir Path dir) throws Exception {
        Path renamed = Files.copy(Jvm.AGENT, dir.resolve("agent.jar"));
        Path cache = dir.resolve("cache");
        assertBothFound(Jvm.withAgentJar(renamed, "cache=" + cache).main(StartupInversions.class).run());
        Jvm.Result warm = Jvm.withAgentJar(renamed, "cache=" + cache + ",debug=true").main(StartupInversions.class).run();
        assertTrue(warm.stderr.contains("jlockdep: debug: cache: read " + files(cache).get(0)), warm::toString);
    }

    @Test
    void aDamagedCacheFileIsReplacedSilently(@TempDir Path cache) throws Exception {
        Jvm.withAgent("cache=" + cache).main(StartupInversions.class, "consistent").run();
        Path file = files(cache).get(0);
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
    void jvmsStartingTogetherShareOneCache(@TempDir Path cache) throws Exception {
        List<Jvm.Running> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(Jvm.withAgent("cache=" + cache).main(StartupInversions.class).start());
        }
        for (Jvm.Running jvm : running) {
            assertBothFound(jvm.finish());
        }
        assertEquals(1, files(cache).size(), "one whole file, no temporary file left");
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
