package io.jlockdep.agent.instrument;

/**
 * Thrown by {@link ClassInstrumenter} when a class cannot be rewritten. The message is one line naming the class and
 * the reason. A caller that gets it leaves the class as it was.
 */
public final class InstrumentationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InstrumentationException(String message) {
        super(message);
    }

    public InstrumentationException(String message, Throwable cause) {
        super(message, cause);
    }
}
