package io.jlockdep.runtime;

import io.jlockdep.runtime.finding.Suppressions;

/**
 * The engine's settings. The agent parses and validates options in one place and hands the result here; the engine
 * never parses text itself.
 */
public final class Config {
    private final String outFile;
    private final int maxReports;
    private final int maxClasses;
    private final int maxDependencies;
    private final int maxChains;
    private final int maxDepth;
    private final int maxStacks;
    private final boolean stats;
    private final boolean strictNesting;
    private final boolean debug;
    private final int exitCode;
    private final int watchdogMillis;
    private final boolean lockStat;
    private final Suppressions suppressions;
    private final String baselineFile;

    private Config(Builder b) {
        this.outFile = b.outFile;
        this.maxReports = b.maxReports;
        this.maxClasses = b.maxClasses;
        this.maxDependencies = b.maxDependencies;
        this.maxChains = b.maxChains;
        this.maxDepth = b.maxDepth;
        this.maxStacks = b.maxStacks;
        this.stats = b.stats;
        this.strictNesting = b.strictNesting;
        this.debug = b.debug;
        this.watchdogMillis = b.watchdogMillis;
        this.lockStat = b.lockStat;
        this.exitCode = b.exitCode;
        this.suppressions = b.suppressions;
        this.baselineFile = b.baselineFile;
    }

    public static Config defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** File reports are appended to, or null for standard error. */
    public String outFile() {
        return outFile;
    }

    /** Reports printed at most; 0 means unlimited. */
    public int maxReports() {
        return maxReports;
    }

    public int maxClasses() {
        return maxClasses;
    }

    public int maxDependencies() {
        return maxDependencies;
    }

    public int maxChains() {
        return maxChains;
    }

    public int maxDepth() {
        return maxDepth;
    }

    /** Saved stack traces (one per new dependency-creating acquisition) before the validator turns off. */
    public int maxStacks() {
        return maxStacks;
    }

    /** {@code nesting=strict}: two locks of one class held together is reported at once, as lockdep does. */
    public boolean strictNesting() {
        return strictNesting;
    }

    public boolean stats() {
        return stats;
    }

    public boolean debug() {
        return debug;
    }

    /**
     * {@code watchdog=<ms>}: threads stuck this long in a cycle of lock waits are reported as a real deadlock; 0 for
     * no watchdog.
     */
    public int watchdogMillis() {
        return watchdogMillis;
    }

    /**
     * Whether threads record what they wait for (the watchdog, lock statistics): the agent then also marks the end of
     * each blocking acquisition.
     */
    public boolean tracksWaits() {
        return watchdogMillis > 0 || lockStat;
    }

    /** {@code lockstat=true}: contention statistics per lock class, like lockdep's lock_stat. */
    public boolean lockStat() {
        return lockStat;
    }

    /** {@code exit-code}: the status a JVM that reported a finding exits with instead of 0; 0 when not set. */
    public int exitCode() {
        return exitCode;
    }

    /** {@code suppress=<file>}: the findings that are counted and recorded but never printed and fail nothing. */
    public Suppressions suppressions() {
        return suppressions;
    }

    /** {@code baseline=<file>}: the suppression file every finding of this run is added to at exit, or null. */
    public String baselineFile() {
        return baselineFile;
    }

    public static final class Builder {
        private String outFile;
        private int maxReports;
        private int maxClasses = 8192;
        private int maxDependencies = 65536;
        private int maxChains = 65536;
        private int maxDepth = 48;
        private int maxStacks = 65536;
        private boolean stats;
        private boolean strictNesting;
        private boolean debug;
        private int exitCode;
        private int watchdogMillis;
        private boolean lockStat;
        private Suppressions suppressions = Suppressions.none();
        private String baselineFile;

        private Builder() {
        }

        public Builder outFile(String path) {
            this.outFile = path;
            return this;
        }

        public Builder maxReports(int n) {
            this.maxReports = n;
            return this;
        }

        public Builder maxClasses(int n) {
            this.maxClasses = n;
            return this;
        }

        public Builder maxDependencies(int n) {
            this.maxDependencies = n;
            return this;
        }

        public Builder maxChains(int n) {
            this.maxChains = n;
            return this;
        }

        public Builder maxDepth(int n) {
            this.maxDepth = n;
            return this;
        }

        public Builder maxStacks(int n) {
            this.maxStacks = n;
            return this;
        }

        public Builder strictNesting(boolean on) {
            this.strictNesting = on;
            return this;
        }

        public Builder stats(boolean on) {
            this.stats = on;
            return this;
        }

        public Builder lockStat(boolean on) {
            this.lockStat = on;
            return this;
        }

        public Builder watchdogMillis(int millis) {
            this.watchdogMillis = millis;
            return this;
        }

        public Builder debug(boolean on) {
            this.debug = on;
            return this;
        }

        public Builder exitCode(int status) {
            this.exitCode = status;
            return this;
        }

        public Builder suppressions(Suppressions s) {
            this.suppressions = s;
            return this;
        }

        public Builder baselineFile(String path) {
            this.baselineFile = path;
            return this;
        }

        public Config build() {
            return new Config(this);
        }
    }
}
