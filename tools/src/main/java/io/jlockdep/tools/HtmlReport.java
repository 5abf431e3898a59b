package io.jlockdep.tools;

import io.jlockdep.runtime.sink.GraphDot;
import io.jlockdep.runtime.graph.GraphSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page (inline CSS, SVG and a little script; no URL of any kind): the lock classes on cycles
 * drawn first, every finding with its chain and stacks (collapsible), the whole lock graph (folded away when it is
 * large, with a filter by name), and the inputs.
 */
final class HtmlReport {
    static final String CYCLE_COLOUR = GraphDot.CYCLE_COLOUR;
    /** Past this many classes the whole graph starts folded, so the page opens on the cycles. */
    private static final int FOLD_ABOVE = 60;
    /** Longer class names are cut in the drawing (the full name is in the box's tooltip). */
    private static final int MAX_LABEL = 56;
    private static final double CHAR_WIDTH = 7.4;

    private HtmlReport() {
    }

    static String render(ReportData data) {
        StringBuilder sb = new StringBuilder(1 << 16);
        List<GraphSnapshot.Node> connected = data.connectedNodes();
        int cycles = count(data, true);
        int live = data.findings.size() - cycles;
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>jlockdep report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<header>\n<h1>jlockdep report</h1>\n<p class=\"summary\">")
                .append(plural(data.recordings.size(), "JVM")).append(" &middot; ")
                .append(plural(data.graph.nodes().size(), "lock class", "lock classes"))
                .append(" (").append(connected.size()).append(" with dependencies) &middot; ")
                .append(plural(data.graph.edges().size(), "dependency", "dependencies")).append(" &middot; ")
                .append("<span class=\"").append(cycles > 0 ? "bad" : "good").append("\">")
                .append(plural(cycles, "cycle", "cycles")).append(" across JVMs</span> &middot; ")
                .append(plural(live, "finding", "findings")).append(" reported by the JVMs</p>\n</header>\n");

        List<GraphSnapshot.Node> onCycles = new ArrayList<>();
        for (GraphSnapshot.Node n : connected) {
            if (data.cycleNodes.contains(n.id())) {
                onCycles.add(n);
            }
        }
        if (!onCycles.isEmpty()) {
            sb.append("<section id=\"cycles\">\n<h2>Lock classes on cycles</h2>\n")
                    .append("<p class=\"hint\">Red: the dependencies of the cycles below. Grey: other dependencies"
                            + " between these classes. An arrow goes from the lock held to the lock taken while"
                            + " holding it. Click a class to pick out its dependencies.</p>\n");
            svg(sb, "cycle-graph", onCycles, data);
            sb.append("</section>\n");
        }

        findings(sb, data);

