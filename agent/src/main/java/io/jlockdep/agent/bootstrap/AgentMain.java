package io.jlockdep.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Entry point for {@code -javaagent} and for dynamic attach: the agent's bootstrap. It makes sure the runtime is on
 * the boot class path, then hands over to the agent proper ({@code io.jlockdep.agent.AgentStart}), which it loads in
 * the agent's own class loader from the jar's isolated part. Free of any reference to the runtime or to the agent
 * proper: the runtime must be on the boot class path before a class that uses it is even linked, and the agent proper
 * must never be loaded by a class loader an application can reach.
 */
public final class AgentMain {
    /** One per JVM, so that a second start (an attach after -javaagent) finds the first one's agent. */
    private static IsolatedClassLoader agent;

    private AgentMain() {
    }

    public static void premain(String options, Instrumentation inst) {
        start(options, inst, false);
    }

    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst, true);
    }

    private static void start(String options, Instrumentation inst, boolean attached) {
        Consumer<Object[]> start;
        try {
            @SuppressWarnings("unchecked")
            Consumer<Object[]> created = agent(inst).create("io.jlockdep.agent.AgentStart", Consumer.class);
            start = created;
        } catch (Throwable t) {
            error("cannot load the agent from its jar, not starting: " + t);
            return;
        }
        start.accept(new Object[] {options, inst, attached});
    }

    private static synchronized IsolatedClassLoader agent(Instrumentation inst) throws IOException {
        if (agent == null) {
            java.nio.file.Path jar = BootstrapJar.location();
            try {
                BootstrapJar.appendRuntime(inst, jar);
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot put the runtime on the boot class path: " + e, e);
            }
            agent = new IsolatedClassLoader(jar, ClassLoader.getPlatformClassLoader());
        }
        return agent;
    }

    /** One line on the standard error descriptor (no PrintStream lock), as the agent proper writes its messages. */
    private static void error(String line) {
        try {
            byte[] text = ("jlockdep: " + line + "\n").getBytes(StandardCharsets.UTF_8);
            new FileOutputStream(FileDescriptor.err).write(text);
        } catch (IOException ignored) {
            // stderr is closed: nothing else to tell
        }
    }
}
