package io.jlockdep.maven;

import io.jlockdep.runtime.Options;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code -javaagent:<jar>=<options>} argument for the test JVMs, its options checked against the agent's own
 * option table (the runtime's Options), and how it joins a property such as {@code argLine} that other plugins
 * (JaCoCo's) or the user also set.
 */
final class AgentArgument {
    private AgentArgument() {
    }

    /**
     * The argument, or an {@link IllegalArgumentException} with the agent's one-line message when an option is bad.
     * Options are written in key order, {@code json} last; a value may not hold a comma (it separates options).
     */
    static String render(Path agentJar, Map<String, String> options, String json) {
        if (options.containsKey("json")) {
            throw new IllegalArgumentException("jlockdep: option 'json' is set by the plugin: each test JVM writes"
                    + " its own file in outputDirectory, which report and check read; set outputDirectory to move"
                    + " the files");
        }
        Map<String, String> all = new LinkedHashMap<>(new TreeMap<>(options));
        all.put("json", json);
        String argument;
        try {
            argument = Options.javaagent(agentJar.toString(), all);
        } catch (Options.OptionException e) {
            throw new IllegalArgumentException("jlockdep: " + e.getMessage(), e);
        }
        // Surefire and Failsafe split argLine at spaces outside double quotes.
        return argument.indexOf(' ') >= 0 ? '"' + argument + '"' : argument;
    }

    /**
     * {@code previous} (a property's value, or null) followed by {@code argument}, without an earlier jlockdep
     * argument for the same jar, so that a second prepare-agent in one build does not start the agent twice.
     */
    static String append(String previous, Path agentJar, String argument) {
        if (previous == null || previous.isBlank()) {
            return argument;
        }
        String jar = Pattern.quote("-javaagent:" + agentJar);
        String kept = previous.replaceAll("\"" + jar + "(=[^\"]*)?\"|" + jar + "(=\\S*)?", "").trim();
        return kept.isEmpty() ? argument : kept + " " + argument;
    }
}