        sb.append("<section id=\"graph\">\n<h2>Lock graph</h2>\n");
        if (connected.isEmpty()) {
            sb.append("<p>No dependencies were recorded: no thread took one lock while holding another.</p>\n");
        } else {
            sb.append("<p class=\"hint\">Every lock class with a dependency (").append(connected.size())
                    .append("). <label>Find a class: <input id=\"filter\" type=\"search\"")
                    .append(" placeholder=\"name\"></label></p>\n");
            boolean fold = connected.size() > FOLD_ABOVE && !onCycles.isEmpty();
            sb.append(fold ? "<details>\n<summary>Show all " + connected.size() + " lock classes</summary>\n"
                    : "<details open>\n<summary>All lock classes</summary>\n");
            svg(sb, "all-graph", connected, data);
            sb.append("</details>\n");
        }
        sb.append("</section>\n");
        // Last: with many JVMs (test forks, a fleet) the table is long, and the page should open on the cycles.
        inputs(sb, data);
        sb.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void inputs(StringBuilder sb, ReportData data) {
        sb.append("<section id=\"inputs\">\n<h2>Inputs</h2>\n<table>\n<thead><tr><th>File</th><th>pid</th>"
                + "<th>Main</th><th>JVM</th><th>jlockdep</th><th>Started</th><th>Findings</th><th>Graph</th>"
                + "</tr></thead>\n<tbody>\n");
        for (Recording r : data.recordings) {
            sb.append("<tr><td>").append(esc(r.file)).append("</td><td>").append(r.pid).append("</td><td>")
                    .append(esc(r.main)).append("</td><td>").append(esc(r.jvm)).append("</td><td>")
                    .append(esc(r.version)).append("</td><td>").append(esc(r.startTime)).append("</td><td>")
                    .append(r.findings.size()).append("</td><td>");
            if (!r.hasGraph()) {
                sb.append("<span class=\"bad\">missing: the JVM did not exit normally</span>");
            } else if (!r.graphComplete) {
                sb.append("<span class=\"bad\">partial: the validator had turned off</span>");
            } else {
                sb.append("complete");
            }
            sb.append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n</section>\n");
    }

    private static void findings(StringBuilder sb, ReportData data) {
        sb.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
        if (data.findings.isEmpty()) {
            sb.append("<p class=\"good\">No finding: no JVM reported one, and merging their graphs closes no"
                    + " cycle.</p>\n");
        }
        int i = 0;
        for (ReportData.Shown f : data.findings) {
            i++;
            sb.append("<article class=\"finding").append(f.acrossInputs() ? " across" : "").append("\" id=\"finding-")
                    .append(i).append("\">\n<h3>");
            if (f.acrossInputs()) {
                sb.append("<span class=\"badge across\">across JVMs</span> ");
            } else {
                sb.append("<span class=\"badge\">").append(esc(f.source)).append("</span> ");
            }
            sb.append(esc(f.title())).append("</h3>\n");
            if (f.thread() != null) {
                sb.append("<p class=\"meta\">").append(f.acrossInputs() ? "closing order taken by thread " : "thread ")
                        .append(esc(f.thread())).append("</p>\n");
            }
            List<Map<String, Object>> chain = f.chain();
            if (!chain.isEmpty()) {
                sb.append("<ol class=\"chain\">\n");
                for (Map<String, Object> link : chain) {
                    chainLink(sb, link, data);
                }
                sb.append("</ol>\n");
            }
            sb.append("<details><summary>Full report</summary>\n<pre>").append(esc(f.text()))
                    .append("</pre>\n</details>\n");
            sb.append("</article>\n");
        }
        sb.append("</section>\n");
    }

    private static void chainLink(StringBuilder sb, Map<String, Object> link, ReportData data) {
        sb.append("<li><span class=\"lock\">").append(esc(data.nameOf(link.get("from")))).append("</span> &rarr; ")
                .append("<span class=\"lock\">").append(esc(data.nameOf(link.get("to")))).append("</span>");
        Object origin = link.get("origin");
        Object thread = link.get("thread");
        if (origin != null || thread != null) {
            sb.append(" <span class=\"where\">");
            if (origin != null) {
                sb.append("recorded in ").append(esc(origin.toString())).append(thread != null ? ", " : "");
            }
            if (thread != null) {
                sb.append("thread ").append(esc(thread.toString()));
            }
            sb.append("</span>");
        }
        List<?> stack = (List<?>) link.get("stack");
        sb.append("\n<details><summary>stack (").append(plural(stack.size(), "frame")).append(")</summary><pre>");
        for (Object frame : stack) {
            sb.append(esc(frame.toString())).append('\n');
        }
        sb.append("</pre></details></li>\n");
    }

    /** The graph of {@code nodes} and the dependencies among them, as inline SVG. */
    private static void svg(StringBuilder sb, String id, List<GraphSnapshot.Node> nodes, ReportData data) {
        Map<Integer, Integer> index = new HashMap<>();
        double[] widths = new double[nodes.size()];
        String[] labels = new String[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            GraphSnapshot.Node n = nodes.get(i);
            index.put(n.id(), i);
            labels[i] = n.name().length() > MAX_LABEL ? n.name().substring(0, MAX_LABEL - 1) + "\u2026" : n.name();
            widths[i] = Math.max(labels[i].length(), n.lockType().length()) * CHAR_WIDTH + 20;
        }
        List<GraphSnapshot.Edge> edges = new ArrayList<>();
        for (GraphSnapshot.Edge e : data.graph.edges()) {
            if (index.containsKey(e.from()) && index.containsKey(e.to())) {
                edges.add(e);
            }
        }
        // Cycle edges last, so they are drawn over the grey ones.
        edges.sort((a, b) -> Boolean.compare(data.onCycle(a), data.onCycle(b)));
        int[][] pairs = new int[edges.size()][];
        for (int i = 0; i < edges.size(); i++) {
            pairs[i] = new int[] {index.get(edges.get(i).from()), index.get(edges.get(i).to())};
        }
        GraphLayout layout = GraphLayout.of(widths, pairs);

        sb.append("<div class=\"scroll\">\n<svg class=\"graph\" id=\"").append(id).append("\" width=\"")
                .append(num(layout.totalWidth)).append("\" height=\"").append(num(layout.totalHeight))
                .append("\" viewBox=\"0 0 ").append(num(layout.totalWidth)).append(' ').append(num(layout.totalHeight))
                .append("\" role=\"img\" aria-label=\"lock-order graph\">\n<defs>\n");
        marker(sb, id + "-arrow", "#8a8f98");
        marker(sb, id + "-arrow-cycle", CYCLE_COLOUR);
        sb.append("</defs>\n");
        for (int i = 0; i < edges.size(); i++) {
            edge(sb, id, edges.get(i), layout, i, pairs[i], data);
        }
        for (int i = 0; i < nodes.size(); i++) {
            node(sb, nodes.get(i), labels[i], layout, i, data.cycleNodes.contains(nodes.get(i).id()));
        }
        sb.append("</svg>\n</div>\n");
    }

    private static void marker(StringBuilder sb, String id, String colour) {
        sb.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"")
                .append(colour).append("\"/></marker>\n");
    }

