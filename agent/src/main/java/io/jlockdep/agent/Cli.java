package io.jlockdep.agent;

import io.jlockdep.tools.Tools;

/**
 * {@code java -jar jlockdep-agent.jar <command>}: the merge, html and dot tools. Their code is in the runtime module
 * (package {@code io.jlockdep.tools}), since it shares the graph search and the report format with the live engine;
 * the agent jar carries the runtime's classes, so here they load from the jar like any application's.
 */
public final class Cli {
    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(Tools.run(args, Options.describe()));
    }
}
