package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.LoadAll;
import io.jlockdep.it.apps.OtherCompilers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real bytecode the agent was not written against, from Maven Central: Java 1.1 to 1.4 class files (JUnit 3, log4j
 * 1.2, Commons Collections 3), and classes compiled by Kotlin, Scala and Groovy. Every class loads and links under the
 * agent exactly as it does without it; monitor code from those compilers runs and is checked.
 */
class BytecodeCorpusIT {
    static final Path CORPUS = Paths.get(System.getProperty("jlockdep.corpus.dir", "target/corpus"));
    static final List<String> JARS = List.of("junit.jar", "log4j.jar", "commons-collections.jar", "kotlin-stdlib.jar",
            "scala-library.jar", "groovy.jar");

    @Test
    void everyClassLoadsAndLinksAsWithoutTheAgent(@TempDir Path dir) throws Exception {
        String[] args = new String[JARS.size() + 1];
        for (int i = 0; i < JARS.size(); i++) {
            args[i + 1] = CORPUS.resolve(JARS.get(i)).toString();
        }
        args[0] = dir.resolve("plain.txt").toString();
        Jvm.Result plain = Jvm.withoutAgent().timeout(Duration.ofMinutes(5)).main(LoadAll.class, args).run();
        assertEquals(0, plain.exitCode, plain::toString);
        args[0] = dir.resolve("agent.txt").toString();
        Jvm.Result agent = Jvm.withAgent("debug=true").timeout(Duration.ofMinutes(5)).main(LoadAll.class, args).run();
        assertEquals(0, agent.exitCode, agent::toString);

        List<String> expected = Files.readAllLines(dir.resolve("plain.txt"), StandardCharsets.UTF_8);
        List<String> actual = Files.readAllLines(dir.resolve("agent.txt"), StandardCharsets.UTF_8);
        assertTrue(expected.size() > 9000, "classes in the corpus: " + expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "the same outcome with the agent as without it");
        }
        assertEquals(expected.size(), actual.size());
        // The agent rewrote a good part of them, and none failed.
        Matcher summary = Pattern.compile("jlockdep: debug: instrumented (\\d+) classes, (\\d+) could not be")
                .matcher(agent.stderr);
        assertTrue(summary.find(), agent::toString);
        assertTrue(Integer.parseInt(summary.group(1)) > 200, summary.group());
        assertEquals("0", summary.group(2), summary.group());
        assertFalse(agent.stderr.contains("cannot instrument"), agent::toString);
        assertFalse(agent.stderr.contains("jlockdep: internal error"), agent::toString);
    }

    @Test
    void groovyCompiledMonitorsAreChecked() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).timeout(Duration.ofMinutes(2))
                .main(OtherCompilers.class, "groovy", CORPUS.resolve("groovy.jar").toString()).run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("groovy done"), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        // Groovy allocates and reads the fields through its own call sites: both objects are named after the line of
        // the script that first locks them, and are two instances of one class taken in both orders.
        Reports.assertInOrder(r, "(Object locked at Script1.run(Script1.groovy:3)){monitor}, at Script1.run(",
                "two instances taken in both orders", "Script1.run(Script1.groovy:4)");
    }

    @Test
    void kotlinCompiledMonitorsAreChecked() throws Exception {
        Jvm.Result r = Jvm.withAgent(null)
                .main(OtherCompilers.class, "kotlin", CORPUS.resolve("kotlin-stdlib.jar").toString()).run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("kotlin done"), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, "(OtherCompilers.REGISTRY){ReentrantLock}", "(monitor of SynchronizedLazyImpl)",
                "kotlin.SynchronizedLazyImpl.getValue(");
    }
}
