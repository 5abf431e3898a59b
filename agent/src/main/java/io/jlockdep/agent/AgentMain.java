package io.jlockdep.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent} and for dynamic attach. Kept free of any reference to the runtime: the runtime
 * must be on the boot class path before a class that uses it is even linked, so this class checks the options, puts
 * the runtime there, then hands over to {@link Installer}.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void premain(String options, Instrumentation inst) {
        start(options, inst, false);
    }

    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst, true);
    }

    private static void start(String optionText, Instrumentation inst, boolean attached) {
        Options options;
        try {
            options = Options.parse(optionText);
        } catch (Options.OptionException e) {
            refuse(e.getMessage(), attached);
            return;
        }
        try {
            BootstrapJar.appendRuntime(inst);
        } catch (Throwable t) {
            Messages.error("cannot put the runtime on the boot class path, not starting: " + t);
            return;
        }
        String problem = Installer.install(options, inst, attached);
        if (problem != null) {
            refuse(problem, attached);
        }
    }

    /**
     * A bad option. At JVM start-up the user asked for checking and would otherwise run unchecked without noticing,
     * so start-up stops with the one line; a dynamic attach must never take the running application down.
     */
    private static void refuse(String line, boolean attached) {
        Messages.error(line);
        if (!attached) {
            Runtime.getRuntime().halt(1);
        }
    }
}
