package io.jlockdep.runtime;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.FindingId;
import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.runtime.graph.ChainCache;
import io.jlockdep.runtime.graph.DepType;
import io.jlockdep.runtime.graph.Dependency;
import io.jlockdep.runtime.graph.LockGraph;
import io.jlockdep.runtime.graph.Nesting;
import io.jlockdep.runtime.graph.PathSearch;
import io.jlockdep.runtime.graph.Stats;
import io.jlockdep.runtime.graph.WaitNotify;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.EventClasses;
import io.jlockdep.runtime.lockclass.EventType;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.LockStat;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Sites;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.lockclass.WeakIdentityMap;
import io.jlockdep.runtime.report.Reports;
import io.jlockdep.runtime.sink.FindingEvent;
import io.jlockdep.runtime.sink.FindingHistory;
import io.jlockdep.runtime.sink.FindingSink;
import io.jlockdep.runtime.sink.Output;
import io.jlockdep.runtime.sink.RunSummary;
import io.jlockdep.runtime.text.FrameFolding;
import io.jlockdep.runtime.text.LockdepText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The engine's global switches and its way out: configuration, the on/off flag the hooks test first, report output,
 * and the "something went wrong inside jlockdep" paths that turn checking off without harming the application.
 */
public final class Engine {
    /** Read first by every hook; false until {@link #start} and after the validator turned itself off. */
    static volatile boolean enabled;
    /**
     * Whether threads record what they are waiting for (the watchdog needs it); set at start, before any hook runs
     * with it, and read on the hot path as a plain field.
     */
    static boolean trackWaits;
    /** {@code lockstat=true}: acquisitions, contentions, wait and hold times are counted per lock class. */
    static boolean lockStat;
    /** {@link Config#verifyHolds()}: the hooks run around real lock operations, so the JVM can say what is held. */
    static boolean verifyHolds;
    /** {@code max-depth}, read on every push: a plain copy of the configuration's value. */
    static int maxDepth = Config.defaults().maxDepth();
    /** Set by {@link #start} and never cleared: jlockdep runs in this JVM, even if checking turned itself off. */
    private static volatile boolean started;

    private static volatile Config config = Config.defaults();
    private static volatile Output output = Output.stderr();
    private static volatile Consumer<Finding> listener;
    private static volatile FindingSink[] sinks = new FindingSink[0];
    /** The findings reported (not suppressed), numbered as {@code Lockdep.findingCount} counts them. */
    private static final FindingHistory HISTORY = new FindingHistory(1024);
    /** Every finding, suppressed ones included, for JMX. */
    private static final FindingHistory ALL = new FindingHistory(1024);
    private static final RunSummary SUMMARY = new RunSummary();
    /**
     * Set by a test framework that shows each report in a test failure (the JUnit extension): reports are then
     * announced in one line as they are found, and printed whole at exit only if no failure showed them.
     */
    private static volatile boolean throughTests;
    /** The numbers (in {@link #HISTORY}) of the findings a test failure showed. Guarded by itself. */
    private static final java.util.Set<Long> DELIVERED = new java.util.HashSet<>();
    private static final AtomicInteger REPORTS = new AtomicInteger();
    private static final AtomicBoolean INTERNAL_ERROR = new AtomicBoolean();
    private static final AtomicBoolean CAPACITY_REPORTED = new AtomicBoolean();
    /** Read when first shown (a report), not at start-up: reading a resource from a jar costs the start time. */
    private static volatile String version;

    private Engine() {
    }

    /** Starts checking with this configuration; reports go to its out file or standard error. */
    public static void start(Config c) throws IOException {
        start(c, c.outFile() == null ? Output.stderr() : Output.file(c.outFile()), null);
    }

    /**
     * Starts checking with reports handed to {@code reports} instead of being printed (engine tests, embedding).
     */
    public static void start(Config c, Consumer<Finding> reports) {
        start(c, output, reports);
    }

    /** The switches are set before {@code enabled}, whose volatile write publishes them to every hook. */
    private static void start(Config c, Output o, Consumer<Finding> reports) {
        config = c;
        output = o;
        listener = reports;
        Stats.countChainHits(c.stats());
        trackWaits = c.tracksWaits();
        lockStat = c.lockStat();
        maxDepth = c.maxDepth();
        verifyHolds = c.verifyHolds();
        started = true;
        enabled = true;
        if (c.watchdogMillis() > 0) {
            Watchdog.start(c.watchdogMillis());
        }
    }

