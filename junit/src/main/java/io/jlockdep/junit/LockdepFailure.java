package io.jlockdep.junit;

/**
 * A test or test class during which jlockdep reported findings. The message holds the reports as jlockdep printed
 * them; there is no stack trace of its own, since the stacks that matter are in the reports.
 */
public final class LockdepFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    LockdepFailure(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
