package io.jlockdep.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The extension inside real JUnit runs of fixture classes (nested below, run through the JUnit Platform launcher):
 * which test or class each finding fails. Findings come from {@link FakeFindings}; the agent's own path is covered
 * by the agent-missing tests here (this JVM has no agent) and by the it-tests (a Maven build under the agent).
 */
class LockdepExtensionTest {

    @BeforeEach
    void forgetFindings() {
        FakeFindings.SOURCE.reset(Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fixtures

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FindingInOneTest {
        @RegisterExtension
        static final LockdepExtension LOCKDEP = new LockdepExtension(FakeFindings.SOURCE);

        @Test
        @Order(1)
        void before() {
        }

        @Test
        @Order(2)
        void inverts() {
            FakeFindings.report("\nREPORT inverts\n\n");
        }

        @Test
        @Order(3)
        void after() {
        }
    }

    static class FindingInBeforeAllAndAfterAll {
        @RegisterExtension
        static final LockdepExtension LOCKDEP = new LockdepExtension(FakeFindings.SOURCE);

        @BeforeAll
        static void setUp() {
            FakeFindings.report("REPORT before all");
        }

        @AfterAll
        static void tearDown() {
            FakeFindings.report("REPORT after all");
        }

        @Test
        void test() {
        }
    }

    static class FindingFromAThreadTheTestStarted {
        @RegisterExtension
        static final LockdepExtension LOCKDEP = new LockdepExtension(FakeFindings.SOURCE);

        @Test
        void startsAThread() throws Exception {
            Thread t = new Thread(() -> FakeFindings.report("REPORT from worker"), "worker");
            t.start();
            t.join();
        }

        @Test
        void quiet() {
        }
    }

    static class FailingTestWithAFinding {
        @RegisterExtension
        static final LockdepExtension LOCKDEP = new LockdepExtension(FakeFindings.SOURCE);

        @Test
        void failsItself() {
            FakeFindings.report("REPORT before failing");
            throw new IllegalStateException("the test's own failure");
        }
    }

    static class WithNestedClass {
        @RegisterExtension
        static final LockdepExtension LOCKDEP = new LockdepExtension(FakeFindings.SOURCE);

        @Test
        void outerTest() {
        }

        @Nested
        @TestInstance(TestInstance.Lifecycle.PER_CLASS)
        class Inner {
            @BeforeAll
            void setUp() {
                FakeFindings.report("REPORT nested before all");
            }

            @Test
            void innerTest() {
            }

            @Test
            void innerInverts() {
                FakeFindings.report("REPORT nested test");
            }
        }
    }

    static class ManyFindings {
        @RegisterExtension
        static final LockdepExtension LOCKDEP = new LockdepExtension(FakeFindings.SOURCE);

        @Test
        void reportsThree() {
            FakeFindings.report("REPORT one");
            FakeFindings.report("REPORT two");
            FakeFindings.report("REPORT three");
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class TwoTestsAtOnce {
        @RegisterExtension
        static final LockdepExtension LOCKDEP = new LockdepExtension(FakeFindings.SOURCE);
        static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);

        @Test
        void inverts() throws Exception {
            BOTH_RUNNING.await(10, TimeUnit.SECONDS);
            FakeFindings.report("REPORT concurrent");
            BOTH_RUNNING.await(10, TimeUnit.SECONDS);
        }

        @Test
        void runsMeanwhile() throws Exception {
            BOTH_RUNNING.await(10, TimeUnit.SECONDS);
            BOTH_RUNNING.await(10, TimeUnit.SECONDS);
        }
    }

    /** Uses the real extension: findings from the agent, which this JVM does not have. */
    @ExtendWith(LockdepExtension.class)
    static class WithoutAgent {
        @Test
        void test() {
        }
    }

    /** No registration: only auto-detection can bring the extension in. */
    static class NotRegistered {
        @Test
        void test() {
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tests

    private static void assertInOrder(String text, String... parts) {
        int at = 0;
        for (String part : parts) {
            int found = text.indexOf(part, at);
            assertTrue(found >= 0, () -> "missing, or out of order: " + part + "\nin:\n" + text);
            at = found + part.length();
        }
    }

    /** What a stack trace of the failure prints: the class, the one-line message, the reports. */
    private static String printed(Throwable failure) {
        return failure.toString();
    }

    @Test
    void aFindingFailsTheTestThatWasRunningWithItsHeadlineAsMessageAndTheReportBelowIt() {
        FixtureRun run = FixtureRun.of(FindingInOneTest.class);
        Throwable failure = run.failure("FindingInOneTest#inverts");
        assertInstanceOf(LockdepFailure.class, failure);
        assertEquals("jlockdep reported 1 finding while this test ran: HEADLINE REPORT inverts", failure.getMessage());
        assertFalse(failure.getMessage().contains("\n"), "one line, for summaries that print messages");
        assertEquals(LockdepFailure.class.getName() + ": jlockdep reported 1 finding while this test ran: HEADLINE"
                + " REPORT inverts\n\nREPORT inverts", printed(failure));
        assertEquals(0, failure.getStackTrace().length, "the stacks that matter are in the report");
        run.assertPassed("FindingInOneTest#before", "FindingInOneTest#after", "FindingInOneTest");
    }

    @Test
    void theAgentOnlyAnnouncesReportsAndLearnsWhichOnesAFailureShowed() {
        FakeFindings.report("REPORT before the run");
        FixtureRun.of(FindingInOneTest.class);
        assertTrue(FakeFindings.SOURCE.throughTests, "the extension asked for one-line announcements");
        assertEquals(Set.of(0L, 1L), Set.copyOf(FakeFindings.SOURCE.shown), "both findings were shown");
        assertEquals(2, FakeFindings.SOURCE.shown.size(), "each in one failure");
    }

    @Test
    void findingsOutsideTheTestsFailTheClass() {
        FixtureRun run = FixtureRun.of(FindingInBeforeAllAndAfterAll.class);
        run.assertPassed("FindingInBeforeAllAndAfterAll#test");
        Throwable failure = run.failure("FindingInBeforeAllAndAfterAll");
        assertEquals("jlockdep reported 2 findings while " + FindingInBeforeAllAndAfterAll.class.getName()
                + " ran but none of its tests did (in @BeforeAll or @AfterAll, a constructor, or a thread still"
                + " running after its test ended): HEADLINE REPORT before all; HEADLINE REPORT after all",
                failure.getMessage());
        assertTrue(printed(failure).endsWith("test ended): HEADLINE REPORT before all; HEADLINE REPORT after all"
                + "\n\nREPORT before all\n\nREPORT after all"), printed(failure));
    }

    @Test
    void aFindingReportedByAThreadTheTestStartedFailsThatTest() {
        FixtureRun run = FixtureRun.of(FindingFromAThreadTheTestStarted.class);
        assertTrue(printed(run.failure("FindingFromAThreadTheTestStarted#startsAThread"))
                .endsWith("\n\nREPORT from worker"));
        run.assertPassed("FindingFromAThreadTheTestStarted#quiet", "FindingFromAThreadTheTestStarted");
    }

    @Test
    void aTestThatFailsItselfKeepsItsOwnFailureWithTheReportAttached() {
        FixtureRun run = FixtureRun.of(FailingTestWithAFinding.class);
        Throwable failure = run.failure("FailingTestWithAFinding#failsItself");
        assertEquals("the test's own failure", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length);
        assertTrue(printed(failure.getSuppressed()[0]).endsWith("\n\nREPORT before failing"));
    }

    @Test
    void findingsReportedBeforeAClassStartedFailThatClassSayingSo() {
        FakeFindings.report("REPORT before the run");
        FixtureRun run = FixtureRun.of(FindingInOneTest.class);
        Throwable failure = run.failure("FindingInOneTest");
        assertEquals("jlockdep reported 1 finding before " + FindingInOneTest.class.getName() + " started, while no"
                + " test class was running (between test classes, or from a thread an earlier class left running):"
                + " HEADLINE REPORT before the run", failure.getMessage());
        assertTrue(printed(failure).endsWith("\n\nREPORT before the run"));
        assertTrue(printed(run.failure("FindingInOneTest#inverts")).endsWith("REPORT inverts"));
        run.assertPassed("FindingInOneTest#before", "FindingInOneTest#after");
    }

    @Test
    void aClassWithFindingsBeforeAndWhileItRanShowsBothUnderTheirOwnHeadings() {
        FakeFindings.report("REPORT before the run");
        FixtureRun run = FixtureRun.of(FindingInBeforeAllAndAfterAll.class);
        Throwable failure = run.failure("FindingInBeforeAllAndAfterAll");
        assertEquals("jlockdep reported 3 findings outside the tests of this class: HEADLINE REPORT before the run;"
                + " HEADLINE REPORT before all; HEADLINE REPORT after all", failure.getMessage());
        assertInOrder(printed(failure), "\n\njlockdep reported 1 finding before ", "REPORT before the run",
                "\n\njlockdep reported 2 findings while ", "REPORT before all", "REPORT after all");
    }

    @Test
    void aNestedClassGetsItsOwnFindingsAndTheOuterClassDoesNotRepeatThem() {
        FixtureRun run = FixtureRun.of(WithNestedClass.class);
        assertTrue(printed(run.failure("WithNestedClass$Inner")).endsWith("\n\nREPORT nested before all"));
        assertTrue(printed(run.failure("WithNestedClass$Inner#innerInverts")).endsWith("\n\nREPORT nested test"));
        run.assertPassed("WithNestedClass", "WithNestedClass#outerTest", "WithNestedClass$Inner#innerTest");
    }

    @Test
    void everyFindingIsListedAndForgottenOnesAreCounted() {
        FixtureRun run = FixtureRun.of(ManyFindings.class);
        Throwable failure = run.failure("ManyFindings#reportsThree");
        assertEquals("jlockdep reported 3 findings while this test ran: HEADLINE REPORT one; HEADLINE REPORT two;"
                + " HEADLINE REPORT three", failure.getMessage());
        assertTrue(printed(failure).endsWith("\n\nREPORT one\n\nREPORT two\n\nREPORT three"), printed(failure));

        FakeFindings.SOURCE.reset(1);
        run = FixtureRun.of(ManyFindings.class);
        failure = run.failure("ManyFindings#reportsThree");
        assertEquals("jlockdep reported 3 findings while this test ran: HEADLINE REPORT three", failure.getMessage());
        assertTrue(printed(failure).endsWith("\n\nREPORT three\n\n2 more findings were reported then, which"
                + " jlockdep no longer remembers (it keeps the latest 1024); see its output."), printed(failure));
    }

    @Test
    void inParallelAFindingFailsEveryTestRunningWhenItWasReported() {
        FixtureRun run = FixtureRun.of(Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"), TwoTestsAtOnce.class);
        assertTrue(printed(run.failure("TwoTestsAtOnce#inverts")).endsWith("\n\nREPORT concurrent"));
        assertTrue(printed(run.failure("TwoTestsAtOnce#runsMeanwhile")).endsWith("\n\nREPORT concurrent"));
        run.assertPassed("TwoTestsAtOnce");
    }

    @Test
    void withoutTheAgentEveryClassFailsSayingWhatToAdd() {
        FixtureRun run = FixtureRun.of(WithoutAgent.class);
        Throwable failure = run.failure("WithoutAgent");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        String message = failure.getMessage();
        assertTrue(message.startsWith("jlockdep: the jlockdep agent is not running in this JVM, so lock orders are"
                + " not checked.\nStart the test JVM with -javaagent:<path to jlockdep-agent.jar>.\n"), message);
        assertTrue(message.contains("With Maven: add jlockdep-maven-plugin with its prepare-agent goal; if the build"
                + " sets maven-surefire-plugin's <argLine> itself, it must keep the plugin's: <argLine>@{argLine}"
                + " ...</argLine>"), message);
        assertTrue(message.endsWith("set the JUnit configuration parameter jlockdep.agent.required=false (in"
                + " junit-platform.properties, or -Djlockdep.agent.required=false)."), message);
        assertFalse(run.all().containsKey("WithoutAgent#test"), "no test ran unchecked");
    }

    @Test
    void withoutTheAgentTestsRunUncheckedWhenTheAgentIsNotRequired() {
        FixtureRun run = FixtureRun.of(Map.of(LockdepExtension.AGENT_REQUIRED, "false"), WithoutAgent.class);
        run.assertPassed("WithoutAgent", "WithoutAgent#test");

        run = FixtureRun.of(Map.of(LockdepExtension.AGENT_REQUIRED, "no"), WithoutAgent.class);
        assertEquals("jlockdep: bad value 'no' for JUnit configuration parameter jlockdep.agent.required: expected"
                + " true or false", run.failure("WithoutAgent").getMessage());
    }

    @Test
    void autoDetectionRegistersTheExtensionForEveryClass() {
        FixtureRun run = FixtureRun.of(NotRegistered.class);
        run.assertPassed("NotRegistered", "NotRegistered#test");

        run = FixtureRun.of(Map.of("junit.jupiter.extensions.autodetection.enabled", "true"), NotRegistered.class);
        assertTrue(run.failure("NotRegistered").getMessage().startsWith("jlockdep: the jlockdep agent is not running"));
    }
}