    public static void stop() {
        enabled = false;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /** True once checking was started in this JVM, whether or not it has turned itself off since. */
    public static boolean isStarted() {
        return started;
    }

    /**
     * Forgets every dependency, validated chain and printed report, and turns checking back on. Lock classes keep
     * their ids and names. The calling thread's held-lock stack is emptied; other threads' are not touched, so call it
     * when no other thread holds a lock.
     */
    public static void reset() {
        ThreadState.current().clear();
        for (ThreadState ts : ThreadRegistry.live()) {
            ts.deepest = 0; // so the statistics count depths again; racy, a lost write only delays that (ThreadState)
        }
        LockGraph.reset();
        Nesting.reset();
        WaitNotify.reset();
        WaitFor.reset();
        Stats.reset();
        HISTORY.clear();
        ALL.clear();
        SUMMARY.clear();
        throughTests = false;
        synchronized (DELIVERED) {
            DELIVERED.clear();
        }
        REPORTS.set(0);
        CAPACITY_REPORTED.set(false);
        INTERNAL_ERROR.set(false);
        enabled = true;
    }

    /**
     * Loads and initializes what the hooks use, before any hook can run inside JDK code: a class initializer or a first
     * stack walk reached from a hook would otherwise run in the middle of whatever JDK code took a lock.
     */
    public static void warmUp() {
        java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
        Class<?>[] used = {ThreadState.class, WaitState.class, WaitState.Seen.class, HeldLock.class, Tracker.class,
            LockClasses.class, LockClass.class, LockGraph.class, ChainCache.class, WeakIdentityMap.class, Nesting.class,
            WaitNotify.class, Reports.class,
            Finding.class, Finding.Builder.class, Sites.class, Stats.class, Trace.class, CodeSite.class, Dependency.class,
            DepType.class, Mode.class, LockType.class, FindingHistory.class, Hooks.class, PathSearch.class,
            Ownership.class, Reports.Actor.class, LockdepText.class, Finding.Lock.class, Finding.Stack.class,
            Finding.Step.class,
            Finding.Scenario.class, Finding.Action.class, Finding.Action.Verb.class, Finding.Held.class,
            Finding.Held.State.class, Finding.Party.class, Finding.Link.class, FindingId.class, RunSummary.class,
            FrameFolding.class, Suppressions.class, Finding.Wait.class, Finding.Wait.Role.class, EventType.class,
            EventClass.class, EventClass.Need.class, EventClass.Need.How.class, EventClass.Waiter.class,
            EventClasses.class, EventClasses.Source.class, EventClasses.TaskFields.class, WaitForState.class,
            WaitFor.class};
        for (Class<?> c : used) {
            try {
                lookup.ensureInitialized(c);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        // Links the wait state's VarHandle accesses now: linking one the first time runs java.lang.invoke code.
        WaitState probe = new WaitState();
        probe.end();
        probe.read();
        LockGraph.warmUp();
        boolean previous = enterAgentCode();
        try {
            Trace.capture(ThreadState.current().threadLabel());
            LockClasses.warmUp();
        } finally {
            exitAgentCode(previous);
        }
    }

    /**
     * Marks the calling thread as running jlockdep's own code (the agent's transformer), so hooks reached from it do
     * nothing. Returns the previous state, to hand to {@link #exitAgentCode}.
     */
    public static boolean enterAgentCode() {
        ThreadState ts = ThreadState.current();
        boolean previous = ts.busy;
        ts.busy = true;
        return previous;
    }

    public static void exitAgentCode(boolean previous) {
        ThreadState.current().busy = previous;
    }

    /** The counters now, like /proc/lockdep_stats; {@code toString()} prints them. */
    public static Stats stats() {
        return Stats.snapshot();
    }

    /** Prints the lock_stat table to the report output (at exit when lockstat is on). */
    private static void printLockStat() {
        boolean previous = enterAgentCode();
        try {
            write(LockStat.table());
        } finally {
            exitAgentCode(previous);
        }
    }

    /** Prints the statistics to the report output (at exit when the stats option is on). */
    private static void printStats() {
        write(stats().toString());
    }

    public static Config config() {
        return config;
    }

    /** Names of the lock classes the calling thread holds, bottom first (checked against the JVM first). */
    public static List<String> heldLocks() {
        ThreadState ts = ThreadState.current();
        boolean previous = enterAgentCode();
        try {
            Tracker.repair(ts, null);
        } finally {
            exitAgentCode(previous);
        }
        List<String> names = new ArrayList<>(ts.depth);
        for (int i = 0; i < ts.depth; i++) {
            names.add(ts.held[i].lockClass.name());
        }
        return names;
    }

    public static String version() {
        String v = version;
        if (v == null) {
            v = readVersion();
            version = v;
        }
        return v;
    }

    /** The identity line under a report's header, like the kernel's release and taint line. */
    public static String identityLine() {
        return "jlockdep " + version() + " on " + System.getProperty("java.vm.name") + ' '
                + System.getProperty("java.runtime.version", System.getProperty("java.version"));
    }

    /** A virtual thread (JDK 21+); told by its class, since this code is compiled for Java 17. */
    public static boolean isVirtual(Thread t) {
        return t.getClass().getName().equals("java.lang.VirtualThread");
    }

    static String threadLabel(Thread t) {
        String name = t.getName();
        if (name == null || name.isEmpty()) {
            name = isVirtual(t) ? "virtual" : "thread";
        }
        @SuppressWarnings("deprecation")
        long id = t.getId();
        return name + '/' + id;
    }

    /**
     * Adds a sink that receives every finding from now on, whether or not {@code max-reports} stops it being printed.
     */
    public static synchronized void addSink(FindingSink sink) {
        FindingSink[] grown = java.util.Arrays.copyOf(sinks, sinks.length + 1);
        grown[sinks.length] = sink;
        sinks = grown;
    }

    /**
     * Findings reported so far in this JVM (each distinct finding counts once); those a suppression file silences are
     * not counted here (see {@link #suppressedCount}).
     */
    public static long findingCount() {
        return HISTORY.count();
    }

    /** Findings silenced by the suppression file so far. */
    public static long suppressedCount() {
        return SUMMARY.suppressed();
    }

    /** Every finding still remembered (the latest 1024), suppressed ones included, oldest first. */
    public static List<Finding> allFindings() {
        return ALL.since(0);
    }

    /**
     * The findings numbered {@code from} (0-based, as counted by {@link #findingCount}) onwards that are still
     * remembered; the oldest are forgotten past 1024.
     */
    public static List<Finding> findingsSince(long from) {
        return HISTORY.since(from);
    }

    /**
     * The findings numbered {@code from} (inclusive) to {@code to} (exclusive) that are still remembered. Only the
     * oldest are ever forgotten, so the list is the newest part of the range: it ends with finding {@code to - 1}
     * (or the newest so far).
     */
    public static List<Finding> findings(long from, long to) {
        return HISTORY.between(from, to);
    }

    /**
     * Records a finding, hands it to the sinks, and prints it unless {@code max-reports} is reached. A finding the
     * suppression file lists is recorded and counted (statistics, JSON, JMX, Flight Recorder, the summary line) but
     * neither printed nor counted as a finding by {@link #findingCount}, so it fails nothing. Called without the graph
     * lock held.
     */
    public static void emit(Finding finding) {
        Finding f = finding;
        String reason = config.suppressions().reasonFor(f.id());
        if (reason != null) {
            f = f.suppressed(reason);
        }
        Stats.findingReported(f.isSuppressed());
        ALL.add(f);
        if (!f.isSuppressed()) {
            HISTORY.add(f);
            print(f); // first: the report is what must get out, before the thread can block
        }
        SUMMARY.accept(f);
        if (JFR_PRESENT) {
            try {
                FindingEvent.record(f); // the event class is loaded with the first finding, not at start-up
            } catch (Throwable t) {
                sinkFailed(null, t);
            }
        }
        for (FindingSink sink : sinks) {
            try {
                sink.accept(f);
            } catch (Throwable t) {
                sinkFailed(sink, t);
            }
        }
    }

    /** Prints a finding unless {@code max-reports} is reached: the report, or its headline for a test framework. */
    private static void print(Finding f) {
        int limit = config.maxReports();
        int n = REPORTS.incrementAndGet();
        if (limit > 0 && n > limit) {
            return;
        }
        Consumer<Finding> l = listener;
        if (l != null) {
            l.accept(f);
        } else if (throughTests) {
            output.write("jlockdep: " + LockdepText.headline(f) + " (" + f.id() + "); its report is in the failure"
                    + " of the test it belongs to\n");
        } else {
            output.write(f.text());
        }
        if (limit > 0 && n == limit) {
            message("max-reports (" + limit + ") reached, further reports are not printed");
        }
    }

    /**
     * A test framework shows each report in a test failure from now on (the JUnit extension, through
     * {@code Lockdep.deliverReportsThroughTests}): reports are announced in one line as they are found; those no
     * failure showed ({@link #delivered}) are printed whole at exit.
     */
    public static void deliverReportsThroughTests() {
        throughTests = true;
    }

    /** The finding numbered {@code number} (as {@link #findingCount} counts) was shown in a test failure. */
    public static void delivered(long number) {
        synchronized (DELIVERED) {
            DELIVERED.add(number);
        }
    }

    /**
     * What a run ends with, in this order: the reports no test failure showed, the statistics and lock_stat tables
     * when asked for, the baseline file when asked for, then one summary line when anything was found. The body of
     * the agent's exit hook.
     */
    public static void atExit() {
        boolean previous = enterAgentCode();
        try {
            if (throughTests) {
                printUndelivered();
            }
            if (config.stats()) {
                printStats();
            }
            if (config.lockStat()) {
                printLockStat();
            }
            if (config.baselineFile() != null) {
                writeBaseline(config.baselineFile());
            }
            String summary = SUMMARY.line();
            if (summary != null) {
                write(summary + "\n");
            }
        } catch (RuntimeException | LinkageError e) {
            message("cannot finish the exit summary: " + e);
        } finally {
            exitAgentCode(previous);
        }
    }

    /** The summary line of this run so far, or null when nothing was found. */
    public static String summaryLine() {
        return SUMMARY.line();
    }

    private static void printUndelivered() {
        long count = HISTORY.count();
        List<Finding> remembered = HISTORY.since(0);
        long first = count - remembered.size();
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < remembered.size(); i++) {
            boolean delivered;
            synchronized (DELIVERED) {
                delivered = DELIVERED.contains(first + i);
            }
            if (!delivered) {
                sb.append(remembered.get(i).text());
                shown++;
            }
        }
        if (shown > 0) {
            write("jlockdep: " + shown + (shown == 1 ? " finding was" : " findings were") + " not shown in any test"
                    + " failure (reported after the last test class ended):\n" + sb);
        }
    }

    private static void writeBaseline(String file) {
        try {
            int added = Suppressions.addAll(Paths.get(file), SUMMARY.baseline(),
                    Suppressions.header("Written as a baseline by jlockdep " + version()));
            message("baseline " + file + ": " + added + (added == 1 ? " finding" : " findings") + " added");
        } catch (java.io.IOException | RuntimeException e) {
            message("cannot write the baseline " + file + ": " + e.getMessage());
        } catch (Suppressions.BadFileException e) {
            message("cannot add to the baseline: " + e.getMessage());
        }
    }

    /** Text to where reports go: the embedding listener, or the output. */
    private static void write(String text) {
        Consumer<Finding> l = listener;
        if (l != null) {
            l.accept(Finding.message(text));
        } else {
            output.write(text);
        }
    }

    private static final AtomicBoolean SINK_FAILED = new AtomicBoolean();
    /** Flight Recorder is in this JVM's image (a jlink'd runtime may leave jdk.jfr out). */
    private static final boolean JFR_PRESENT = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private static void sinkFailed(FindingSink sink, Throwable t) {
        if (!(t instanceof VirtualMachineError) && SINK_FAILED.compareAndSet(false, true)) {
            message("a finding could not be delivered to " + (sink == null ? "Flight Recorder" : sink) + ": " + t);
        }
    }

    /** A one-line message of jlockdep's own; never throws, whatever the listener does. */
    public static void message(String line) {
        String text = "jlockdep: " + line + "\n";
        Consumer<Finding> l = listener;
        try {
            if (l != null) {
                l.accept(Finding.message(text));
                return;
            }
        } catch (Throwable t) {
            // fall through to the descriptor
        }
        output.write(text);
    }

    /** A hook threw. Errors of the JVM itself (stack overflow, out of memory) belong to the application: drop the event. */
    static void hookFailed(Throwable t) {
        if (t instanceof VirtualMachineError) {
            return;
        }
        if (INTERNAL_ERROR.compareAndSet(false, true)) {
            enabled = false;
            boolean previous = enterAgentCode(); // its stack trace is jlockdep's own: shown whole, and not checked
            try {
                message("internal error, turning off: " + t);
                if (config.debug()) {
                    StringBuilder sb = new StringBuilder();
                    for (StackTraceElement e : t.getStackTrace()) {
                        sb.append("\tat ").append(e).append('\n');
                    }
                    output.write(sb.toString());
                }
            } finally {
                exitAgentCode(previous);
            }
        }
    }

    /** A table is full: like lockdep, say which and how to raise it, then stop validating. */
    public static void capacityExhausted(String name, int limit, String option) {
        enabled = false;
        if (CAPACITY_REPORTED.compareAndSet(false, true)) {
            message(name + " too low (" + limit + "), turning off the validator; raise it with " + option + "=<n>");
        }
    }

    private static String readVersion() {
        // Found when the runtime is on an application class path; on the boot class path the agent passes its version.
        try (InputStream in = Engine.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "dev";
    }
}
