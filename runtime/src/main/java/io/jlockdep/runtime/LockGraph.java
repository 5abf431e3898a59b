package io.jlockdep.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The global lock-order graph and the slow path that grows it. Everything here runs under one lock, taken only for
 * a chain of held locks never validated before; lookups of validated chains are lock-free ({@link ChainCache}).
 * The graph lock is a monitor in uninstrumented code, so it is invisible to jlockdep, and no application code runs
 * while it is held: reports are formatted under it but printed after it is released.
 */
final class LockGraph {
    private static final Object GRAPH_LOCK = new Object();
    private static final ChainCache CHAINS = new ChainCache();
    /** Cycles already reported, by the sorted ids of their edges. */
    private static final Set<String> REPORTED = new HashSet<>();
    private static int dependencies;
    private static int traces;
    /** The trace of the acquisition being validated has been counted against max-stacks. */
    private static Trace countedTrace;
    private static int generation;

    // BFS work arrays, reused under the graph lock.
    private static LockClass[] queueClass = new LockClass[64];
    private static boolean[] queueOnlyRecursive = new boolean[64];
    private static int[] queueParent = new int[64];
    private static Dependency[] queueVia = new Dependency[64];

    private LockGraph() {
    }

    static boolean isValidated(long chainKey) {
        boolean hit = CHAINS.contains(chainKey);
        if (hit && Stats.countHits) {
            Stats.CHAIN_HITS.increment();
        }
        return hit;
    }

    /**
     * Validates a chain the cache has not seen: adds the dependencies lockdep's rule gives (from every consecutive
     * trylock on top of the stack and from the nearest blocking lock to the new one), searching for a path back
     * before each new one. Returns the acquisition site learnt from the stack captured for it.
     */
    static CodeSite validate(ThreadState ts, Object instance, LockClass next, int mode, int site, long chainKey) {
        // Captured before the graph lock: walking a stack may load classes and take JVM-internal locks.
        Trace trace = Trace.capture(ts.threadLabel());
        List<Finding> findings = null;
        synchronized (GRAPH_LOCK) {
            if (!Engine.enabled || CHAINS.contains(chainKey)) {
                return trace.callerSite();
            }
            Stats.CHAIN_MISSES.increment();
            for (int i = ts.depth - 1; i >= 0; i--) {
                HeldLock prev = ts.held[i];
                if (!prev.lockClass.validated) {
                    continue; // transparent: the locks below it still come before the new one
                }
                if (prev.lockClass != next) {
                    Finding f = checkPrevAdd(ts, prev, instance, next, mode, site, trace);
                    if (f != null) {
                        if (findings == null) {
                            findings = new ArrayList<>(1);
                        }
                        findings.add(f);
                    }
                    if (!Engine.enabled) {
                        break;
                    }
                }
                if (!prev.trylock) {
                    break;
                }
            }
            if (Engine.enabled) {
                if (CHAINS.size() >= Engine.config().maxChains()) {
                    Engine.capacityExhausted("MAX_LOCKDEP_CHAINS", Engine.config().maxChains(), "max-chains");
                } else {
                    CHAINS.add(chainKey);
                }
            }
        }
        if (findings != null) {
            for (Finding f : findings) {
                Engine.emit(f);
            }
        }
        return trace.callerSite();
    }

    private static Finding checkPrevAdd(ThreadState ts, HeldLock prev, Object instance, LockClass next, int mode,
                                        int site, Trace trace) {
        int type = DepType.of(prev.mode, mode);
        Dependency existing = prev.lockClass.dependencyTo(next);
        if (existing != null && (existing.types & type) == type) {
            return null;
        }
        Finding finding = null;
        List<Dependency> path = findPath(next, mode, prev.lockClass, prev.mode);
        if (path != null && REPORTED.add(signature(path, prev.lockClass, next))) {
            finding = Reports.circular(ts, prev, instance, next, mode, site, path, trace);
        }
        if (existing != null) {
            existing.types |= type;
        } else if (dependencies >= Engine.config().maxDependencies()) {
            Engine.capacityExhausted("MAX_LOCKDEP_ENTRIES", Engine.config().maxDependencies(), "max-dependencies");
        } else if (countedTrace != trace && traces >= Engine.config().maxStacks()) {
            Engine.capacityExhausted("MAX_STACK_TRACES", Engine.config().maxStacks(), "max-stacks");
        } else {
            if (countedTrace != trace) {
                countedTrace = trace;
                traces++;
            }
            Dependency d = new Dependency(prev.lockClass, next, type, trace, prev.mode, mode);
            prev.lockClass.after.add(d);
            next.before.add(d);
            dependencies++;
        }
        return finding;
    }

