package io.jlockdep.agent;

import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;

/**
 * Where the bootstrap ({@code bootstrap.AgentMain}) hands over, once the runtime is on the boot class path: it creates
 * this class in the agent's own class loader and passes {@code {options text, instrumentation, attached}} through a
 * JDK interface, since it may not name the agent's classes (see {@code bootstrap.IsolatedClassLoader#create}).
 */
public final class AgentStart implements Consumer<Object[]> {
    public AgentStart() {
    }

    @Override
    public void accept(Object[] args) {
        Installer.start((String) args[0], (Instrumentation) args[1], (Boolean) args[2]);
    }
}
