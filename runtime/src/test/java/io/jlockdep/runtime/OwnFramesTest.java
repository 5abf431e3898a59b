package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The filter Throwable's stack traces go through: jlockdep's own frames go, the program's and the JDK's stay. */
class OwnFramesTest {
    private static StackTraceElement frame(String className, String method) {
        return new StackTraceElement(className, method, "X.java", 1);
    }

    private final StackTraceElement wait = frame("java.lang.Object", "wait");
    private final StackTraceElement hook = frame("io.jlockdep.runtime.Hooks", "objectWait");
    private final StackTraceElement tracker = frame("io.jlockdep.runtime.graph.LockGraph", "validate");
    private final StackTraceElement agent = frame("io.jlockdep.agent.LockdepTransformer", "transform");
    private final StackTraceElement api = frame("io.jlockdep.Lockdep", "assertHeld");
    private final StackTraceElement program = frame("com.example.Service", "run");

    @Test
    void jlockdepsFramesAreDroppedAndTheRestKeepTheirOrder() {
        StackTraceElement[] trace = {tracker, hook, wait, hook, agent, api, program};
        assertArrayEquals(new StackTraceElement[] {wait, api, program}, Hooks.withoutOwnFrames(trace));
    }

    @Test
    void aTraceWithoutThemIsReturnedAsItIs() {
        StackTraceElement[] trace = {wait, api, program};
        assertSame(trace, Hooks.withoutOwnFrames(trace));
    }

    @Test
    void jlockdepsOwnDiagnosticsKeepThem() {
        StackTraceElement[] trace = {tracker, program};
        boolean previous = Engine.enterAgentCode();
        try {
            assertSame(trace, Hooks.withoutOwnFrames(trace));
        } finally {
            Engine.exitAgentCode(previous);
        }
    }
}
