package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's "Agent options" table says what the option table says: the same options in the same order, each written
 * {@code key=<value hint>} as the help writes it, and the same default, given as {@code (default: `value`...)} for
 * every option that has one and for no other.
 */
class ReadmeOptionsTest {
    /** The module's directory is the tests' working directory; README is at the project's root. */
    private static final Path README = Paths.get("..", "README.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|(.*)\\|$", Pattern.MULTILINE);
    private static final Pattern DEFAULT = Pattern.compile("\\(default: `([^`]*)`");

    private static String readme() throws IOException {
        return new String(Files.readAllBytes(README), StandardCharsets.UTF_8);
    }

    @Test
    void readmeAgreesWithTheOptionTable() throws IOException {
        assertEquals(List.of(), disagreements(readme()));
    }

    @Test
    void aReadmeThatDriftedIsCaught() throws IOException {
        String readme = readme();
        assertEquals(List.of("README gives max-depth's default as 64, the option table as 48"),
                disagreements(readme.replace("(default: `48`)", "(default: `64`)")));
        assertEquals(List.of("README does not give max-stacks's default (65536)"),
                disagreements(readme.replace("turns itself off (default: `65536`) |\n| `exit-code",
                        "turns itself off |\n| `exit-code")));
        assertEquals(List.of("README writes watchdog=<millis>, the help watchdog=<ms>"),
                disagreements(readme.replace("| `watchdog=<ms>` |", "| `watchdog=<millis>` |")));
        List<String> renamed = disagreements(readme.replace("| `max-depth=<n>` |", "| `max-held=<n>` |"));
        assertTrue(renamed.contains("README lists max-held, which is not an option"), renamed::toString);
        assertTrue(renamed.contains("README does not list max-depth"), renamed::toString);
    }

    /** What README's options table gets wrong, one line each; empty when it agrees. */
    static List<String> disagreements(String readme) {
        int start = readme.indexOf("\n## Agent options\n");
        int end = readme.indexOf("\n## ", start + 1);
        assertTrue(start >= 0 && end > start, "README has no \"## Agent options\" section");
        List<String> problems = new ArrayList<>();
        List<Option> listed = new ArrayList<>();
        Matcher row = ROW.matcher(readme.substring(start, end));
        while (row.find()) {
            String written = row.group(1).replace("\\|", "|");
            int eq = written.indexOf('=');
            String key = eq < 0 ? written : written.substring(0, eq);
            Option o = Option.named(key);
            if (o == null) {
                problems.add("README lists " + key + ", which is not an option");
                continue;
            }
            listed.add(o);
            String expected = o.key() + "=" + o.valueHint();
            if (!written.equals(expected)) {
                problems.add("README writes " + written + ", the help " + expected);
            }
            Matcher d = DEFAULT.matcher(row.group(2));
            String given = d.find() ? d.group(1) : null;
            if (o.defaultText() == null && given != null) {
                problems.add("README gives " + key + " a default (" + given + "), the option table none");
            } else if (o.defaultText() != null && given == null) {
                problems.add("README does not give " + key + "'s default (" + o.defaultText() + ")");
            } else if (o.defaultText() != null && !o.defaultText().equals(given)) {
                problems.add("README gives " + key + "'s default as " + given + ", the option table as "
                        + o.defaultText());
            }
        }
        List<Option> missing = new ArrayList<>(List.of(Option.values()));
        missing.removeAll(listed);
        for (Option o : missing) {
            problems.add("README does not list " + o.key());
        }
        if (problems.isEmpty() && !listed.equals(List.of(Option.values()))) {
            problems.add("README lists the options in another order than the help: " + listed);
        }
        return problems;
    }
}
