package io.jlockdep.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a build tool learns before it starts a JVM: the agent's own verdict on the options, in its own words. */
class OptionCheckTest {
    @Test
    void optionsTheAgentAcceptsPass() {
        assertNull(OptionCheck.problem(null));
        assertNull(OptionCheck.problem(""));
        assertNull(OptionCheck.problem("json=/tmp/x/jlockdep-%p.json,max-reports=20,watchdog=1000,exclude="));
    }

    @Test
    void aBadOptionGetsTheLineTheAgentWouldStopWith() {
        assertEquals("jlockdep: bad value 'soon' for option 'watchdog': expected a whole number >= 0",
                OptionCheck.problem("watchdog=soon"));
        String unknown = OptionCheck.problem("outt=x");
        assertTrue(unknown.startsWith("jlockdep: unknown option 'outt'; valid options are: out=<file>, json=<file>,"),
                unknown);
        assertEquals("jlockdep: option 'stats' needs a value: stats=true|false", OptionCheck.problem("stats"));
    }
}
