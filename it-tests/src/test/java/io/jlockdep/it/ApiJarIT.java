package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.ApiProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jlockdep-api jar on a program's class path: no-ops without the agent; under the agent its {@code Lockdep} is
 * never loaded, since the application class loader asks its parents first and the agent jar, on the boot class path,
 * has the runtime's copy: the calls reach the engine.
 */
class ApiJarIT {
    static final Path API = Paths.get(System.getProperty("jlockdep.api.jar", "../api/target/jlockdep-api.jar"))
            .toAbsolutePath().normalize();

    private static List<String> classPath() {
        assertTrue(Files.isRegularFile(API), "api jar not built: " + API);
        return List.of(Jvm.TEST_CLASSES, API.toString());
    }

    @Test
    void underTheAgentTheRuntimesCopyOnTheBootClassPathAnswers() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).main(ApiProbe.class.getName(), classPath()).run();
        assertEquals(0, r.exitCode, r::toString);
        Reports.assertStdoutInOrder(r, "loader: boot\n", "attached: true\n", "findings: 1\n",
                "report: " + Reports.CIRCULAR + "\n", "nested(9) refused: subclass must be 1 to 7, was 9\n");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void withoutTheAgentTheApiJarAnswersAndChecksNothing() throws Exception {
        Jvm.Result r = Jvm.withoutAgent().main(ApiProbe.class.getName(), classPath()).run();
        assertEquals(0, r.exitCode, r::toString);
        Reports.assertStdoutInOrder(r, "loader: app\n", "from: " + API + "\n", "attached: false\n",
                "findings: 0\n", "nested(9) refused: subclass must be 1 to 7, was 9\n");
        assertEquals("", r.stderr, r::toString);
    }
}
