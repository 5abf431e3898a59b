package io.jlockdep.runtime;

import io.jlockdep.runtime.finding.Suppressions;

/**
 * The engine's settings, read from the agent's {@link Options}: the agent parses and checks the options, the engine
 * never parses text itself. Defaults come from the one option table, {@link Option}.
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
    private final boolean verifyHolds;

    private Config(Options o, Suppressions suppressions, boolean verifyHolds) {
        this.outFile = o.file(Option.OUT);
        this.maxReports = o.number(Option.MAX_REPORTS);
        this.maxClasses = o.number(Option.MAX_CLASSES);
        this.maxDependencies = o.number(Option.MAX_DEPENDENCIES);
        this.maxChains = o.number(Option.MAX_CHAINS);
        this.maxDepth = o.number(Option.MAX_DEPTH);
        this.maxStacks = o.number(Option.MAX_STACKS);
        this.stats = o.flag(Option.STATS);
        this.strictNesting = o.text(Option.NESTING).equals("strict");
        this.debug = o.flag(Option.DEBUG);
        this.watchdogMillis = o.number(Option.WATCHDOG);
        this.lockStat = o.flag(Option.LOCKSTAT);
        this.exitCode = o.isGiven(Option.EXIT_CODE) ? o.number(Option.EXIT_CODE) : 0;
        this.baselineFile = o.file(Option.BASELINE);
        this.suppressions = suppressions;
        this.verifyHolds = verifyHolds;
    }

    /**
     * The settings these options ask for, as the agent runs with them: its hooks run around real lock operations, so
     * the JVM can be asked what a thread holds ({@link #verifyHolds()}).
     */
    public static Config from(Options options) {
        return new Config(options, Suppressions.none(), true);
    }

    /** {@link #from(Options)}, with the suppression file {@code suppress=} named, already read. */
    public static Config from(Options options, Suppressions suppressions) {
        return new Config(options, suppressions, true);
    }

    /** The defaults, for a driver that only simulates lock operations through the hooks (the engine's tests). */
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

    /**
     * Whether the hooks run around real lock operations (the agent's rewritten code), so that the JVM can be asked what
     * a thread really holds: after a hook lost an event (a stack overflow inside it), before a new lock order is
     * trusted, on a re-acquisition and at a thread's end, records of locks the thread no longer holds are dropped. On
     * for the agent ({@link #from}); off for a driver that only simulates lock operations through the hooks (the
     * engine's tests), unless it asks with {@link Builder#verifyHolds}.
     */
    public boolean verifyHolds() {
        return verifyHolds;
    }

    /** {@code suppress=<file>}: the findings that are counted and recorded but never printed and fail nothing. */
    public Suppressions suppressions() {
        return suppressions;
    }

    /** {@code baseline=<file>}: the suppression file every finding of this run is added to at exit, or null. */
    public String baselineFile() {
        return baselineFile;
    }

    /** Settings for the engine's own tests: the defaults, with what a test changes. */
    public static final class Builder {
        private final Options options = Options.defaults();
        private Suppressions suppressions = Suppressions.none();
        private boolean verifyHolds;

        private Builder() {
        }

        public Builder outFile(String path) {
            options.set(Option.OUT, path);
            return this;
        }

        public Builder maxReports(int n) {
            options.set(Option.MAX_REPORTS, n);
            return this;
        }

        public Builder maxClasses(int n) {
            options.set(Option.MAX_CLASSES, n);
            return this;
        }

        public Builder maxDependencies(int n) {
            options.set(Option.MAX_DEPENDENCIES, n);
            return this;
        }

        public Builder maxChains(int n) {
            options.set(Option.MAX_CHAINS, n);
            return this;
        }

        public Builder maxDepth(int n) {
            options.set(Option.MAX_DEPTH, n);
            return this;
        }

        public Builder maxStacks(int n) {
            options.set(Option.MAX_STACKS, n);
            return this;
        }

        public Builder strictNesting(boolean on) {
            options.set(Option.NESTING, on ? "strict" : "default");
            return this;
        }

        public Builder stats(boolean on) {
            options.set(Option.STATS, on);
            return this;
        }

        public Builder lockStat(boolean on) {
            options.set(Option.LOCKSTAT, on);
            return this;
        }

        public Builder watchdogMillis(int millis) {
            options.set(Option.WATCHDOG, millis);
            return this;
        }

        public Builder debug(boolean on) {
            options.set(Option.DEBUG, on);
            return this;
        }

        public Builder verifyHolds(boolean on) {
            this.verifyHolds = on;
            return this;
        }

        public Builder exitCode(int status) {
            options.set(Option.EXIT_CODE, status == 0 ? null : status);
            return this;
        }

        public Builder suppressions(Suppressions s) {
            this.suppressions = s;
            return this;
        }

        public Builder baselineFile(String path) {
            options.set(Option.BASELINE, path);
            return this;
        }

        public Config build() {
            return new Config(options, suppressions, verifyHolds);
        }
    }
}
