package io.jlockdep.demo;

import io.jlockdep.demo.ntfs.NtfsScenario;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one scenario by name, or lists them all (name first, then a one-line description).
 * <pre>java -javaagent:agent/target/jlockdep-agent.jar -jar demo-apps/target/jlockdep-demos.jar ntfs</pre>
 */
public final class Demos {
    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        add(new NtfsScenario());
    }

    private Demos() {
    }

    private static void add(Scenario s) {
        SCENARIOS.put(s.name(), s);
    }

    public static void main(String[] args) throws Exception {
        String name = null;
        boolean deadlock = false;
        for (String a : args) {
            if (a.equals("--deadlock")) {
                deadlock = true;
            } else if (name == null) {
                name = a;
            } else {
                usage("unexpected argument: " + a);
                return;
            }
        }
        if (name == null) {
            list();
            return;
        }
        Scenario s = SCENARIOS.get(name);
        if (s == null) {
            usage("no scenario named '" + name + "'");
            return;
        }
        s.run(deadlock);
    }

    private static void list() {
        int width = 0;
        for (String n : SCENARIOS.keySet()) {
            width = Math.max(width, n.length());
        }
        for (Scenario s : SCENARIOS.values()) {
            System.out.println(String.format("%-" + width + "s  %s", s.name(), s.description()));
        }
    }

    private static void usage(String problem) {
        System.err.println("jlockdep-demos: " + problem);
        System.err.println("usage: java -javaagent:jlockdep-agent.jar -jar jlockdep-demos.jar [<scenario> [--deadlock]]");
        System.err.println("scenarios:");
        for (Scenario s : SCENARIOS.values()) {
            System.err.println("  " + s.name() + "  " + s.description());
        }
        System.exit(2);
    }
}
