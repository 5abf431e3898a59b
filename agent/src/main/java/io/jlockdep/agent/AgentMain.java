package io.jlockdep.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point for {@code -javaagent} and for dynamic attach. Kept free of any reference to the runtime: the runtime
 * must be on the boot class path before a class that uses it is even linked, so this class puts the runtime there, then
 * hands over to {@link Installer}, which checks the options against the runtime's option table.
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

    private static void start(String options, Instrumentation inst, boolean attached) {
        try {
            BootstrapJar.appendRuntime(inst);
        } catch (Throwable t) {
            Messages.error("cannot put the runtime on the boot class path, not starting: " + t);
            return;
        }
        Installer.start(options, inst, attached);
    }
}
