package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.LockStat;
import java.util.List;
import java.util.Map;

/**
 * jlockdep in a running service, over JMX as {@code io.jlockdep:type=Lockdep}: what it found, its statistics, the
 * locks every thread holds right now, the lock-class graph and, with {@code lockstat=true}, contention statistics.
 * Registered on the platform MBean server as soon as the JVM creates it (a JMX agent, a console attaching).
 */
public interface LockdepMXBean {
    String OBJECT_NAME = "io.jlockdep:type=Lockdep";

    /** False once the validator turned itself off (a table full, an internal error). */
    boolean isChecking();

    String getVersion();

    /** Findings reported so far, those the suppression file silences left out. */
    long getFindingCount();

    /** Findings the suppression file ({@code suppress=}) silenced so far. */
    long getSuppressedFindingCount();

    /** The most recent findings (up to 1024), suppressed ones included and marked, oldest first. */
    List<FindingInfo> getFindings();

    /** Like /proc/lockdep_stats: classes, dependencies, chains, chain-cache hits and misses, findings... */
    Map<String, Long> getStatistics();

    /** Every thread holding locks right now, with its held locks as report lines. */
    List<ThreadLocks> getHeldLocks();

    /** The same, as lockdep's debug_show_all_locks prints it. */
    String getHeldLocksText();

    /** lock_stat rows ({@code lockstat=true}; empty otherwise). */
    List<LockStatInfo> getLockStatistics();

    /** The lock_stat table as printed at exit. */
    String getLockStatisticsText();

    /** The lock-class graph in jlockdep's JSON format (the "graph" line of {@code json=}; see docs/json-format.md). */
    String exportGraphJson();

    /** The lock-class graph for Graphviz. */
    String exportGraphDot();

    /** A finding, as JMX consoles show it. */
    final class FindingInfo {
        private final Finding finding;

        FindingInfo(Finding finding) {
            this.finding = finding;
        }

        /** {@code circular-dependency}, {@code deadlock}, ... */
        public String getKind() {
            return finding.kind().id();
        }

        /** The stable identifier a suppression file names it by. */
        public String getId() {
            return finding.id() == null ? "" : finding.id();
        }

        /** Listed in the suppression file: counted, not printed, failing nothing. */
        public boolean isSuppressed() {
            return finding.isSuppressed();
        }

        /** The suppression file's reason, or empty. */
        public String getSuppression() {
            return finding.isSuppressed() ? finding.suppression() : "";
        }

        public String getTitle() {
            return finding.title();
        }

        public String getThread() {
            return finding.thread() == null ? "" : finding.thread();
        }

        public long getTimeMillis() {
            return finding.timeMillis();
        }

        /** The lock classes involved, first the one being acquired. */
        public String[] getLocks() {
            String[] names = new String[finding.locks().size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = finding.locks().get(i).name();
            }
            return names;
        }

        /** The same lock classes with nothing shortened ({@code monitor of com.x.Account}). */
        public String[] getLockFullNames() {
            String[] names = new String[finding.locks().size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = finding.locks().get(i).fullName();
            }
            return names;
        }

        public String getText() {
            return finding.text();
        }
    }

    /** One thread's held locks. */
    final class ThreadLocks {
        private final String thread;
        private final String state;
        private final String[] locks;

        ThreadLocks(String thread, String state, List<String> locks) {
            this.thread = thread;
            this.state = state;
            this.locks = locks.toArray(new String[0]);
        }

        public String getThread() {
            return thread;
        }

        public String getState() {
            return state;
        }

        public String[] getLocks() {
            return locks.clone();
        }
    }

    /** One lock_stat row; times in nanoseconds. */
    final class LockStatInfo {
        private final LockStat.Row row;

        LockStatInfo(LockStat.Row row) {
            this.row = row;
        }

        public String getLockClass() {
            return row.lockClass();
        }

        public String getKind() {
            return row.kind();
        }

        public long getAcquisitions() {
            return row.acquisitions();
        }

        public long getContentions() {
            return row.contentions();
        }

        public long getWaitTimeMinNanos() {
            return row.waitMinNanos();
        }

        public long getWaitTimeMaxNanos() {
            return row.waitMaxNanos();
        }

        public long getWaitTimeTotalNanos() {
            return row.waitTotalNanos();
        }

        public long getHoldTimeMinNanos() {
            return row.holdMinNanos();
        }

        public long getHoldTimeMaxNanos() {
            return row.holdMaxNanos();
        }

        public long getHoldTimeTotalNanos() {
            return row.holdTotalNanos();
        }
    }
}
