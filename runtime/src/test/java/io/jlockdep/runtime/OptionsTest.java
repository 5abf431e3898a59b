package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The option table, and what is made from it: parsing and its messages, Config, the help, the -javaagent string. */
class OptionsTest {
    private static String refusal(String text) {
        return assertThrows(Options.OptionException.class, () -> Options.parse(text)).getMessage();
    }

    @Test
    void everyDefaultPassesItsOwnCheckAndNamesAreUnique() {
        for (Option o : Option.values()) {
            if (o.defaultText() != null) {
                assertEquals(o.defaultValue(), o.check(o.defaultText()), o.key());
            }
            assertEquals(o, Option.named(o.key()));
        }
    }

    @Test
    void configTakesTheTableDefaultsAndTheGivenValues() {
        Config d = Config.defaults();
        assertEquals(Integer.parseInt(Option.MAX_CLASSES.defaultText()), d.maxClasses());
        assertEquals(Integer.parseInt(Option.MAX_DEPTH.defaultText()), d.maxDepth());
        assertEquals(0, d.maxReports());
        assertEquals(0, d.exitCode());
        assertNull(d.outFile());
        assertFalse(d.strictNesting());

        Config c = Config.from(Options.parse(" max-depth=7 , nesting=strict,stats=TRUE,exit-code=3,,out=r-%p.txt"));
        assertEquals(7, c.maxDepth());
        assertTrue(c.strictNesting());
        assertTrue(c.stats());
        assertEquals(3, c.exitCode());
        assertEquals("r-" + ProcessHandle.current().pid() + ".txt", c.outFile());
        assertEquals(Integer.parseInt(Option.MAX_CHAINS.defaultText()), c.maxChains(), "not given: the default");
    }

    @Test
    void everyMistakeIsOneLineNamingTheOption() {
        assertEquals("unknown option 'outt'; valid options are: out=<file>, json=<file>, suppress=<file>,"
                + " baseline=<file>, max-reports=<n>, max-classes=<n>, max-dependencies=<n>, max-chains=<n>, max-depth=<n>, nesting=default|strict,"
                + " max-stacks=<n>, exit-code=<n>, stats=true|false, lockstat=true|false, debug=true|false,"
                + " include=<patterns>, exclude=<patterns>, startup=wait|background, cache=<dir>|off, watchdog=<ms>", refusal("outt=x"));
        assertEquals("option 'max-depth' needs a value: max-depth=<n>", refusal("max-depth"));
        assertEquals("option 'out' needs a value", refusal("out="));
        assertEquals("bad value 'lots' for option 'max-depth': expected a whole number >= 1",
                refusal("max-depth=lots"));
        assertEquals("bad value '0' for option 'max-depth': expected a whole number >= 1", refusal("max-depth=0"));
        assertEquals("bad value '256' for option 'exit-code': expected a whole number from 1 to 255",
                refusal("exit-code=256"));
        assertEquals("bad value 'yes' for option 'stats': expected true or false", refusal("stats=yes"));
        assertEquals("bad value 'loose' for option 'nesting': expected default or strict", refusal("nesting=loose"));
        assertEquals("bad value 'com.x.*::org.y' for option 'include': an empty pattern (two ':' in a row, or one at an"
                + " end)", refusal("include=com.x.*::org.y"));
        assertEquals("bad value 'com/x' for option 'exclude': 'com/x' is not a class-name pattern (letters, digits,"
                + " '.', '$', '*' and '?' only)", refusal("exclude=com/x"));
        assertEquals("", Options.parse("exclude=").text(Option.EXCLUDE), "empty: exclude nothing");
        assertEquals("bad value 'soon' for option 'watchdog': expected a whole number >= 0", refusal("watchdog=soon"));
        assertEquals("option 'stats' needs a value: stats=true|false", refusal("stats"));
    }

    @Test
    void whatTheAgentAccepts() {
        assertEquals(Config.defaults().maxDepth(), Config.from(Options.parse(null)).maxDepth());
        assertEquals(Config.defaults().maxDepth(), Config.from(Options.parse("")).maxDepth());
        Options o = Options.parse("json=/tmp/x/jlockdep-%p.json,max-reports=20,watchdog=1000,exclude=");
        assertEquals(20, o.number(Option.MAX_REPORTS));
        assertEquals("/tmp/x/jlockdep-" + ProcessHandle.current().pid() + ".json", o.file(Option.JSON));
    }

    @Test
    void theJavaagentStringIsCheckedLikeTheAgent() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("watchdog", " 1000 ");
        options.put("json", "target/jlockdep-%p.json");
        options.put("stats", "TRUE");
        options.put("exclude", null);
        assertEquals("-javaagent:/a/jlockdep-agent.jar=watchdog=1000,json=target/jlockdep-%p.json,stats=TRUE,exclude=",
                Options.javaagent("/a/jlockdep-agent.jar", options));
        assertEquals("-javaagent:/a/jlockdep-agent.jar", Options.javaagent("/a/jlockdep-agent.jar", Map.of()));
        // What it writes, the agent reads back to the same settings.
        Options back = Options.parse(Options.javaagent("j.jar", options).substring("-javaagent:j.jar=".length()));
        assertEquals(1000, back.number(Option.WATCHDOG));
        assertTrue(back.flag(Option.STATS));
        assertEquals("", back.text(Option.EXCLUDE));

        assertEquals(refusal("outt=x"), assertThrows(Options.OptionException.class,
                () -> Options.javaagent("j.jar", Map.of("outt", "x"))).getMessage());
        assertEquals(refusal("max-depth=lots"), assertThrows(Options.OptionException.class,
                () -> Options.javaagent("j.jar", Map.of("max-depth", "lots"))).getMessage());
        Map<String, String> noValue = new LinkedHashMap<>();
        noValue.put("max-depth", null);
        assertEquals(refusal("max-depth="), assertThrows(Options.OptionException.class,
                () -> Options.javaagent("j.jar", noValue)).getMessage());
        assertEquals("bad value 'com.a.*,com.b.*' for option 'include': a value cannot contain a comma, which separates"
                + " the agent's options", assertThrows(Options.OptionException.class,
                        () -> Options.javaagent("j.jar", Map.of("include", "com.a.*,com.b.*"))).getMessage());
        assertEquals("the agent jar's path cannot contain '=': /a=b/j.jar", assertThrows(Options.OptionException.class,
                () -> Options.javaagent("/a=b/j.jar", Map.of())).getMessage());
    }

    @Test
    void theHelpHasOneLinePerOptionWithItsDefault() {
        String[] lines = Options.help().split(System.lineSeparator());
        assertEquals(Option.values().length, lines.length);
        for (int i = 0; i < lines.length; i++) {
            Option o = Option.values()[i];
            assertTrue(lines[i].startsWith("  " + o.key() + "=" + o.valueHint() + " "), lines[i]);
            assertTrue(lines[i].endsWith(o.help()), lines[i]);
        }
        assertTrue(Options.help().contains("  max-depth=<n>                locks one thread may hold at once; past it"
                + " the thread is not checked until it holds fewer (default: 48)"), Options.help());
        assertTrue(Options.help().contains("print at most n reports (default: 0, unlimited)"), Options.help());
    }
}
