package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Users' Maven projects with the README's plugin snippet (src/it/plugin-*), built by a nested {@code mvn verify}:
 * what the build prints, its status, and the files in target/jlockdep/.
 */
class MavenPluginIT {
    private static final Duration BUILD = Duration.ofMinutes(10);
    private static final String GOAL = "[ERROR] Failed to execute goal io.jlockdep:jlockdep-maven-plugin:"
            + SampleMavenProject.VERSION + ":";

    @Test
    void withSurefireForksEachForkWritesItsFileAndTheCycleAcrossForksFailsTheBuild() throws Exception {
        SampleMavenProject project = SampleMavenProject.create("plugin-forks");
        int status = project.mvn(BUILD, "verify");
        String log = project.logText();
        assertNotEquals(0, status, project::logTail);
        assertTrue(log.contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), project::logTail);
        Path agentJar = project.repository.resolve("io/jlockdep/jlockdep-agent/" + SampleMavenProject.VERSION
                + "/jlockdep-agent-" + SampleMavenProject.VERSION + ".jar");
        Path out = project.dir.resolve("target/jlockdep");
        assertTrue(log.contains("[INFO] jlockdep: argLine set to -javaagent:" + agentJar + "=json="
                + out.resolve("jlockdep-%p.json") + "\n"), project::logTail);

        // reuseForks=false: a JVM for each of the three test classes, each with its file.
        List<Path> files = jsonFiles(out);
        assertEquals(3, files.size(), files::toString);
        String summary = "jlockdep: 2 findings in 3 JVMs (1 is a cycle across JVMs that no single JVM saw)";
        assertTrue(log.contains("[INFO] " + summary + "; written: target/jlockdep/jlockdep.txt,"
                + " target/jlockdep/jlockdep.html, target/jlockdep/jlockdep.sarif\n"), project::logTail);
        assertTrue(log.contains(GOAL + "check (default) on project forks: " + summary
                + "; details in target/jlockdep/jlockdep.txt"), project::logTail);

