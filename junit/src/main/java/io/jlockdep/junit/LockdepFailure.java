package io.jlockdep.junit;

/**
 * A test or test class during which jlockdep reported findings. Its message is one line, each finding's headline, so
 * that summaries that print failure messages (Surefire's "Results", IDE trees) show one line per test; the whole
 * reports, as jlockdep printed them, follow it in {@link #toString()}, which is what a stack trace prints (Surefire's
 * per-test output and XML report, JUnit's console launcher, IDEs). There is no stack trace of its own, since the
 * stacks that matter are in the reports.
 */
public final class LockdepFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final String reports;

    LockdepFailure(String summary, String reports) {
        super(summary);
        this.reports = reports;
    }

    /** The whole reports, as jlockdep printed them. */
    public String reports() {
        return reports;
    }

    /** The class, the one-line summary, then the reports. */
    @Override
    public String toString() {
        return getClass().getName() + ": " + getMessage() + (reports.isEmpty() ? "" : "\n\n" + reports);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
