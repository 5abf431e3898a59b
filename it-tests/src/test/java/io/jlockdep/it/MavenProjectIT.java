package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A user's Maven project, configured exactly as README.md's "Using jlockdep in a Maven build" says (the plugin and the
 * JUnit extension; the snippets are taken from the README itself), runs its JUnit 5 suite under the agent: the test
 * that inverts a lock order fails with the report, the others pass; an inversion in {@code @BeforeAll} fails its class.
 */
class MavenProjectIT {
    private static final String INVERTING_TEST = "TransferTest.auditsTheAccountWhileHoldingTheLedger(TransferTest.java:";
    private static final String HEADLINE = "possible circular locking dependency: Account.lock -> Ledger.lock ->"
            + " Account.lock at TransferTest.auditsTheAccountWhileHoldingTheLedger(TransferTest.java:50)";

    @Test
    void readmeShowsTheVersionBeingBuilt() throws Exception {
        for (String name : new String[] {"plugin", "dependency"}) {
            String snippet = SampleMavenProject.readmeSnippets().get(name);
            assertNotNull(snippet, "README.md marks the " + name + " snippet");
            assertTrue(snippet.contains("<version>" + SampleMavenProject.VERSION + "</version>"),
                    () -> "README.md shows another version than " + SampleMavenProject.VERSION + ":\n" + snippet);
        }
    }

