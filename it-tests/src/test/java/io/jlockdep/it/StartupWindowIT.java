package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.StartupInversions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * By default every lock is checked from the first line of main, JDK classes loaded before the agent included: real
 * inversions there are reported in every run, not only when a background rewrite happens to win the race. Each JVM
 * runs with the default start-up; the first finds an empty cache directory, the others read what it learnt.
 */
class StartupWindowIT {
    private static final int RUNS = 5;

    @Test
    void inversionsOnTheFirstLinesOfMainAreFoundEveryTime(@TempDir Path cache) throws Exception {
        for (int run = 1; run <= RUNS; run++) {
            assertBothFound(Jvm.withAgent("cache=" + cache).main(StartupInversions.class).run(), "run " + run);
            if (run == 1) {
                try (Stream<Path> files = Files.list(cache)) {
                    assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".cache")),
                            "the first run wrote what it learnt about the JDK");
                }
            }
        }
    }

    @Test
    void aWarmJvmTakesTheJdkClassesItRewritesFromTheCache(@TempDir Path cache) throws Exception {
        Jvm.withAgent("cache=" + cache + ",debug=true").main(StartupInversions.class).run();
        Jvm.Result warm = Jvm.withAgent("cache=" + cache + ",debug=true").main(StartupInversions.class).run();
        assertEquals(2, warm.count(Reports.CIRCULAR), warm::toString);
        for (String jdkClass : new String[] {"java.util.Hashtable", "java.lang.StringBuffer", "java.util.concurrent"
                + ".locks.ReentrantLock"}) {
            assertFalse(warm.stderr.contains("cache: " + jdkClass + " (retransformed) was not in the cache"),
                    jdkClass + "\n" + warm);
        }
    }

    @Test
    void withoutTheCacheToo() throws Exception {
        assertBothFound(Jvm.withAgent("cache=off").main(StartupInversions.class).run(), "cache=off");
    }

    private static void assertBothFound(Jvm.Result r, String which) {
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished: true"), r::toString);
        assertEquals(2, r.count(Reports.CIRCULAR), which + "\n" + r);
        // each pair is classed by where it was made: the Hashtables on lines 12 and 13, the StringBuffers on 17 and 18
        Reports.assertInOrder(r, "(Hashtable@StartupInversions.java:1", "java.util.Hashtable.equals(",
                "io.jlockdep.it.apps.StartupInversions.main(");
        Reports.assertInOrder(r, "(StringBuffer@StartupInversions.java:1", "java.lang.StringBuffer.append(",
                "io.jlockdep.it.apps.StartupInversions.main(");
        Reports.assertOnlyTheSummaryLine(r);
    }
}