    private static void edge(StringBuilder sb, String svgId, GraphSnapshot.Edge e, GraphLayout layout, int i,
                             int[] pair, ReportData data) {
        boolean cycle = data.onCycle(e);
        sb.append("<g class=\"edge").append(cycle ? " cycle" : "").append("\" data-from=\"").append(e.from())
                .append("\" data-to=\"").append(e.to()).append("\"><title>")
                .append(esc(data.nodesById.get(e.from()).name())).append(" \u2192 ")
                .append(esc(data.nodesById.get(e.to()).name())).append('\n').append(esc(String.join(" ", e.types())))
                .append(", first taken by ").append(esc(e.thread()));
        if (e.takenAt() != null) {
            sb.append(" at ").append(esc(e.takenAt()));
        }
        if (!e.sources().isEmpty()) {
            sb.append("\nrecorded in ").append(esc(String.join(", ", e.sources())));
        }
        for (int k = 0; k < Math.min(6, e.stack().size()); k++) {
            sb.append("\n  ").append(esc(e.stack().get(k)));
        }
        sb.append("</title><path d=\"");
        double[] pts = layout.routes[i];
        if (pts == null) {
            // A self-loop, on the right of its box.
            int v = pair[0];
            double right = layout.x[v] + layout.width[v] / 2;
            double cy = layout.y[v];
            sb.append('M').append(num(right)).append(',').append(num(cy - 8)).append(" C")
                    .append(num(right + GraphLayout.LOOP)).append(',').append(num(cy - 24)).append(' ')
                    .append(num(right + GraphLayout.LOOP)).append(',').append(num(cy + 24)).append(' ')
                    .append(num(right)).append(',').append(num(cy + 8));
        } else {
            sb.append('M').append(num(pts[0])).append(',').append(num(pts[1]));
            for (int k = 2; k < pts.length; k += 2) {
                double x0 = pts[k - 2];
                double y0 = pts[k - 1];
                double x1 = pts[k];
                double y1 = pts[k + 1];
                double dy = (y1 - y0) / 2;
                sb.append(" C").append(num(x0)).append(',').append(num(y0 + dy)).append(' ').append(num(x1)).append(',')
                        .append(num(y1 - dy)).append(' ').append(num(x1)).append(',').append(num(y1));
            }
        }
        sb.append("\" marker-end=\"url(#").append(svgId).append(cycle ? "-arrow-cycle" : "-arrow")
                .append(")\"/></g>\n");
    }

