package io.jlockdep.it;

import io.jlockdep.it.apps.JdkMonitorProbe;

/**
 * Features of the built agent that other branches are adding (the deadlock watchdog, monitors inside JDK classes),
 * asked of the agent itself once per test run. Tests use them in assumptions, so a check that needs a missing feature
 * shows up as skipped, never as passed. Anything but a clear yes or no fails.
 */
final class AgentFeatures {
    /** The watchdog option the demo tests run with. */
    static final String WATCHDOG_OPTION = "watchdog=500";
    /** The header of the watchdog's report of a real deadlock. */
    static final String DEADLOCK_DETECTED = "WARNING: deadlock detected";

    private AgentFeatures() {
    }

    /** Whether the agent accepts {@code watchdog=<ms>}. */
    static boolean watchdog() {
        return Watchdog.SUPPORTED;
    }

    /** Whether the agent tracks synchronized blocks inside JDK classes. */
    static boolean jdkMonitors() {
        return JdkMonitors.TRACKED;
    }

    private static final class Watchdog {
        static final boolean SUPPORTED = probe();

        private static boolean probe() {
            try {
                Jvm.Result r = Jvm.withAgent(WATCHDOG_OPTION).demo().run();
                if (r.exitCode == 0) {
                    return true;
                }
                if (r.stderr.contains("jlockdep: unknown option 'watchdog'")) {
                    return false;
                }
                throw new IllegalStateException("cannot tell whether the agent has a watchdog:\n" + r);
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class JdkMonitors {
        static final boolean TRACKED = probe();

        private static boolean probe() {
            try {
                Jvm.Result r = Jvm.withAgent(null).main(JdkMonitorProbe.class).run();
                String answer = r.stdout.strip();
                if (r.exitCode == 0 && (answer.equals("tracked") || answer.equals("not tracked"))) {
                    return answer.equals("tracked");
                }
                throw new IllegalStateException("cannot tell whether the agent tracks JDK monitors:\n" + r);
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