    /**
     * Breadth-first search for the shortest strong path from {@code source} (about to be taken in {@code sourceMode})
     * to {@code target} (held in {@code targetMode}); null when there is none. Each class is visited at most once per
     * "reached only through -(xR)->" state, which keeps the search linear and exact under the strong-path rule.
     */
    static List<Dependency> findPath(LockClass source, int sourceMode, LockClass target, int targetMode) {
        int gen = ++generation;
        int head = 0;
        int tail = 0;
        boolean rootOnlyRecursive = sourceMode == Mode.RECURSIVE_READ;
        enqueue(tail++, source, rootOnlyRecursive, -1, null);
        mark(source, rootOnlyRecursive, gen);
        while (head < tail) {
            int at = head++;
            LockClass c = queueClass[at];
            boolean onlyRecursive = queueOnlyRecursive[at];
            List<Dependency> edges = c.after;
            for (int i = 0, n = edges.size(); i < n; i++) {
                Dependency d = edges.get(i);
                int types = d.types;
                if (onlyRecursive) {
                    // -(xR)-> followed by -(Sx)-> is not a strong path
                    types &= ~DepType.FROM_SHARED;
                }
                if (types == 0) {
                    continue;
                }
                boolean childOnlyRecursive = (types & DepType.TO_NON_RECURSIVE) == 0;
                LockClass to = d.to;
                if (to == target && (targetMode == Mode.EXCLUSIVE || !childOnlyRecursive)) {
                    return pathTo(at, d);
                }
                if (isMarked(to, childOnlyRecursive, gen)) {
                    continue;
                }
                mark(to, childOnlyRecursive, gen);
                enqueue(tail++, to, childOnlyRecursive, at, d);
            }
        }
        return null;
    }

    private static boolean isMarked(LockClass c, boolean onlyRecursive, int gen) {
        // Reached with every edge type allowed beats reached through recursive reads only.
        return c.visitedGen == gen || (onlyRecursive && c.visitedGenOnlyRecursive == gen);
    }

    private static void mark(LockClass c, boolean onlyRecursive, int gen) {
        if (onlyRecursive) {
            c.visitedGenOnlyRecursive = gen;
        } else {
            c.visitedGen = gen;
        }
    }

    private static void enqueue(int slot, LockClass c, boolean onlyRecursive, int parent, Dependency via) {
        if (slot >= queueClass.length) {
            int n = queueClass.length * 2;
            queueClass = java.util.Arrays.copyOf(queueClass, n);
            queueOnlyRecursive = java.util.Arrays.copyOf(queueOnlyRecursive, n);
            queueParent = java.util.Arrays.copyOf(queueParent, n);
            queueVia = java.util.Arrays.copyOf(queueVia, n);
        }
        queueClass[slot] = c;
        queueOnlyRecursive[slot] = onlyRecursive;
        queueParent[slot] = parent;
        queueVia[slot] = via;
    }

    /** The edges from the root to the node at {@code at}, then {@code last}. */
    private static List<Dependency> pathTo(int at, Dependency last) {
        List<Dependency> reversed = new ArrayList<>();
        reversed.add(last);
        for (int i = at; queueVia[i] != null; i = queueParent[i]) {
            reversed.add(queueVia[i]);
        }
        List<Dependency> path = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            path.add(reversed.get(i));
        }
        return path;
    }

    private static String signature(List<Dependency> path, LockClass prev, LockClass next) {
        List<String> edges = new ArrayList<>(path.size() + 1);
        for (Dependency d : path) {
            edges.add(d.from.id + ">" + d.to.id);
        }
        edges.add(prev.id + ">" + next.id);
        edges.sort(null);
        return String.join(",", edges);
    }

    static void reset() {
        synchronized (GRAPH_LOCK) {
            for (LockClass c : LockClasses.all()) {
                c.after.clear();
                c.before.clear();
            }
            CHAINS.clear();
            REPORTED.clear();
            dependencies = 0;
            traces = 0;
            countedTrace = null;
        }
    }

    static int dependencyCount() {
        synchronized (GRAPH_LOCK) {
            return dependencies;
        }
    }

    static int traceCount() {
        synchronized (GRAPH_LOCK) {
            return traces;
        }
    }

    static int chainCount() {
        synchronized (GRAPH_LOCK) {
            return CHAINS.size();
        }
    }
}
