package io.jlockdep.junit;

import io.jlockdep.Lockdep;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Where the extension learns about findings: the agent, through the public {@link Lockdep} API (tests use a fake). */
interface FindingSource {
    /** True when jlockdep runs in this JVM. */
    boolean attached();

    /** Findings so far; they are numbered from 0 in the order reported. */
    long count();

    /** The report texts of findings {@code from} to {@code to - 1}; the oldest may be forgotten (see Lockdep). */
    List<String> reports(long from, long to);

    /** The same findings' reports in one line each. */
    List<String> headlines(long from, long to);

    /** From now on reports are shown in test failures: the agent only announces them as they are found. */
    void deliverThroughTests();

    /** The finding numbered {@code number} was shown in a test failure. */
    void shown(long number);

    FindingSource AGENT = new FindingSource() {
        @Override
        public boolean attached() {
            try {
                return Lockdep.isAttached();
            } catch (LinkageError e) {
                // No jlockdep-api on the class path, or the agent's Lockdep (which wins, on the boot class path) is
                // older.
                throw new ExtensionConfigurationException("jlockdep-junit cannot use the jlockdep runtime in this JVM ("
                        + e + "); use jlockdep-junit with the jlockdep agent of the same version", e);
            }
        }

        @Override
        public long count() {
            return Lockdep.findingCount();
        }

        @Override
        public List<String> reports(long from, long to) {
            return Lockdep.reports(from, to);
        }

        @Override
        public List<String> headlines(long from, long to) {
            return Lockdep.headlines(from, to);
        }

        @Override
        public void deliverThroughTests() {
            Lockdep.deliverReportsThroughTests();
        }

        @Override
        public void shown(long number) {
            Lockdep.reportShown(number);
        }
    };
}
