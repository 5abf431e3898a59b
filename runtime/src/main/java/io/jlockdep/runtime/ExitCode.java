package io.jlockdep.runtime;

/**
 * The {@code exit-code=<n>} option: a JVM that reported any finding ends with status n where it would have ended with
 * 0, so a plain CI job fails. The agent rewrites {@code java.lang.Shutdown} to call these methods, each at the point
 * where the application's shutdown hooks have all finished: a finding reported by a hook still counts.
 *
 * <p>Both methods stand between the application and the end of the JVM, so neither ever throws.
 */
public final class ExitCode {
    private ExitCode() {
    }

    /**
     * {@code Shutdown.exit} (System.exit, Runtime.exit) is about to halt with {@code status}: returns the status to
     * halt with. Only 0 is replaced; a failure status the program chose stays as it is.
     */
    public static int statusAtExit(int status) {
        if (status != 0) {
            return status;
        }
        try {
            return statusForFindings();
        } catch (Throwable t) {
            return status;
        }
    }

    /**
     * {@code Shutdown.shutdown} returns: the last non-daemon thread has ended (main returned, or threw) and the
     * shutdown hooks have run; the launcher is about to exit with 0 (1 when main threw). With findings, halts with
     * the configured status instead.
     */
    public static void afterShutdownHooks() {
        int status;
        try {
            status = statusForFindings();
        } catch (Throwable t) {
            return;
        }
        if (status != 0) {
            Runtime.getRuntime().halt(status);
        }
    }

    /** The configured status when there were findings (and says so), else 0: the JVM's status stays. */
    private static int statusForFindings() {
        int configured = Engine.config().exitCode();
        long findings = Engine.findingCount();
        if (configured == 0 || findings == 0) {
            return 0;
        }
        boolean previous = Engine.enterAgentCode();
        try {
            Engine.message(findings + (findings == 1 ? " finding" : " findings") + " reported, exiting with status "
                    + configured + " (exit-code=" + configured + ")");
        } finally {
            Engine.exitAgentCode(previous);
        }
        return configured;
    }
}
