package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.StartupInversions;
import java.nio.file.Files;
import java.nio.file.Path;
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
                assertTrue(Files.list(cache).anyMatch(f -> f.getFileName().toString().endsWith(".cache")),
                        "the first run wrote what it learnt about the JDK");
            }
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
        assertTrue(r.stderr.contains("java.util.Hashtable") && r.stderr.contains("java.lang.StringBuffer"),
                which + "\n" + r);
        assertFalse(r.stderr.contains("jlockdep: "), "no message of jlockdep's own expected\n" + r);
    }
}
