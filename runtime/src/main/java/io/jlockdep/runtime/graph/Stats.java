package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Config;
import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.lockclass.LockClasses;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters in the spirit of /proc/lockdep_stats. Chain-cache hits are counted on the fast path only when the
 * {@code stats} option is on; everything else is counted on the slow path, where it costs nothing that matters.
 */
public final class Stats {
    /** Set once at start from the {@code stats} option; read on the fast path. */
    static boolean countHits;
    static final LongAdder CHAIN_HITS = new LongAdder();
    static final LongAdder CHAIN_MISSES = new LongAdder();
    static final AtomicInteger MAX_DEPTH = new AtomicInteger();
    static final AtomicInteger FINDINGS = new AtomicInteger();
    static final AtomicInteger SUPPRESSED = new AtomicInteger();

    private final int classes;
    private final int dependencies;
    private final int chains;
    private final int stackTraces;
    private final long chainHits;
    private final long chainMisses;
    private final int maxDepth;
    private final int findings;
    private final java.util.List<String> gatedCycles;
    private final int suppressed;
    private final long constructorWalks;
    private final long constructorHints;
    private final Config config;

    private Stats() {
        config = Engine.config();
        classes = LockClasses.count();
        dependencies = LockGraph.dependencyCount();
        chains = LockGraph.chainCount();
        stackTraces = LockGraph.traceCount();
        chainHits = CHAIN_HITS.sum();
        chainMisses = CHAIN_MISSES.sum();
        maxDepth = MAX_DEPTH.get();
        findings = FINDINGS.get();
        gatedCycles = new java.util.ArrayList<>(LockGraph.gatedCycles());
        gatedCycles.addAll(Nesting.gatedCycles());
        suppressed = SUPPRESSED.get();
        constructorWalks = LockClasses.constructorWalks();
        constructorHints = LockClasses.constructorHints();
    }

    public static Stats snapshot() {
        return new Stats();
    }

    public static void reset() {
        CHAIN_HITS.reset();
        CHAIN_MISSES.reset();
        MAX_DEPTH.set(0);
        FINDINGS.set(0);
        SUPPRESSED.set(0);
    }

    public static void countChainHits(boolean on) {
        countHits = on;
    }

    /** A finding was reported, or (when {@code suppressed}) silenced by the suppression file. */
    public static void findingReported(boolean suppressed) {
        (suppressed ? SUPPRESSED : FINDINGS).incrementAndGet();
    }

    public static void depthReached(int depth) {
        int seen = MAX_DEPTH.get();
        while (depth > seen && !MAX_DEPTH.compareAndSet(seen, depth)) {
            seen = MAX_DEPTH.get();
        }
    }

    public int classes() {
        return classes;
    }

    public int dependencies() {
        return dependencies;
    }

    public int chains() {
        return chains;
    }

    public int stackTraces() {
        return stackTraces;
    }

    /** Acquisitions whose chain was validated before; counted only with the {@code stats} option. */
    public long chainHits() {
        return chainHits;
    }

    /** Acquisitions whose chain was new and took the slow path. */
    public long chainMisses() {
        return chainMisses;
    }

    public int maxDepth() {
        return maxDepth;
    }

    /** Findings reported, those a suppression file silenced left out. */
    public int findings() {
        return findings;
    }

    /**
     * Cycles not reported because every order in them was taken holding one gate lock, each as
     * {@code A --> B --> A, gated by G}.
     */
    public java.util.List<String> gatedCycles() {
        return gatedCycles;
    }

    /** Findings silenced by the suppression file ({@code suppress=}). */
    public int suppressed() {
        return suppressed;
    }

    /** Objects of classes that lock themselves classed by a stack walk from their constructor (the costly way). */
    public long constructorWalks() {
        return constructorWalks;
    }

    /** Objects of classes that lock themselves classed by their allocating code's hint, without a walk. */
    public long constructorHints() {
        return constructorHints;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("jlockdep: lock statistics\n");
        line(sb, "lock-classes:", classes, config.maxClasses());
        line(sb, "direct dependencies:", dependencies, config.maxDependencies());
        line(sb, "lock chains:", chains, config.maxChains());
        line(sb, "stack traces saved:", stackTraces, config.maxStacks());
        line(sb, "chain cache hits:", chainHits, -1);
        line(sb, "chain cache misses:", chainMisses, -1);
        line(sb, "max locking depth:", maxDepth, config.maxDepth());
        line(sb, "findings:", findings, -1);
        line(sb, "suppressed findings:", suppressed, -1);
        line(sb, "constructor stack walks:", constructorWalks, -1);
        line(sb, "constructor site hints:", constructorHints, -1);
        line(sb, "gated cycles:", gatedCycles.size(), -1);
        for (String cycle : gatedCycles) {
            sb.append("   ").append(cycle).append('\n');
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, long value, int max) {
        // No String.format: it may load locale data, and stats are also printed from a shutdown hook.
        sb.append(' ').append(label);
        for (int i = label.length(); i < 28; i++) {
            sb.append(' ');
        }
        String number = Long.toString(value);
        for (int i = number.length(); i < 11; i++) {
            sb.append(' ');
        }
        sb.append(number);
        if (max > 0) {
            sb.append(" [max: ").append(max).append(']');
        }
        sb.append('\n');
    }
}
