package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The union of lock graphs recorded by several JVMs, and the cycles that exist only across them: the offline side of
 * {@link LockGraph}, searched with the same {@link PathSearch} and reported with the same {@link Reports}.
 *
 * <p>A lock class is the same in two inputs when its key is the same: the field, the type of a monitor, the
 * allocation site or the explicit name it is keyed by. The displayed name is not used, since it may carry a
 * {@code #n} suffix that depends on the order in which one JVM met its classes. Not thread-safe.
 */
public final class MergedGraph {
    private final List<Input> inputs = new ArrayList<>();
    private final Map<String, LockClass> byKey = new HashMap<>();
    private final List<LockClass> classes = new ArrayList<>();
    private final Set<String> shownNames = new HashSet<>();
    /** Merged dependencies, in the order first recorded. */
    private final List<Dependency> dependencies = new ArrayList<>();
    /** Per merged dependency, its types as each input recorded them, by input index (0: not recorded there). */
    private final Map<Dependency, int[]> typesByInput = new IdentityHashMap<>();
    private final Map<Dependency, List<String>> sources = new IdentityHashMap<>();
    private final PathSearch search = new PathSearch();

    /** A new input: one JVM's recording; {@code label} names it in reports, e.g. {@code a.json (pid 4242)}. */
    public Input addInput(String label) {
        Input in = new Input(inputs.size(), label);
        inputs.add(in);
        return in;
    }

    /** One JVM's graph, added class by class and dependency by dependency, with that JVM's own class ids. */
    public final class Input {
        private final int index;
        private final String label;
        private final Map<Integer, LockClass> byLocalId = new HashMap<>();
        private boolean complete = true;

        private Input(int index, String label) {
            this.index = index;
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The recording JVM's validator had turned off, so its graph lacks later dependencies. */
        public void markIncomplete() {
            complete = false;
        }

        /**
         * Adds (or finds, by key) a lock class known to this input as {@code id}.
         *
         * @throws IllegalArgumentException naming what is wrong: a repeated id, an unknown lock type, a bad site
         */
        public void addClass(int id, String key, String name, String lockType, String declaredAt) {
            if (byLocalId.containsKey(id)) {
                throw new IllegalArgumentException("class id " + id + " appears twice");
            }
            LockType type = LockType.ofDisplayName(lockType);
            if (type == null) {
                throw new IllegalArgumentException("unknown lock type '" + lockType + "'");
            }
            CodeSite site = declaredAt == null ? null : frame(declaredAt, "declaredAt");
            LockClass c = byKey.get(key);
            if (c == null) {
                c = new LockClass(classes.size() + 1, key, uniqueName(name), type, site, true, false);
                byKey.put(key, c);
                classes.add(c);
            }
            byLocalId.put(id, c);
        }

        /**
         * Adds this input's dependency {@code from → to} (class ids of this input), or adds its types to the one
         * another input recorded.
         *
         * @throws IllegalArgumentException naming what is wrong: an unknown class id, type, mode or stack frame
         */
        public void addDependency(int from, int to, List<String> types, String fromMode, String toMode,
                                  String heldAt, String thread, List<String> stack) {
            LockClass a = localClass(from);
            LockClass b = localClass(to);
            int bits = 0;
            for (String t : types) {
                int bit = DepType.parse(t);
                if (bit == 0) {
                    throw new IllegalArgumentException("unknown dependency type '" + t + "'");
                }
                bits |= bit;
            }
            if (bits == 0) {
                throw new IllegalArgumentException("a dependency without types");
            }
            int modeA = mode(fromMode);
            int modeB = mode(toMode);
            CodeSite held = heldAt == null ? null : frame(heldAt, "heldAt");
            CodeSite[] frames = new CodeSite[stack.size()];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = frame(stack.get(i), "stack");
            }
            Dependency d = a.dependencyTo(b);
            if (d == null) {
                d = new Dependency(a, b, bits, new Trace(frames, thread, label), modeA, modeB, held);
                a.after.add(d);
                b.before.add(d);
                dependencies.add(d);
                typesByInput.put(d, new int[inputs.size()]);
                sources.put(d, new ArrayList<>(2));
            } else {
                d.types |= bits;
            }
            int[] perInput = typesByInput.get(d);
            if (perInput.length <= index) {
                perInput = java.util.Arrays.copyOf(perInput, inputs.size());
                typesByInput.put(d, perInput);
            }
            perInput[index] |= bits;
            List<String> recordedIn = sources.get(d);
            if (!recordedIn.contains(label)) {
                recordedIn.add(label);
            }
        }

        private LockClass localClass(int id) {
            LockClass c = byLocalId.get(id);
            if (c == null) {
                throw new IllegalArgumentException("dependency names class id " + id + ", which is not in the classes");
            }
            return c;
        }
    }

    /** The merged graph as plain data; each dependency lists the inputs that recorded it. */
    public GraphSnapshot snapshot() {
        boolean complete = true;
        for (Input in : inputs) {
            complete &= in.complete;
        }
        return GraphSnapshot.of(classes, dependencies, complete, sources);
    }

    /**
     * Every cycle of the merged graph that no single input has, shortest first, each as a circular-dependency report
     * whose chain entries name the input each dependency was recorded in. For each dependency, the shortest strong
     * cycle through it is found; cycles are told apart by their sets of dependencies. A cycle whose dependencies one
     * input recorded all of, strong with that input's own types, was reported live there and is left out.
     */
    public List<Finding> crossInputCycles() {
        List<Cycle> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int[] component = components();
        for (Dependency closing : dependencies) {
            if (component[closing.from.id()] != component[closing.to.id()]) {
                // Not on any cycle: its two classes are in different strongly connected components.
                continue;
            }
            Cycle c = shortestCycleThrough(search, closing, closing.types);
            if (c != null && seen.add(PathSearch.signature(c.path, closing.from, closing.to)) && !inOneInput(c)) {
                found.add(c);
            }
        }
        found.sort((x, y) -> Integer.compare(x.path.size(), y.path.size()));
        List<Finding> findings = new ArrayList<>(found.size());
        for (Cycle c : found) {
            findings.add(report(c));
        }
        return findings;
    }

    /**
     * The strongly connected component of each class, by class id (Tarjan's algorithm, iterative). A dependency lies on
     * a cycle only within one component, so most of a large, mostly consistent graph needs no search at all.
     */
    private int[] components() {
        int n = classes.size() + 1;
        int[] index = new int[n];
        int[] low = new int[n];
        int[] component = new int[n];
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int[] callStack = new int[n];
        int[] nextEdge = new int[n];
        int top = 0;
        int counter = 0;
        int components = 0;
        for (LockClass root : classes) {
            if (index[root.id()] != 0) {
                continue;
            }
            int depth = 0;
            callStack[depth++] = root.id();
            index[root.id()] = low[root.id()] = ++counter;
            stack[top++] = root.id();
            onStack[root.id()] = true;
            while (depth > 0) {
                int v = callStack[depth - 1];
                List<Dependency> out = classes.get(v - 1).after;
                if (nextEdge[v] < out.size()) {
                    int w = out.get(nextEdge[v]++).to.id();
                    if (index[w] == 0) {
                        index[w] = low[w] = ++counter;
                        stack[top++] = w;
                        onStack[w] = true;
                        callStack[depth++] = w;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                depth--;
                if (depth > 0) {
                    int parent = callStack[depth - 1];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    components++;
                    int w;
                    do {
                        w = stack[--top];
                        onStack[w] = false;
                        component[w] = components;
                    } while (w != v);
                }
            }
        }
        return component;
    }

    /** A cycle: {@code path} from the closing dependency's {@code to} back to its {@code from}, with their modes. */
    private static final class Cycle {
        final Dependency closing;
        final List<Dependency> path;
        public final int heldMode;
        final int takenMode;

        Cycle(Dependency closing, List<Dependency> path, int heldMode, int takenMode) {
            this.closing = closing;
            this.path = path;
            this.heldMode = heldMode;
            this.takenMode = takenMode;
        }
    }

    /**
     * The shortest strong cycle that {@code closing} closes, trying each of its dependency types (the recorded modes
     * first), or null.
     */
    private static Cycle shortestCycleThrough(PathSearch search, Dependency closing, int types) {
        Cycle best = null;
        for (int bit : DepType.bits(types)) {
            boolean recorded = DepType.of(closing.fromMode, closing.toMode) == bit;
            int heldMode = recorded ? closing.fromMode
                    : (bit == DepType.EN || bit == DepType.ER ? Mode.EXCLUSIVE : Mode.READ);
            int takenMode = recorded ? closing.toMode
                    : (bit == DepType.ER || bit == DepType.SR ? Mode.RECURSIVE_READ : Mode.EXCLUSIVE);
            List<Dependency> path = search.find(closing.to, takenMode, closing.from, heldMode);
            if (path != null && (best == null || path.size() < best.path.size())) {
                best = new Cycle(closing, path, heldMode, takenMode);
            }
        }
        return best;
    }

    /** Whether one input recorded every dependency of the cycle, with types that make it a strong cycle there. */
    private boolean inOneInput(Cycle c) {
        List<Dependency> edges = new ArrayList<>(c.path);
        edges.add(c.closing);
        for (Input in : inputs) {
            int i = in.index;
            boolean all = true;
            for (Dependency d : edges) {
                int[] perInput = typesByInput.get(d);
                all &= i < perInput.length && perInput[i] != 0;
            }
            if (all && strongWithTypesOf(i, edges, c.closing)) {
                return true;
            }
        }
        return false;
    }

    /** Rebuilds the cycle alone, with input {@code i}'s types, and searches it the way the live graph would. */
    private boolean strongWithTypesOf(int i, List<Dependency> edges, Dependency closing) {
        Map<LockClass, LockClass> copies = new IdentityHashMap<>();
        Dependency closingCopy = null;
        for (Dependency d : edges) {
            LockClass a = copies.computeIfAbsent(d.from, c -> copyOf(c, copies.size() + 1));
            LockClass b = copies.computeIfAbsent(d.to, c -> copyOf(c, copies.size() + 1));
            Dependency copy = new Dependency(a, b, typesByInput.get(d)[i], d.trace, d.fromMode, d.toMode, d.heldAt);
            a.after.add(copy);
            b.before.add(copy);
            if (d == closing) {
                closingCopy = copy;
            }
        }
        return shortestCycleThrough(new PathSearch(), closingCopy, closingCopy.types) != null;
    }

    private static LockClass copyOf(LockClass c, int id) {
        return new LockClass(id, c.key(), c.name(), c.type(), c.declaredAt(), true, false);
    }

    private Finding report(Cycle c) {
        Dependency closing = c.closing;
        HeldLock held = HeldLock.recorded(closing.from, c.heldMode, closing.heldAt);
        Reports.Actor actor = Reports.Actor.recorded(closing.trace.threadLabel, held);
        Set<String> involved = new HashSet<>();
        for (Dependency d : c.path) {
            involved.add(d.trace.origin);
        }
        involved.add(closing.trace.origin);
        List<String> across = new ArrayList<>();
        for (Input in : inputs) {
            if (involved.contains(in.label)) {
                across.add(in.label);
            }
        }
        String identity = "jlockdep " + Engine.version() + ", merged: a cycle across " + joinAnd(across);
        return Reports.circular(identity, actor, held, null, closing.to, c.takenMode, closing.trace.callerSite(),
                c.path, closing.trace);
    }

    private static String joinAnd(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** Names stay unique in the merged graph: a second class shown under one name gets {@code #2}, as live. */
    private String uniqueName(String name) {
        String shown = name;
        for (int n = 2; !shownNames.add(shown); n++) {
            shown = name + '#' + n;
        }
        return shown;
    }

    private static int mode(String name) {
        int m = Mode.parse(name);
        if (m < 0) {
            throw new IllegalArgumentException("unknown lock mode '" + name + "'");
        }
        return m;
    }

    private static CodeSite frame(String text, String field) {
        CodeSite s = CodeSite.parse(text);
        if (s == null) {
            throw new IllegalArgumentException(field + " '" + text
                    + "' is not a code location like pkg.Class.method(File.java:12)");
        }
        return s;
    }
}
