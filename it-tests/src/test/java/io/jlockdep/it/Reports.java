package io.jlockdep.it;

/** Assertions on report text as a user reads it. */
final class Reports {
    static final String CIRCULAR = "WARNING: possible circular locking dependency detected";
    static final String RECURSIVE = "WARNING: possible recursive locking detected";
    static final String WAIT_NOTIFY = "WARNING: possible wait/notify deadlock detected";
    static final String WAIT_FOR = "WARNING: possible wait-for deadlock detected";

    /** The one line a run that found anything ends with. */
    static final java.util.regex.Pattern SUMMARY = java.util.regex.Pattern.compile("jlockdep: (\\d+ findings? \\("
            + "[^)]*\\) in \\d+ lock class(es)?|no findings)(; \\d+ suppressed)?");

    private Reports() {
    }

    /**
     * Asserts that jlockdep printed no one-line message of its own on standard error (an internal error, a full
     * table...) but the summary line, and that the summary line ends it when there were reports.
     */
    static void assertOnlyTheSummaryLine(Jvm.Result r) {
        java.util.List<String> lines = r.stderr.lines().collect(java.util.stream.Collectors.toList());
        java.util.List<String> own = new java.util.ArrayList<>();
        for (String line : lines) {
            if (line.contains("jlockdep: ") && !SUMMARY.matcher(line).matches()) {
                own.add(line);
            }
        }
        if (!own.isEmpty()) {
            throw new AssertionError("no message of jlockdep's own expected, got " + own + "\n" + r);
        }
        boolean reported = r.stderr.contains("\n======");
        if (reported && !SUMMARY.matcher(lines.get(lines.size() - 1)).matches()) {
            throw new AssertionError("expected the summary line last on standard error, after the reports\n" + r);
        }
    }

    /** Each part must appear in standard error, in this order. */
    static void assertInOrder(Jvm.Result result, String... parts) {
        assertInOrder(result.stderr, "standard error\n" + result, parts);
    }

    /** Each part must appear in standard output, in this order. */
    static void assertStdoutInOrder(Jvm.Result result, String... parts) {
        assertInOrder(result.stdout, "standard output\n" + result, parts);
    }

    /** Each part must appear in the text, in this order. */
    static void assertInOrder(String text, String... parts) {
        assertInOrder(text, "\n" + text, parts);
    }

    private static void assertInOrder(String text, String where, String... parts) {
        int at = 0;
        for (String part : parts) {
            int found = text.indexOf(part, at);
            if (found < 0) {
                throw new AssertionError("expected [" + part + "] (in this order) in " + where);
            }
            at = found + part.length();
        }
    }

    /** The sections of lockdep's circular report, in the reference splat's order. */
    static final String[] CIRCULAR_SECTIONS = {
        "======================================================\n" + CIRCULAR + "\njlockdep ",
        "------------------------------------------------------\n",
        " is trying to acquire lock:\n",
        "but thread is already holding lock:\n",
        "which lock already depends on the new lock.\n",
        "the existing dependency chain (in reverse order) is:\n",
        "-> #1 (",
        "-> #0 (",
        "other info that might help us debug this:\n",
        " Possible unsafe locking scenario:\n",
        " *** DEADLOCK ***\n",
        " held by ",
        "stack backtrace:\n",
    };
}