    @Test
    void theTestThatInvertsALockOrderFailsWithTheReportAndTheOthersPass() throws Exception {
        SampleMavenProject project = SampleMavenProject.create();
        int status = project.mvn(Duration.ofMinutes(4), "test");
        String log = project.logText();
        assertNotEquals(0, status, () -> "a failing test fails the build\n" + project.logTail());
        assertTrue(log.contains("Tests run: 8, Failures: 2, Errors: 0, Skipped: 0"), project::logTail);
        // What the user reads in the build's output: each report once (in its test's failure; the agent only
        // announces it in one line as it finds it), the test framework's frames folded into one line, Surefire's
        // results one line per failure, and the run's summary line.
        assertEquals(2, count(log, Reports.CIRCULAR + "\n"), () -> "each of the 2 reports once:\n" + log);
        assertEquals(1, count(log, "jlockdep: " + HEADLINE + " (circular-dependency-"),
                () -> "announced once as found:\n" + log);
        assertTrue(log.contains("\n[ERROR]   TransferTest.auditsTheAccountWhileHoldingTheLedger jlockdep reported 1"
                + " finding while this test ran: " + HEADLINE + "\n"), () -> "Surefire's results, one line:\n" + log);
        assertTrue(log.matches("(?s).*\n       sample\\.TransferTest\\.postsToTheLedgerWhileHoldingTheAccount"
                + "\\(TransferTest\\.java:\\d+\\)\n       \\.\\.\\. \\d+ frames of JUnit/Surefire\n.*"), log);
        assertFalse(log.contains("org.junit.platform.engine.support.hierarchical.NodeTestTask"), "no JUnit frame");
        assertTrue(log.contains("\njlockdep: 2 findings (2 circular) in 4 lock classes\n"), log);

        Map<String, Element> transfer = testCases(project.dir, "sample.TransferTest");
        assertEquals(3, transfer.size(), project::logTail);
        assertNull(failureOf(transfer.get("postsToTheLedgerWhileHoldingTheAccount")), project::logTail);
        assertNull(failureOf(transfer.get("depositsUnderTheAccountLockAlone")), project::logTail);
        Element failure = failureOf(transfer.get("auditsTheAccountWhileHoldingTheLedger"));
        assertNotNull(failure, project::logTail);
        assertEquals("io.jlockdep.junit.LockdepFailure", failure.getAttribute("type"));
        // The message is one line, the finding's headline; the report follows it in the failure's text.
        assertEquals("jlockdep reported 1 finding while this test ran: " + HEADLINE, failure.getAttribute("message"));
        Reports.assertInOrder(failure.getTextContent(),
                "io.jlockdep.junit.LockdepFailure: jlockdep reported 1 finding while this test ran: " + HEADLINE
                        + "\n\n",
                "======================================================\n" + Reports.CIRCULAR + "\n",
                " is trying to acquire lock:\n",
                "(Account.lock){ReentrantLock}, at " + INVERTING_TEST,
                "but thread is already holding lock:\n",
                "(Ledger.lock){ReentrantLock}, at " + INVERTING_TEST,
                "the existing dependency chain (in reverse order) is:\n",
                "sample.TransferTest.postsToTheLedgerWhileHoldingTheAccount(TransferTest.java:",
                "stack backtrace:\n",
                "sample.TransferTest.auditsTheAccountWhileHoldingTheLedger(TransferTest.java:",
                "finding id: circular-dependency-");

        // Checked and passing: the extension fails every class when the agent is missing, so it was there.
        Map<String, Element> statement = testCases(project.dir, "sample.StatementTest");
        assertEquals(1, statement.size());
        assertNull(failureOf(statement.get("printsUnderTheStatementThenTheLinesMonitor")), project::logTail);
        assertFalse(log.contains("WARNING: Could not validate integrity"), project::logTail);

        // The api and the extension are on the class path once each; the agent's copy of Lockdep answers.
        Map<String, Element> classPath = testCases(project.dir, "sample.ClassPathTest");
        assertEquals(2, classPath.size(), project::logTail);
        assertNull(failureOf(classPath.get("jlockdepIsOnTheClassPathOnceAsTheApiAndTheExtension")), project::logTail);
        assertNull(failureOf(classPath.get("theAgentsCopyOfTheApiOnTheBootClassPathAnswers")), project::logTail);

        // A finding in @BeforeAll fails the class (Surefire: a test case without a name), not its test.
        Map<String, Element> reconciliation = testCases(project.dir, "sample.ReconciliationTest");
        assertNull(failureOf(reconciliation.get("bothBooksWereOpened")), project::logTail);
        Element classFailure = failureOf(reconciliation.get(""));
        assertNotNull(classFailure, project::logTail);
        assertTrue(classFailure.getAttribute("message").startsWith("jlockdep reported 1 finding while"
                + " sample.ReconciliationTest ran but none of its tests did"), project::logTail);
        Reports.assertInOrder(classFailure.getTextContent(), Reports.CIRCULAR,
                "(Book.pages){monitor}, at ReconciliationTest.openBooks(");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    @Test
    void withoutTheAgentEveryClassFailsSayingWhatToAdd() throws Exception {
        SampleMavenProject project = SampleMavenProject.create();
        int status = project.mvn(Duration.ofMinutes(4), "test", "-Djlockdep.skip=true");
        assertNotEquals(0, status, project::logTail);
        assertTrue(project.logText().contains("[INFO] jlockdep: skipped (jlockdep.skip)"), project::logTail);
        Map<String, Element> statement = testCases(project.dir, "sample.StatementTest");
        assertEquals(1, statement.size(), () -> "only the class, none of its tests ran: " + statement.keySet());
        Element failure = failureOf(statement.get(""));
        assertNotNull(failure, project::logTail);
        assertEquals("org.junit.jupiter.api.extension.ExtensionConfigurationException", failure.getAttribute("type"));
        Reports.assertInOrder(failure.getAttribute("message"),
                "jlockdep: the jlockdep agent is not running in this JVM, so lock orders are not checked.\n",
                "With Maven: add jlockdep-maven-plugin with its prepare-agent goal;",
                "<argLine>@{argLine} ...</argLine>",
                "jlockdep.agent.required=false");
    }

    /** Surefire's XML report for one class: test name to its testcase element. */
    private static Map<String, Element> testCases(Path project, String className) throws Exception {
        Path report = project.resolve("target/surefire-reports/TEST-" + className + ".xml");
        assertTrue(Files.isRegularFile(report), () -> "no Surefire report " + report);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        Map<String, Element> byName = new LinkedHashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            byName.put(e.getAttribute("name"), e);
        }
        return byName;
    }

    /** The failure (or error) element of a test case, or null when it passed. */
    private static Element failureOf(Element testCase) {
        assertNotNull(testCase, "no such test case");
        for (String tag : new String[] {"failure", "error"}) {
            NodeList l = testCase.getElementsByTagName(tag);
            if (l.getLength() > 0) {
                return (Element) l.item(0);
            }
        }
        return null;
    }
}
