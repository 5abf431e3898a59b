package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.report.Reports;
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
public final class LockGraph {
    /** Package-private so tests can hold it and check that waiting for it is bounded where it must be. */
    static final Object GRAPH_LOCK = new Object();
    private static final ChainCache CHAINS = new ChainCache();
    /** Cycles already reported, by the sorted ids of their edges. */
    private static final Set<String> REPORTED = new HashSet<>();
    private static int dependencies;
    private static int traces;
    /** The trace of the acquisition being validated has been counted against max-stacks. */
    private static Trace countedTrace;
    private static final PathSearch SEARCH = new PathSearch();

    private LockGraph() {
    }

    public static boolean isValidated(long chainKey) {
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
    public static CodeSite validate(ThreadState ts, Object instance, LockClass next, int mode, int site, long chainKey) {
        // Captured before the graph lock: walking a stack may load classes and take JVM-internal locks.
        Trace trace = Trace.capture(ts.threadLabel());
        List<Finding> findings = null;
        synchronized (GRAPH_LOCK) {
            if (!Engine.isEnabled() || CHAINS.contains(chainKey)) {
                return trace.callerSite();
            }
            Stats.CHAIN_MISSES.increment();
            for (int i = ts.depth() - 1; i >= 0; i--) {
                HeldLock prev = ts.held(i);
                if (!prev.lockClass().validated()) {
                    continue; // transparent: the locks below it still come before the new one
                }
                if (prev.lockClass() != next) {
                    Finding f = checkPrevAdd(ts, prev, instance, next, mode, site, trace);
                    if (f != null) {
                        if (findings == null) {
                            findings = new ArrayList<>(1);
                        }
                        findings.add(f);
                    }
                    if (!Engine.isEnabled()) {
                        break;
                    }
                }
                if (!prev.trylock()) {
                    break;
                }
            }
            if (Engine.isEnabled()) {
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
        int type = DepType.of(prev.mode(), mode);
        Dependency existing = prev.lockClass().dependencyTo(next);
        if (existing != null && (existing.types & type) == type) {
            return null;
        }
        Finding finding = null;
        List<Dependency> path = findPath(next, mode, prev.lockClass(), prev.mode());
        if (path != null && REPORTED.add(PathSearch.signature(path, prev.lockClass(), next))) {
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
            Dependency d = new Dependency(prev.lockClass(), next, type, trace, prev.mode(), mode, prev.acquireSite());
            prev.lockClass().after.add(d);
            next.before.add(d);
            dependencies++;
        }
        return finding;
    }

    /**
     * The shortest strong path from {@code source} (about to be taken in {@code sourceMode}) to {@code target} (held in
     * {@code targetMode}), or null: the live graph's search, run by the graph lock's holder.
     */
    static List<Dependency> findPath(LockClass source, int sourceMode, LockClass target, int targetMode) {
        return SEARCH.find(source, sourceMode, target, targetMode);
    }

    public static void reset() {
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

    /**
     * Copies the classes and dependencies under the graph lock (dependencies frozen, since their types grow), and
     * builds the snapshot's strings only after releasing it.
     */
    static GraphSnapshot snapshot() {
        List<LockClass> classes;
        List<Dependency> frozen = new ArrayList<>();
        boolean complete;
        synchronized (GRAPH_LOCK) {
            complete = Engine.isEnabled();
            classes = LockClasses.all();
            for (LockClass c : classes) {
                for (Dependency d : c.after) {
                    frozen.add(new Dependency(d.from, d.to, d.types, d.trace, d.fromMode, d.toMode, d.heldAt));
                }
            }
        }
        return GraphSnapshot.of(classes, frozen, complete, null);
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
