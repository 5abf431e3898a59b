package io.jlockdep.agent.bootstrap;

import java.lang.reflect.InvocationTargetException;

/**
 * {@code java -jar jlockdep-agent.jar <command>}: the merge, html and dot tools. Their code (module tools, package
 * {@code io.jlockdep.tools}) is in the jar's isolated part, loaded here in a class loader of its own whose parent, the
 * application class loader, finds the runtime they share with the live engine at the jar's top level.
 */
public final class Cli {
    private Cli() {
    }

    public static void main(String[] args) throws Exception {
        ClassLoader tools = new IsolatedClassLoader(BootstrapJar.location(), ClassLoader.getSystemClassLoader());
        int status;
        try {
            status = (Integer) Class.forName("io.jlockdep.tools.Tools", true, tools).getMethod("run", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw AgentMain.unchecked(e.getCause());
        }
        System.exit(status);
    }
}
