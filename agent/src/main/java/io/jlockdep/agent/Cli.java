package io.jlockdep.agent;

import io.jlockdep.tools.Tools;

/**
 * {@code java -jar jlockdep-agent.jar <command>}: the merge, html and dot tools. Their code is in the tools module
 * (package {@code io.jlockdep.tools}), built on the runtime's graph search and report format; the agent jar carries
 * both, so here they load from the jar like any application's.
 */
public final class Cli {
    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(Tools.run(args));
    }
}
