package io.jlockdep.agent.bootstrap;

import java.util.function.ToIntFunction;

/**
 * {@code java -jar jlockdep-agent.jar <command>}: the merge, html and dot tools. Their code (module tools, package
 * {@code io.jlockdep.tools}) is in the jar's isolated part, loaded here in a class loader of its own whose parent, the
 * application class loader, finds the runtime they share with the live engine at the jar's top level.
 */
public final class Cli {
    private Cli() {
    }

    public static void main(String[] args) throws Exception {
        IsolatedClassLoader loader =
                new IsolatedClassLoader(BootstrapJar.location(), ClassLoader.getSystemClassLoader());
        @SuppressWarnings("unchecked")
        ToIntFunction<String[]> tools = loader.create("io.jlockdep.tools.Tools", ToIntFunction.class);
        System.exit(tools.applyAsInt(args));
    }
}
