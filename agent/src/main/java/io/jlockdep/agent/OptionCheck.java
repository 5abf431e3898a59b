package io.jlockdep.agent;

/**
 * The agent's option parser for build tools that write a {@code -javaagent:} argument (jlockdep-maven-plugin's
 * prepare-agent): a bad option is refused while the build is set up, with the line the agent would stop the JVM with.
 */
public final class OptionCheck {
    private OptionCheck() {
    }

    /** Null when the agent accepts {@code options} ({@code key=value,...}); else the one line it would stop with. */
    public static String problem(String options) {
        try {
            Options.parse(options);
            return null;
        } catch (Options.OptionException e) {
            return "jlockdep: " + e.getMessage();
        }
    }
}
