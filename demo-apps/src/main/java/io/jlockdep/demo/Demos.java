package io.jlockdep.demo;

import io.jlockdep.demo.bank.BankScenario;
import io.jlockdep.demo.executorwait.ExecutorWaitScenario;
import io.jlockdep.demo.jdkonly.JdkOnlyScenario;
import io.jlockdep.demo.nestedmonitor.NestedMonitorScenario;
import io.jlockdep.demo.ntfs.NtfsScenario;
import io.jlockdep.demo.philosophers.PhilosophersScenario;
import io.jlockdep.demo.rwupgrade.RwUpgradeScenario;
import io.jlockdep.demo.service.ServiceScenario;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one scenario by name, or lists them all (name first, then a one-line description).
 * <pre>java -javaagent:agent/target/jlockdep-agent.jar -jar demo-apps/target/jlockdep-demos.jar ntfs [--deadlock]</pre>
 */
public final class Demos {
    /** How long a {@code --deadlock} run leaves its threads stuck: enough for a watchdog of ~1 s to report. */
    static final long DEFAULT_WAIT_MILLIS = 3000;

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        add(new NtfsScenario());
        add(new BankScenario());
        add(new PhilosophersScenario());
        add(new RwUpgradeScenario());
        add(new NestedMonitorScenario());
        add(new JdkOnlyScenario());
        add(new ServiceScenario());
        add(new ExecutorWaitScenario());
    }

    private Demos() {
    }

    private static void add(Scenario s) {
        SCENARIOS.put(s.name(), s);
    }

    public static void main(String[] args) throws Exception {
        String name = null;
        boolean deadlock = false;
        long waitMillis = DEFAULT_WAIT_MILLIS;
        for (String a : args) {
            if (a.equals("--deadlock")) {
                deadlock = true;
            } else if (a.startsWith("--wait=")) {
                waitMillis = parseMillis(a.substring("--wait=".length()));
            } else if (a.startsWith("-")) {
                usage("unknown option: " + a);
            } else if (name == null) {
                name = a;
            } else {
                usage("unexpected argument: " + a);
            }
        }
        if (name == null) {
            list(System.out);
            return;
        }
        Scenario s = SCENARIOS.get(name);
        if (s == null) {
            usage("no scenario named '" + name + "'");
            return;
        }
        if (deadlock) {
            s.runIntoDeadlock(waitMillis);
        } else {
            s.run();
        }
    }

    private static long parseMillis(String value) {
        try {
            long ms = Long.parseLong(value);
            if (ms > 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("bad value for --wait: '" + value + "' (expected milliseconds, a whole number > 0)");
        return 0;
    }

    private static void list(PrintStream out) {
        int width = 0;
        for (String n : SCENARIOS.keySet()) {
            width = Math.max(width, n.length());
        }
        for (Scenario s : SCENARIOS.values()) {
            out.println(String.format("%-" + width + "s  %s", s.name(), s.description()));
        }
    }

    private static void usage(String problem) {
        System.err.println("jlockdep-demos: " + problem);
        System.err.println("usage: java -javaagent:jlockdep-agent.jar -jar jlockdep-demos.jar [<scenario> [--deadlock]"
                + " [--wait=<ms>]]");
        System.err.println("  --deadlock   real threads that really deadlock; the demo ends by itself");
        System.err.println("  --wait=<ms>  how long --deadlock leaves the threads stuck before it ends (default "
                + DEFAULT_WAIT_MILLIS + ")");
        System.err.println("scenarios:");
        list(System.err);
        System.exit(2);
    }
}