    private static void node(StringBuilder sb, GraphSnapshot.Node n, String label, GraphLayout layout, int i,
                             boolean cycle) {
        double w = layout.width[i];
        double h = GraphLayout.NODE_HEIGHT;
        double left = layout.x[i] - w / 2;
        double top = layout.y[i] - h / 2;
        sb.append("<g class=\"node").append(cycle ? " cycle" : "").append("\" data-id=\"").append(n.id())
                .append("\" data-name=\"").append(esc(n.name())).append("\"><title>").append(esc(n.name()))
                .append('\n').append(esc(n.lockType()));
        if (n.declaredAt() != null) {
            sb.append("\nallocated at ").append(esc(n.declaredAt()));
        }
        sb.append("\nkey ").append(esc(n.key())).append("</title><rect x=\"").append(num(left)).append("\" y=\"")
                .append(num(top)).append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h))
                .append("\" rx=\"5\"/><text class=\"name\" x=\"").append(num(layout.x[i])).append("\" y=\"")
                .append(num(top + 15)).append("\">").append(esc(label)).append("</text><text class=\"type\" x=\"")
                .append(num(layout.x[i])).append("\" y=\"").append(num(top + 29)).append("\">")
                .append(esc(n.lockType())).append("</text></g>\n");
    }

    private static int count(ReportData data, boolean acrossInputs) {
        int n = 0;
        for (ReportData.Shown s : data.findings) {
            if (s.acrossInputs() == acrossInputs) {
                n++;
            }
        }
        return n;
    }

    static String plural(int n, String one) {
        return plural(n, one, one + "s");
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** A coordinate with one decimal; by hand, since a Formatter per number is slow for large drawings. */
    private static String num(double v) {
        long tenths = Math.round(v * 10);
        String sign = tenths < 0 ? "-" : "";
        tenths = Math.abs(tenths);
        return sign + tenths / 10 + "." + tenths % 10;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    out.append("&amp;");
                    break;
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = String.join("\n",
            "body { font: 14px/1.45 system-ui, sans-serif; margin: 0 24px 48px; color: #1d2330; background: #fff; }",
            "h1 { font-size: 22px; margin: 16px 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }",
            "h3 { font-size: 14px; margin: 0 0 6px; }",
            ".summary { color: #4a5160; margin: 0 0 8px; } .hint { color: #5b6472; margin: 4px 0 8px; }",
            ".bad { color: " + CYCLE_COLOUR + "; font-weight: 600; } .good { color: #217a3c; font-weight: 600; }",
            "table { border-collapse: collapse; font-size: 13px; }",
            "th, td { border-bottom: 1px solid #e1e4ea; padding: 4px 10px 4px 0; text-align: left;",
            "  vertical-align: top; }",
            ".scroll { overflow: auto; max-height: 80vh; border: 1px solid #e1e4ea; border-radius: 6px;",
            "  background: #fbfcfd; }",
            "svg.graph { display: block; }",
            "svg.graph text { font: 12px ui-monospace, Menlo, Consolas, monospace; text-anchor: middle; }",
            "svg.graph text.name { font-weight: 600; fill: #1d2330; }",
            "svg.graph text.type { fill: #6b7280; font-size: 11px; }",
            "svg.graph g.node rect { fill: #eef2f8; stroke: #5b6472; stroke-width: 1.2; }",
            "svg.graph g.node.cycle rect { fill: #fde2e1; stroke: " + CYCLE_COLOUR + "; stroke-width: 3; }",
            "svg.graph g.node { cursor: pointer; }",
            "svg.graph g.edge path { fill: none; stroke: #8a8f98; stroke-width: 1.4; }",
            "svg.graph g.edge.cycle path { stroke: " + CYCLE_COLOUR + "; stroke-width: 3; }",
            "svg.graph.focusing g.node:not(.focus), svg.graph.focusing g.edge:not(.focus) { opacity: 0.25; }",
            "svg.graph.filtering g.node:not(.match) { opacity: 0.25; }",
            "svg.graph g.node.match rect { stroke: #1f5fbf; stroke-width: 3; }",
            ".finding { border: 1px solid #e1e4ea; border-left: 4px solid #8a8f98; border-radius: 6px;",
            "  padding: 10px 14px; margin: 10px 0; }",
            ".finding.across { border-left-color: " + CYCLE_COLOUR + "; }",
            ".badge { display: inline-block; font-size: 12px; font-weight: 500; padding: 1px 8px; border-radius: 10px;"
                    + " background: #eef2f8; color: #374151; }",
            ".badge.across { background: " + CYCLE_COLOUR + "; color: #fff; }",
            ".meta, .where { color: #5b6472; font-size: 13px; }",
            ".lock { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; }",
            "ol.chain { margin: 6px 0; padding-left: 22px; } ol.chain li { margin: 4px 0; }",
            "pre { background: #f6f8fa; padding: 8px 10px; border-radius: 4px; overflow: auto; font-size: 12px;",
            "  margin: 4px 0; }",
            "summary { cursor: pointer; color: #1f5fbf; }",
            "");

    private static final String SCRIPT = String.join("\n",
            "(function () {",
            "  document.querySelectorAll('svg.graph').forEach(function (svg) {",
            "    svg.addEventListener('click', function (ev) {",
            "      var picked = ev.target.closest('g.node');",
            "      svg.querySelectorAll('.focus').forEach(function (e) { e.classList.remove('focus'); });",
            "      svg.classList.toggle('focusing', !!picked);",
            "      if (!picked) { return; }",
            "      var id = picked.getAttribute('data-id');",
            "      picked.classList.add('focus');",
            "      svg.querySelectorAll('g.edge').forEach(function (e) {",
            "        if (e.getAttribute('data-from') === id || e.getAttribute('data-to') === id) {",
            "          e.classList.add('focus');",
            "          var ends = 'g.node[data-id=\"' + e.getAttribute('data-from') + '\"], g.node[data-id=\"'",
            "              + e.getAttribute('data-to') + '\"]';",
            "          svg.querySelectorAll(ends).forEach(function (n) { n.classList.add('focus'); });",
            "        }",
            "      });",
            "    });",
            "  });",
            "  var filter = document.getElementById('filter');",
            "  var all = document.getElementById('all-graph');",
            "  if (filter && all) {",
            "    filter.addEventListener('input', function () {",
            "      var text = filter.value.trim().toLowerCase();",
            "      all.classList.toggle('filtering', text.length > 0);",
            "      var first = null;",
            "      all.querySelectorAll('g.node').forEach(function (n) {",
            "        var hit = text.length > 0 && n.getAttribute('data-name').toLowerCase().indexOf(text) >= 0;",
            "        n.classList.toggle('match', hit);",
            "        if (hit && !first) { first = n; }",
            "      });",
            "      if (first) {",
            "        all.closest('details').open = true;",
            "        first.scrollIntoView({block: 'center', inline: 'center'});",
            "      }",
            "    });",
            "  }",
            "})();",
            "");
}
