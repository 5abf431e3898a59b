package io.jlockdep.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The argument prepare-agent writes into argLine, and what it refuses, in the agent's words. */
class AgentArgumentTest {
    private static final Path JAR = Paths.get("/repo/io/jlockdep/jlockdep-agent/1.0/jlockdep-agent-1.0.jar");
    private static final String JSON = "/p/target/jlockdep/jlockdep-%p.json";

    private static Map<String, String> options(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void optionsInKeyOrderThenTheJsonFileOfEachJvm() {
        assertEquals("-javaagent:" + JAR + "=json=" + JSON, AgentArgument.render(JAR, options(), JSON));
        assertEquals("-javaagent:" + JAR + "=max-reports=20,watchdog=1000,json=" + JSON,
                AgentArgument.render(JAR, options("watchdog", " 1000 ", "max-reports", "20"), JSON));
        // An empty element is an empty value: exclude= means "exclude nothing".
        assertEquals("-javaagent:" + JAR + "=exclude=,json=" + JSON,
                AgentArgument.render(JAR, options("exclude", null), JSON));
    }

    @Test
    void aBadOptionIsRefusedWithTheAgentsOwnLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentArgument.render(JAR, options("watchdog", "soon"), JSON));
        assertEquals("jlockdep: bad value 'soon' for option 'watchdog': expected a whole number >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AgentArgument.render(JAR, options("max-report", "3"), JSON));
        assertEquals(true, e.getMessage().startsWith("jlockdep: unknown option 'max-report'; valid options are: "),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AgentArgument.render(JAR, options("include", "com.a.*,com.b.*"), JSON));
        assertEquals("jlockdep: bad value 'com.a.*,com.b.*' for option 'include': a value cannot contain a comma,"
                + " which separates the agent's options", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AgentArgument.render(JAR, options("json", "/tmp/x.json"), JSON));
        assertEquals(true, e.getMessage().startsWith("jlockdep: option 'json' is set by the plugin"), e.getMessage());
    }

    @Test
    void aPathWithSpacesIsOneQuotedArgument() {
        Path jar = Paths.get("/home/a user/.m2/jlockdep-agent-1.0.jar");
        assertEquals("\"-javaagent:" + jar + "=json=" + JSON + "\"", AgentArgument.render(jar, options(), JSON));
    }

    @Test
    void appendedToWhatIsThereAndNeverTwice() {
        String ours = AgentArgument.render(JAR, options(), JSON);
        assertEquals(ours, AgentArgument.append(null, JAR, ours));
        assertEquals(ours, AgentArgument.append("  ", JAR, ours));
        String jacoco = "-javaagent:/repo/org.jacoco.agent-0.8.15-runtime.jar=destfile=/p/target/jacoco.exec";
        String both = AgentArgument.append(jacoco, JAR, ours);
        assertEquals(jacoco + " " + ours, both);
        // A second prepare-agent (another execution, other options) replaces the first's argument.
        String again = AgentArgument.render(JAR, options("max-reports", "5"), JSON);
        assertEquals(jacoco + " " + again, AgentArgument.append(both, JAR, again));
        Path spaced = Paths.get("/a b/jlockdep-agent.jar");
        String quoted = AgentArgument.render(spaced, options(), JSON);
        assertEquals("-Xmx1g " + quoted, AgentArgument.append("-Xmx1g " + quoted, spaced, quoted));
    }
}
