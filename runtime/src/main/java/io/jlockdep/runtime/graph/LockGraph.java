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
 *
 * <p>Gated cycles (as JCarder calls them): a cycle every order of which was taken while one thread held the same
 * outer lock G cannot deadlock, since G lets only one thread at a time into any of its orders. Each dependency keeps
 * the classes held exclusively below its first lock every time the order was taken in a new context (every new
 * context is a new chain, so none is missed). A cycle found with a class G held by the closing acquisition, and every
 * path back through G-gated dependencies only, is a candidate; whether holding G means holding the same lock is
 * checked per instance by {@link GatedCycle} (each lock of the cycle always taken under one instance of G), at once
 * with what the recorded orders know and then by watching the cycle's classes. A gated cycle is not reported;
 * {@link Stats} counts it and names its gate. It is reported after all, with the report it would have had, as soon as
 * one of its orders is taken without G or one of its locks under a second instance of G.
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
    /** Cycles not reported because a gate serialises them, with the report they would have had. */
    private static final List<GatedCycle> GATED = new ArrayList<>();

    private LockGraph() {
    }

    /** Loads and initializes this package's classes the checks use that other packages cannot name. */
    public static void warmUp() {
        try {
            java.lang.invoke.MethodHandles.Lookup lookup = java.lang.invoke.MethodHandles.lookup();
            for (Class<?> c : new Class<?>[] {Gates.class, GatedCycle.class, GatedCycle.Gate.class, GateWatch.class}) {
                lookup.ensureInitialized(c);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isValidated(long chainKey) {
        boolean hit = CHAINS.contains(chainKey);
        if (hit) {
            countHit();
        }
        return hit;
    }

    /** A validated chain was found without probing the cache (a thread's own memory of it): counted as a hit. */
    public static void countHit() {
        if (Stats.countHits) {
            Stats.CHAIN_HITS.increment();
        }
    }

    /**
     * Validates a chain the cache has not seen: adds the dependencies lockdep's rule gives (from every consecutive
     * trylock on top of the stack and from the nearest blocking lock to the new one), searching for a path back
     * before each new one. Returns the acquisition site learnt from the stack captured for it.
     */
    public static CodeSite validate(ThreadState ts, Object instance, LockClass next, int mode, int site, long chainKey) {
        // Captured before the graph lock: walking a stack may load classes and take JVM-internal locks.
        Trace trace = Trace.capture(ts.threadLabel());
        List<Finding> findings = new ArrayList<>(0);
        synchronized (GRAPH_LOCK) {
            if (!Engine.isEnabled() || CHAINS.contains(chainKey)) {
                return trace.callerSite();
            }
            Stats.CHAIN_MISSES.increment();
            for (int i = orderedAfter(ts, next, ts.depth()); i >= 0 && Engine.isEnabled();
                    i = nextOrderedAfter(ts, next, i)) {
                checkPrevAdd(ts, i, instance, next, mode, site, trace, findings);
            }
            if (Engine.isEnabled()) {
                if (CHAINS.size() >= Engine.config().maxChains()) {
                    Engine.capacityExhausted("MAX_LOCKDEP_CHAINS", Engine.config().maxChains(), "max-chains");
                } else {
                    CHAINS.add(chainKey);
                }
            }
        }
        for (Finding f : findings) {
            Engine.emit(f);
        }
        return trace.callerSite();
    }

    /**
     * The held lock at {@code at} came before {@code next}: adds that dependency, first checking for a cycle. What is
     * to be reported goes to {@code out}.
     */
    private static void checkPrevAdd(ThreadState ts, int at, Object instance, LockClass next, int mode, int site,
                                     Trace trace, List<Finding> out) {
        HeldLock prev = ts.held(at);
        int type = DepType.of(prev.mode(), mode);
        Dependency existing = prev.lockClass().dependencyTo(next);
        LockClass[] gates = Gates.below(ts, at);
        if (existing != null && (existing.types & type) == type) {
            // A known order in a new context: a gate it lacks now may no longer keep a cycle through it harmless.
            if (existing.keepGates(gates)) {
                recheckGated(out);
            }
            return;
        }
        Finding finding = null;
        List<Dependency> path = findPath(next, mode, prev.lockClass(), prev.mode());
        String signature = path == null ? null : PathSearch.signature(path, prev.lockClass(), next);
        if (path != null && !REPORTED.contains(signature)) {
            finding = Reports.circular(ts, prev, instance, next, mode, site, path, trace);
        }
        Dependency closing = existing;
        if (existing != null) {
            existing.types |= type;
            existing.keepGates(gates);
        } else if (dependencies >= Engine.config().maxDependencies()) {
            Engine.capacityExhausted("MAX_LOCKDEP_ENTRIES", Engine.config().maxDependencies(), "max-dependencies");
        } else if (countedTrace != trace && traces >= Engine.config().maxStacks()) {
            Engine.capacityExhausted("MAX_STACK_TRACES", Engine.config().maxStacks(), "max-stacks");
        } else {
            if (countedTrace != trace) {
                countedTrace = trace;
                traces++;
            }
            Dependency d = new Dependency(prev.lockClass(), next, type, trace, prev.mode(), mode, prev.acquireSite(),
                    gates, Gates.taking(ts, at, prev.instance(), instance, gates));
            prev.lockClass().after.add(d);
            next.before.add(d);
            dependencies++;
            closing = d;
        }
        if (existing != null && !GATED.isEmpty()) {
            recheckGated(out); // the known order's gates may have shrunk
        }
        if (finding != null && !isGated(signature)) {
            List<LockClass> candidates = closing == null ? List.of() : gatesOf(closing);
            GatedCycle gated = null;
            if (!candidates.isEmpty()) {
                gated = new GatedCycle(closing, signature, finding, candidates);
                gated.seed(ts, at, prev.instance(), instance);
            }
            if (gated != null && gated.holds()) {
                GATED.add(gated);
                watch(gated);
            } else if (REPORTED.add(signature)) {
                out.add(finding);
            }
        }
    }

    private static boolean isGated(String signature) {
        for (GatedCycle g : GATED) {
            if (g.signature.equals(signature)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The candidate gates of the cycles closed by {@code closing} (its {@code from} held, its {@code to} taken): the
     * classes that gated every taking of {@code closing} and of every dependency on every path from
     * {@code closing.to} back to {@code closing.from}. Whether they gate per instance is {@link GatedCycle}'s check.
     */
    private static List<LockClass> gatesOf(Dependency closing) {
        List<LockClass> out = new ArrayList<>(1);
        for (LockClass g : closing.gates) {
            if (!out.contains(g) && !SEARCH.reachesWithout(closing.to, closing.from, g)) {
                out.add(g);
            }
        }
        return out;
    }

    /**
     * Gated cycles whose gate no longer holds (an order taken without it) go to {@code out}, once each, with the
     * report they would have had.
     */
    private static void recheckGated(List<Finding> out) {
        for (int i = 0; i < GATED.size(); i++) {
            GatedCycle g = GATED.get(i);
            if (!g.recheck(SEARCH)) {
                GATED.remove(i--);
                ungate(g, null, out);
            }
        }
    }

    /** A gated cycle no longer gated, taken out of {@link #GATED}: no longer watched, reported once. */
    private static void ungate(GatedCycle g, String takenAt, List<Finding> out) {
        unwatch(g);
        if (REPORTED.add(g.signature)) {
            out.add(g.ungated(takenAt));
        }
    }

    /**
     * A blocking acquisition of {@code instance}, of a class that orders of gated cycles lead to ({@code next}, with
     * {@link LockClass#gateWatches}), about to be pushed: each held lock the graph would take it as ordered after is a
     * taking of those orders, which their gate checks see. A cycle left with no gate is reported now, before the
     * thread can block. Unwatched classes never get here; the graph lock is taken only to report.
     */
    public static void gatedTaking(ThreadState ts, Object instance, LockClass next) {
        GateWatch[] watches = next.gateWatches;
        if (watches == null) {
            return;
        }
        List<GatedCycle> lost = null;
        for (int i = orderedAfter(ts, next, ts.depth()); i >= 0; i = nextOrderedAfter(ts, next, i)) {
            HeldLock prev = ts.held(i);
            for (GateWatch w : watches) {
                if (w.from == prev.lockClass() && !w.cycle.taken(ts, i, w.from, prev.instance(), next, instance)) {
                    if (lost == null) {
                        lost = new ArrayList<>(1);
                    }
                    lost.add(w.cycle);
                }
            }
        }
        if (lost == null) {
            return;
        }
        // Captured before the graph lock: walking a stack may load classes and take JVM-internal locks.
        Trace trace = Trace.capture(ts.threadLabel());
        CodeSite at = trace.callerSite();
        String takenAt = "thread " + trace.threadLabel + (at == null ? "" : ", at " + at.shortForm());
        List<Finding> out = new ArrayList<>(1);
        synchronized (GRAPH_LOCK) {
            for (GatedCycle g : lost) {
                if (GATED.remove(g)) {
                    if (Engine.isEnabled()) {
                        ungate(g, takenAt, out);
                    } else {
                        unwatch(g); // nothing more to report, but its classes go back to the fast path
                    }
                }
            }
        }
        for (Finding f : out) {
            Engine.emit(f);
        }
    }

    /**
     * The position of the first held lock below {@code below} that an acquisition of {@code next} is ordered after,
     * by lockdep's rule (each trylock on top of the stack, then the nearest blocking lock), or -1 when there is none.
     * Locks of unvalidated classes are transparent (those below them still come first); a lock of {@code next}'s own
     * class makes no order. The one walk of the graph ({@link #validate}) and of the gate checks
     * ({@link #gatedTaking}).
     */
    private static int orderedAfter(ThreadState ts, LockClass next, int below) {
        for (int i = below - 1; i >= 0; i--) {
            HeldLock prev = ts.held(i);
            if (!prev.lockClass().validated()) {
                continue;
            }
            if (prev.lockClass() != next) {
                return i;
            }
            if (!prev.trylock()) {
                return -1;
            }
        }
        return -1;
    }

    /** The position after {@code at} in {@link #orderedAfter}'s walk: none past a blocking lock. */
    private static int nextOrderedAfter(ThreadState ts, LockClass next, int at) {
        return ts.held(at).trylock() ? orderedAfter(ts, next, at) : -1;
    }

    /** Sends the takings of the cycle's orders to its gate check (graph lock held). */
    private static void watch(GatedCycle g) {
        for (Dependency d : g.orders) {
            GateWatch[] old = d.to.gateWatches;
            GateWatch[] grown = old == null ? new GateWatch[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = new GateWatch(d.from, g);
            d.to.gateWatches = grown;
        }
    }

    private static void unwatch(GatedCycle g) {
        for (Dependency d : g.orders) {
            GateWatch[] old = d.to.gateWatches;
            if (old == null) {
                continue;
            }
            List<GateWatch> kept = new ArrayList<>(old.length);
            for (GateWatch w : old) {
                if (w.cycle != g) {
                    kept.add(w);
                }
            }
            d.to.gateWatches = kept.isEmpty() ? null : kept.toArray(new GateWatch[0]);
        }
    }

    /**
     * The cycles not reported because a gate serialises them, for the statistics: each as
     * {@code A --> B --> A, gated by G}.
     */
    static List<String> gatedCycles() {
        synchronized (GRAPH_LOCK) {
            List<String> out = new ArrayList<>(GATED.size());
            for (GatedCycle g : GATED) {
                LockClass gate = g.gate();
                out.add(Gates.describe(g.finding, gate, !gate.singleInstance()));
            }
            return out;
        }
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
            LockClasses.forgetRemembered(); // threads' slots remember validated chains too
            REPORTED.clear();
            GATED.clear();
            for (LockClass c : LockClasses.all()) {
                c.forgetInstances();
                c.gateWatches = null;
            }
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
