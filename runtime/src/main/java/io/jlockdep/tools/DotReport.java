package io.jlockdep.tools;

import io.jlockdep.runtime.GraphSnapshot;
import java.util.List;

/**
 * The lock graph in Graphviz's DOT language: one box per lock class that has a dependency, one arrow per dependency
 * (from the lock held to the lock taken), classes and dependencies on a cycle in red.
 */
final class DotReport {
    private DotReport() {
    }

    static String render(ReportData data) {
        StringBuilder sb = new StringBuilder(1 << 14);
        List<GraphSnapshot.Node> nodes = data.connectedNodes();
        sb.append("// jlockdep lock graph: ").append(HtmlReport.plural(data.recordings.size(), "JVM")).append(", ")
                .append(HtmlReport.plural(nodes.size(), "lock class", "lock classes")).append(" with dependencies, ")
                .append(HtmlReport.plural(data.crossInputCycles.size(), "cycle", "cycles")).append(" across JVMs\n");
        sb.append("digraph jlockdep {\n")
                .append("  graph [rankdir=TB];\n")
                .append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef2f8\",")
                .append(" fontname=\"monospace\"];\n")
                .append("  edge [color=\"#8a8f98\", fontname=\"monospace\", fontsize=10];\n");
        for (GraphSnapshot.Node n : nodes) {
            sb.append("  n").append(n.id()).append(" [label=").append(quote(n.name() + "\n" + n.lockType()))
                    .append(", tooltip=")
                    .append(quote(n.declaredAt() == null ? n.key() : "allocated at " + n.declaredAt()));
            if (data.cycleNodes.contains(n.id())) {
                sb.append(", color=\"" + HtmlReport.CYCLE_COLOUR + "\", fillcolor=\"#fde2e1\", penwidth=2");
            }
            sb.append("];\n");
        }
        for (GraphSnapshot.Edge e : data.graph.edges()) {
            sb.append("  n").append(e.from()).append(" -> n").append(e.to()).append(" [label=")
                    .append(quote(String.join(",", e.types())));
            String where = e.takenAt() == null ? e.thread() : e.thread() + " at " + e.takenAt();
            if (!e.sources().isEmpty()) {
                where += " (" + String.join(", ", e.sources()) + ")";
            }
            sb.append(", tooltip=").append(quote(where));
            if (data.onCycle(e)) {
                sb.append(", color=\"" + HtmlReport.CYCLE_COLOUR + "\", fontcolor=\"" + HtmlReport.CYCLE_COLOUR
                        + "\", penwidth=2.5");
            }
            sb.append("];\n");
        }
        return sb.append("}\n").toString();
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
            } else if (c == '\r') {
                continue;
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
