package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.graph.GraphSnapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A lock graph in Graphviz's DOT language: one box per lock class that has a dependency, one arrow per dependency
 * (from the lock held to the lock taken), classes and dependencies on a cycle in red. Used by the {@code dot} command
 * and by the JMX bean's {@code exportGraphDot}.
 */
public final class GraphDot {
    /** The colour of everything on a cycle, here and in the HTML page. */
    public static final String CYCLE_COLOUR = "#d62728";

    private GraphDot() {
    }

    /** The key of the dependency {@code from → to} in the sets of cycle edges. */
    public static long edgeKey(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }

    /**
     * The graph in DOT, {@code comment} (or null for none) as a comment line at its top; the classes (by id) and
     * dependencies (by {@link #edgeKey}) on a cycle in red.
     */
    public static String render(GraphSnapshot graph, Set<Integer> cycleNodes, Set<Long> cycleEdges, String comment) {
        StringBuilder sb = new StringBuilder(1 << 14);
        sb.append("digraph jlockdep {\n");
        if (comment != null) {
            sb.append("  // ").append(comment).append('\n');
        }
        sb
                .append("  graph [rankdir=TB];\n")
                .append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef2f8\",")
                .append(" fontname=\"monospace\"];\n")
                .append("  edge [color=\"#8a8f98\", fontname=\"monospace\", fontsize=10];\n");
        for (GraphSnapshot.Node n : connected(graph)) {
            sb.append("  n").append(n.id()).append(" [label=").append(quote(n.name() + "\n" + n.lockType()))
                    .append(", tooltip=")
                    .append(quote(n.declaredAt() == null ? n.key() : "allocated at " + n.declaredAt()));
            if (cycleNodes.contains(n.id())) {
                sb.append(", color=\"" + CYCLE_COLOUR + "\", fillcolor=\"#fde2e1\", penwidth=2");
            }
            sb.append("];\n");
        }
        for (GraphSnapshot.Edge e : graph.edges()) {
            sb.append("  n").append(e.from()).append(" -> n").append(e.to()).append(" [label=")
                    .append(quote(String.join(",", e.types())));
            String where = e.takenAt() == null ? e.thread() : e.thread() + " at " + e.takenAt();
            if (!e.sources().isEmpty()) {
                where += " (" + String.join(", ", e.sources()) + ")";
            }
            sb.append(", tooltip=").append(quote(where));
            if (cycleEdges.contains(edgeKey(e.from(), e.to()))) {
                sb.append(", color=\"" + CYCLE_COLOUR + "\", fontcolor=\"" + CYCLE_COLOUR + "\", penwidth=2.5");
            }
            sb.append("];\n");
        }
        return sb.append("}\n").toString();
    }

    /** The classes that have at least one dependency, by id. */
    public static List<GraphSnapshot.Node> connected(GraphSnapshot graph) {
        Set<Integer> ids = new HashSet<>();
        for (GraphSnapshot.Edge e : graph.edges()) {
            ids.add(e.from());
            ids.add(e.to());
        }
        List<GraphSnapshot.Node> out = new java.util.ArrayList<>();
        for (GraphSnapshot.Node n : graph.nodes()) {
            if (ids.contains(n.id())) {
                out.add(n);
            }
        }
        return out;
    }

    /** A DOT string: quotes and backslashes escaped, line breaks as DOT's centred {@code \n}. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c != '\r') {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
