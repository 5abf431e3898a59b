package io.jlockdep.bench;

import io.jlockdep.runtime.Engine;
import java.util.List;

/**
 * Makes a run fail instead of measuring the wrong thing: a pass "with the agent" whose locks the agent does not see
 * (not instrumented, agent missing or turned off), or a plain pass with the agent on. run.sh sets
 * {@code -Djlockdep.bench.agent=true} next to {@code -javaagent} on the forks of the agent pass.
 */
public final class AgentCheck {
    /** Whether this JVM was started for the agent pass. */
    public static final boolean AGENT_EXPECTED = Boolean.getBoolean("jlockdep.bench.agent");

    private AgentCheck() {
    }

    /** The agent is checking exactly when this JVM was started for the agent pass; returns whether it is. */
    public static boolean expectAgentAsStarted(String what) {
        boolean running = Engine.isEnabled();
        if (running != AGENT_EXPECTED) {
            throw new IllegalStateException(what + ": jlockdep agent expected " + (AGENT_EXPECTED ? "on" : "off")
                    + " but it is " + (running ? "on" : "off") + " (-Djlockdep.bench.agent=" + AGENT_EXPECTED + ")");
        }
        return running;
    }

    /** How many locks the agent sees this thread hold (JMH itself may hold some around a setup); 0 without it. */
    public static int trackedNow() {
        return Engine.isEnabled() ? Engine.heldLocks().size() : 0;
    }

    /**
     * Called by a benchmark while it holds {@code held} of its own locks on this thread, taken after
     * {@link #trackedNow} returned {@code baseline}: under the agent they must all be on the thread's tracked
     * held-lock stack; without it the engine must be off.
     */
    public static void expectTracked(int baseline, int held, String what) {
        if (expectAgentAsStarted(what)) {
            List<String> tracked = Engine.heldLocks();
            if (tracked.size() != baseline + held) {
                throw new IllegalStateException(what + ": holds " + held + " locks (after " + baseline
                        + ") but jlockdep tracks " + tracked + "; the benchmark's locks are not instrumented");
            }
        }
    }
}
