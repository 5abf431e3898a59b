package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Mode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A copy of a lock-order graph, as plain data: the lock classes and the dependencies between them, each with the
 * stack that first created it. Taken from the live graph ({@link #take}) or built from JSON files by
 * {@link MergedGraph}; immutable.
 */
public final class GraphSnapshot {
    /** A lock class. */
    public static final class Node {
        private final int id;
        private final String key;
        private final String name;
        private final String lockType;
        private final String declaredAt;

        Node(LockClass c) {
            this.id = c.id();
            this.key = c.key();
            this.name = c.name();
            this.lockType = c.type().displayName();
            this.declaredAt = c.declaredAt() == null ? null : c.declaredAt().longForm();
        }

        /** Unique in this graph; what {@link Edge#from()} and {@link Edge#to()} refer to. */
        public int id() {
            return id;
        }

        /** What identifies the class across JVMs; see {@link Finding.Lock#key()}. */
        public String key() {
            return key;
        }

        public String name() {
            return name;
        }

        /** {@code monitor}, {@code ReentrantLock}, {@code ReentrantReadWriteLock} or {@code StampedLock}. */
        public String lockType() {
            return lockType;
        }

        /** Where locks of this class are allocated, or null. */
        public String declaredAt() {
            return declaredAt;
        }
    }

    /** A dependency: a lock of class {@link #from()} was held when one of class {@link #to()} was taken. */
    public static final class Edge {
        private final int from;
        private final int to;
        private final List<String> types;
        private final String fromMode;
        private final String toMode;
        private final String heldAt;
        private final String thread;
        private final List<String> stack;
        private final String takenAt;
        private final List<String> sources;

        Edge(Dependency d, int types, List<String> sources) {
            this.from = d.from.id();
            this.to = d.to.id();
            this.types = Collections.unmodifiableList(DepType.names(types));
            this.fromMode = Mode.name(d.fromMode);
            this.toMode = Mode.name(d.toMode);
            this.heldAt = d.heldAt == null ? null : d.heldAt.longForm();
            this.thread = d.trace.threadLabel;
            this.stack = Finding.frames(d.trace);
            CodeSite caller = d.trace.callerSite();
            this.takenAt = caller == null ? null : caller.longForm();
            this.sources = Collections.unmodifiableList(sources);
        }

        public int from() {
            return from;
        }

        public int to() {
            return to;
        }

        /** lockdep's dependency types seen for this pair: {@code EN}, {@code ER}, {@code SN}, {@code SR}. */
        public List<String> types() {
            return types;
        }

        /** How the held lock was taken when the dependency was first seen: exclusive, read or recursive-read. */
        public String fromMode() {
            return fromMode;
        }

        public String toMode() {
            return toMode;
        }

        /** Where the held lock had been taken, or null. */
        public String heldAt() {
            return heldAt;
        }

        /** The thread that first took this order ({@code name/id}). */
        public String thread() {
            return thread;
        }

        /** The stack of that acquisition, innermost frame first. */
        public List<String> stack() {
            return stack;
        }

        /** Where the application took the lock of class {@link #to()}: the stack's first frame outside the locks. */
        public String takenAt() {
            return takenAt;
        }

        /**
         * For a merged graph, the inputs that recorded this dependency ({@code a.json (pid 4242)}), the one whose
         * stack is shown first; empty for a live graph.
         */
        public List<String> sources() {
            return sources;
        }
    }

    private final List<Node> nodes;
    private final List<Edge> edges;
    private final boolean complete;

    private GraphSnapshot(List<Node> nodes, List<Edge> edges, boolean complete) {
        this.nodes = Collections.unmodifiableList(nodes);
        this.edges = Collections.unmodifiableList(edges);
        this.complete = complete;
    }

    /**
     * Builds the plain-data copy of classes and (frozen) dependencies; {@code sources} gives each dependency's
     * inputs in a merged graph, or is null.
     */
    static GraphSnapshot of(List<LockClass> classes, List<Dependency> dependencies, boolean complete,
                            Map<Dependency, List<String>> sources) {
        List<Node> nodes = new ArrayList<>(classes.size());
        for (LockClass c : classes) {
            nodes.add(new Node(c));
        }
        List<Edge> edges = new ArrayList<>(dependencies.size());
        for (Dependency d : dependencies) {
            List<String> from = sources == null ? null : sources.get(d);
            edges.add(new Edge(d, d.types, from == null ? Collections.<String>emptyList() : from));
        }
        return new GraphSnapshot(nodes, edges, complete);
    }

    /** The lock classes, by increasing id. */
    public List<Node> nodes() {
        return nodes;
    }

    public List<Edge> edges() {
        return edges;
    }

    /**
     * False when the validator had turned itself off (a table filled up, or an internal error): dependencies taken
     * after that are missing.
     */
    public boolean complete() {
        return complete;
    }

    /** The live graph now, waiting as long as it takes for the graph lock. */
    public static GraphSnapshot take() {
        return LockGraph.snapshot();
    }

    /**
     * The live graph now, or null when the graph lock could not be had within {@code timeoutMillis}; for callers
     * that must never hang, such as a shutdown hook. The copy is made by a daemon thread that is left behind when
     * the time is up.
     */
    public static GraphSnapshot take(long timeoutMillis) throws InterruptedException {
        AtomicReference<GraphSnapshot> result = new AtomicReference<>();
        Thread copier = new Thread(() -> {
            boolean previous = Engine.enterAgentCode();
            try {
                result.set(LockGraph.snapshot());
            } finally {
                Engine.exitAgentCode(previous);
            }
        }, "jlockdep-graph-snapshot");
        copier.setDaemon(true);
        copier.start();
        copier.join(timeoutMillis);
        return result.get();
    }
}