        String text = Files.readString(out.resolve("jlockdep.txt"), StandardCharsets.UTF_8);
        Reports.assertInOrder(text, summary + "\n\n=== " + out + "/jlockdep-", ".json (pid ", "): 1 finding\n",
                Reports.CIRCULAR, "(Statement.pages){monitor}",
                "\n=== across JVMs (merged lock graphs): 1 cycle that no single JVM saw\n", Reports.CIRCULAR,
                "sample.Bank.audit(Bank.java:", "\n2 JVMs reported no finding of their own.\n");
        String across = text.substring(text.indexOf("=== across JVMs"));
        assertTrue(across.contains("(Account.lock){ReentrantLock}") && across.contains("(Ledger.lock){ReentrantLock}")
                && across.contains("sample.Bank.post(Bank.java:"), text);
        String html = Files.readString(out.resolve("jlockdep.html"), StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("Account.lock"), "jlockdep.html");
        String sarif = Files.readString(out.resolve("jlockdep.sarif"), StandardCharsets.UTF_8);
        assertTrue(sarif.contains("\"version\":\"2.1.0\"") && sarif.contains("circular-dependency-"), sarif);
    }

    @Test
    void aBadAgentOptionStopsTheBuildAtOnceWithTheAgentsMessage() throws Exception {
        SampleMavenProject project = SampleMavenProject.create("plugin-forks");
        project.editPom("<artifactId>jlockdep-maven-plugin</artifactId>", "<artifactId>jlockdep-maven-plugin"
                + "</artifactId>\n  <configuration><options><watchdog>soon</watchdog></options></configuration>");
        assertNotEquals(0, project.mvn(BUILD, "verify"), project::logTail);
        String log = project.logText();
        assertTrue(log.contains(GOAL + "prepare-agent (default) on project forks: jlockdep: bad value 'soon' for"
                + " option 'watchdog': expected a whole number >= 0"), project::logTail);
        assertTrue(!log.contains("T E S T S"), () -> "no test ran\n" + project.logTail());
    }

    @Test
    void anArgLineOfTheBuildsOwnWithoutTheAgentsIsCaughtByCheck() throws Exception {
        SampleMavenProject project = SampleMavenProject.create("plugin-forks");
        project.editPom("<reuseForks>false</reuseForks>", "<reuseForks>false</reuseForks>\n"
                + "          <argLine>-Xmx256m</argLine>");
        assertNotEquals(0, project.mvn(BUILD, "verify"), project::logTail);
        String log = project.logText();
        assertTrue(log.contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), project::logTail);
        assertTrue(log.contains(GOAL + "check (default) on project forks: jlockdep: tests ran in this build"
                + " (target/surefire-reports) but none under the jlockdep agent: no JSON file in target/jlockdep. A"
                + " build that sets maven-surefire-plugin's or maven-failsafe-plugin's <argLine> must keep the"
                + " agent's with @{argLine}: <argLine>@{argLine} ...</argLine>"), project::logTail);
    }

    @Test
    void besideJacocosPrepareAgentBothAgentsRunAndTheBuildsOwnArgLineIsKept() throws Exception {
        SampleMavenProject project = SampleMavenProject.create("plugin-jacoco");
        int status = project.mvn(BUILD, "verify");
        String log = project.logText();
        assertNotEquals(0, status, project::logTail);
        // Both tests pass: one checks the property the build's own <argLine>@{argLine} -D...</argLine> sets.
        assertTrue(log.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), project::logTail);
        String argLine = log.lines().filter(l -> l.startsWith("[INFO] argLine set to ")).findFirst().orElse("");
        assertTrue(argLine.contains("org.jacoco.agent-") && argLine.contains("-javaagent:")
                && argLine.contains("jlockdep-agent-" + SampleMavenProject.VERSION + ".jar=json="), project::logTail);
        Path exec = project.dir.resolve("target/jacoco.exec");
        assertTrue(Files.isRegularFile(exec) && Files.size(exec) > 0, () -> "JaCoCo wrote " + exec);
        assertTrue(log.contains(GOAL + "check (default) on project coverage: jlockdep: 1 finding in 1 JVM; details in"
                + " target/jlockdep/jlockdep.txt"), project::logTail);
        String text = Files.readString(project.dir.resolve("target/jlockdep/jlockdep.txt"), StandardCharsets.UTF_8);
        Reports.assertInOrder(text, "jlockdep: 1 finding in 1 JVM\n", Reports.CIRCULAR,
                "TransferTest.postsThenAuditsInTheOtherOrder(TransferTest.java:");
    }

    @Test
    void anIntegrationTestsFindingUnderFailsafeIsReportedAndOnlyWarnsWhenAskedTo() throws Exception {
        SampleMavenProject project = SampleMavenProject.create("plugin-failsafe");
        int status = project.mvn(BUILD, "verify", "-Djlockdep.failOnFindings=false");
        String log = project.logText();
        assertEquals(0, status, project::logTail);
        assertTrue(log.contains("Running sample.TransferIT"), project::logTail);
        String summary = "jlockdep: 1 finding in 2 JVMs";
        assertTrue(log.contains("[WARNING] " + summary + "; details in target/jlockdep/jlockdep.txt\n"),
                project::logTail);
        Path out = project.dir.resolve("target/jlockdep");
        assertEquals(2, jsonFiles(out).size(), project::logTail);
        String text = Files.readString(out.resolve("jlockdep.txt"), StandardCharsets.UTF_8);
        Reports.assertInOrder(text, summary + "\n\n=== ", "): 1 finding\n", Reports.CIRCULAR,
                "TransferIT.transfersThenReconcilesInTheOtherOrder(TransferIT.java:",
                "\n1 JVM reported no finding of its own.\n");
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("jlockdep-\\d+\\.json"))
                    .collect(Collectors.toList());
        }
    }
}
