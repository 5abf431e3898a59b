package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.Lockdep;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the README's setup puts on the test class path, and which Lockdep answers under the agent. */
class ClassPathTest {
    @Test
    void jlockdepIsOnTheClassPathOnceAsTheApiAndTheExtension() {
        List<String> jlockdep = new ArrayList<>();
        for (String entry : System.getProperty("surefire.test.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.startsWith("jlockdep")) {
                jlockdep.add(name);
            }
        }
        assertEquals(List.of("jlockdep-junit-@jlockdep.version@.jar", "jlockdep-api-@jlockdep.version@.jar"),
                jlockdep);
    }

    @Test
    void theAgentsCopyOfTheApiOnTheBootClassPathAnswers() {
        assertNull(Lockdep.class.getClassLoader(), "loaded by the boot class loader, from the agent jar");
        assertTrue(Lockdep.isAttached());
    }
}
