package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Config;
import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.Hooks;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Sites;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's slow path: what an acquisition that closes a never-seen chain costs when the dependency graph is
 * large. Runs without the agent, driving the engine through {@link Hooks} exactly as instrumented code does
 * (allocation, site, before/after lock, unlock); no Java lock is taken.
 *
 * <p>The graph: {@value #CLASSES} lock classes numbered 0..n-1 and {@value #DEPENDENCIES} distinct dependencies, each
 * between two classes drawn uniformly at random (fixed seed) and directed from the lower to the higher number, so
 * the graph is acyclic like a program with one global lock order. Each dependency is made by taking its two locks
 * nested, in increasing order of the lower class, so that building stays fast.
 *
 * <p>Each measured check takes a lock A then a lock B such that A→B is a new dependency and A &lt; B (no cycle, no
 * report): a chain-cache miss, a stack capture, and a breadth-first search from B for a path back to A that finds
 * none, so it visits everything reachable from B. {@link #newDependency} draws A and B at random (the typical
 * case); {@link #newDependencyDeepSearch} draws B among the lowest-numbered classes, from which most of the graph is
 * reachable (the near-worst case; setup prints how many classes and dependencies the search visits). {@link #deepSearchOnly}
 * times that search alone, without the rest of the check. Every check adds one dependency; a run adds at most
 * (warm-up + measurement iterations) x {@value #CHECKS_PER_ITERATION} of them to the {@value #DEPENDENCIES}.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@Warmup(iterations = 20)
@Measurement(iterations = 20)
public class GraphCheckBenchmark {
    static final int CLASSES = 10_000;
    static final int DEPENDENCIES = 100_000;
    static final int CHECKS_PER_ITERATION = 100;
    /** The deep search's B is drawn from the classes numbered DEEP_FROM..2*DEEP_FROM-1, its A below them. */
    static final int DEEP_FROM = 100;
    private static final long SEED = 20_240_601L;
    /** Warm-up plus measurement iterations one fork may run: each uses up {@value #CHECKS_PER_ITERATION} new pairs. */
    static final int MAX_ITERATIONS = 60;

    private ReentrantLock[] locks;
    private LockClass[] classes;
    /** The code site of every acquisition, registered once as the agent does at transformation time. */
    private int lockSite;
    private int[][] typicalPairs;
    private int[][] deepPairs;
    private int nextTypical;
    private int nextDeep;
    private int findings;

    @Setup(Level.Trial)
    public void buildGraph() {
        if (Engine.isEnabled()) {
            throw new IllegalStateException("GraphCheckBenchmark drives the engine itself: run it without the agent");
        }
        int room = 2 * DEPENDENCIES;
        Engine.start(Config.builder().maxClasses(CLASSES + 16).maxDependencies(room).maxChains(room).maxStacks(room)
                .build(), finding -> findings++);
        int allocationSite = Sites.code("io/jlockdep/runtime/graph/GraphCheckBenchmark", "buildGraph",
                "GraphCheckBenchmark.java", 1);
        locks = new ReentrantLock[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            locks[i] = new ReentrantLock();
            Hooks.allocated(locks[i], Sites.allocation("java/util/concurrent/locks/ReentrantLock", allocationSite,
                    "bench/Graph", "class" + i));
        }
        lockSite = Sites.code("io/jlockdep/runtime/graph/GraphCheckBenchmark", "takeNested", "GraphCheckBenchmark.java", 2);
        SplittableRandom random = new SplittableRandom(SEED);
        Set<Long> edges = new HashSet<>();
        List<int[]> sorted = new ArrayList<>(DEPENDENCIES);
        while (sorted.size() < DEPENDENCIES) {
            int[] pair = randomPair(random, 0, CLASSES, 0, CLASSES);
            if (edges.add(key(pair))) {
                sorted.add(pair);
            }
        }
        sorted.sort((p, q) -> p[0] != q[0] ? Integer.compare(p[0], q[0]) : Integer.compare(p[1], q[1]));
        for (int[] pair : sorted) {
            takeNested(pair[0], pair[1]);
        }
        int deps = LockGraph.dependencyCount();
        if (deps != DEPENDENCIES || findings != 0 || !Engine.isEnabled()) {
            throw new IllegalStateException("graph not built as intended: " + deps + " dependencies, " + findings
                    + " findings, engine " + (Engine.isEnabled() ? "on" : "off"));
        }
        int pool = MAX_ITERATIONS * CHECKS_PER_ITERATION;
        typicalPairs = newPairs(random, edges, pool, 0, CLASSES, 0, CLASSES);
        deepPairs = newPairs(random, edges, pool, 0, DEEP_FROM, DEEP_FROM, 2 * DEEP_FROM);
        classes = new LockClass[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            classes[i] = LockClasses.ofLock(locks[i], LockType.REENTRANT_LOCK, null, 0);
        }
        describeDeepSearch(sorted);
    }

    /** A new dependency A→B, A and B anywhere: the typical check. */
    @Benchmark
    @OperationsPerInvocation(CHECKS_PER_ITERATION)
    public void newDependency() {
        for (int i = 0; i < CHECKS_PER_ITERATION; i++) {
            int[] pair = next(typicalPairs, nextTypical++);
            takeNested(pair[0], pair[1]);
        }
    }

    /** A new dependency A→B with nearly the whole graph reachable from B: the worst case. */
    @Benchmark
    @OperationsPerInvocation(CHECKS_PER_ITERATION)
    public void newDependencyDeepSearch() {
        for (int i = 0; i < CHECKS_PER_ITERATION; i++) {
            int[] pair = next(deepPairs, nextDeep++);
            takeNested(pair[0], pair[1]);
        }
    }

    /** The worst case's search alone, as the graph lock holder runs it. */
    @Benchmark
    @OperationsPerInvocation(CHECKS_PER_ITERATION)
    public int deepSearchOnly() {
        int found = 0;
        for (int i = 0; i < CHECKS_PER_ITERATION; i++) {
            int[] pair = deepPairs[i];
            if (LockGraph.findPath(classes[pair[1]], Mode.EXCLUSIVE, classes[pair[0]], Mode.EXCLUSIVE) != null) {
                found++;
            }
        }
        if (found != 0) {
            throw new IllegalStateException("the graph has a cycle");
        }
        return found;
    }

    private static int[] next(int[][] pool, int at) {
        if (at >= pool.length) {
            throw new IllegalStateException("GraphCheckBenchmark runs at most " + MAX_ITERATIONS
                    + " iterations per fork (warm-up and measurement together): each check needs a new dependency");
        }
        return pool[at];
    }

    /** What instrumented code does for {@code a.lock(); b.lock(); b.unlock(); a.unlock();}. */
    private void takeNested(int a, int b) {
        lock(locks[a]);
        lock(locks[b]);
        Hooks.afterUnlock(locks[b], Mode.EXCLUSIVE);
        Hooks.afterUnlock(locks[a], Mode.EXCLUSIVE);
    }

    private void lock(ReentrantLock l) {
        Hooks.site(lockSite);
        Hooks.beforeLock(l, l, Hooks.REENTRANT_LOCK, Mode.EXCLUSIVE);
    }

    /** A pair (lower, higher) with lower drawn from [fromLow, toLow) and higher from [fromHigh, toHigh). */
    private static int[] randomPair(SplittableRandom random, int fromLow, int toLow, int fromHigh, int toHigh) {
        while (true) {
            int x = random.nextInt(fromLow, toLow);
            int y = random.nextInt(fromHigh, toHigh);
            if (x != y) {
                return new int[] {Math.min(x, y), Math.max(x, y)};
            }
        }
    }

    private static int[][] newPairs(SplittableRandom random, Set<Long> edges, int n, int fromLow, int toLow,
                                    int fromHigh, int toHigh) {
        int[][] pairs = new int[n][];
        for (int i = 0; i < n; ) {
            int[] pair = randomPair(random, fromLow, toLow, fromHigh, toHigh);
            if (edges.add(key(pair))) {
                pairs[i++] = pair;
            }
        }
        return pairs;
    }

    private static long key(int[] pair) {
        return (long) pair[0] * CLASSES + pair[1];
    }

    /** Prints how much of the graph the deep search visits, computed independently of the engine. */
    private void describeDeepSearch(List<int[]> edges) {
        List<List<Integer>> after = new ArrayList<>(CLASSES);
        for (int i = 0; i < CLASSES; i++) {
            after.add(new ArrayList<>());
        }
        for (int[] e : edges) {
            after.get(e[0]).add(e[1]);
        }
        long classesReached = 0;
        long edgesSeen = 0;
        int samples = 20;
        for (int s = 0; s < samples; s++) {
            BitSet seen = new BitSet(CLASSES);
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(deepPairs[s][1]);
            seen.set(deepPairs[s][1]);
            while (!queue.isEmpty()) {
                List<Integer> next = after.get(queue.poll());
                edgesSeen += next.size();
                for (int to : next) {
                    if (!seen.get(to)) {
                        seen.set(to);
                        queue.add(to);
                    }
                }
            }
            classesReached += seen.cardinality();
        }
        System.out.println("graph: " + CLASSES + " classes, " + LockGraph.dependencyCount() + " dependencies; the deep"
                + " search visits " + classesReached / samples + " classes and " + edgesSeen / samples
                + " dependencies on average (" + Arrays.toString(deepPairs[0]) + " ...)");
    }
}
