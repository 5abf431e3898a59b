package io.jlockdep.tools;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.runtime.sink.GraphDot;
import io.jlockdep.runtime.graph.GraphSnapshot;
import io.jlockdep.runtime.sink.JsonFile;
import io.jlockdep.runtime.graph.MergedGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the commands show, read from the input files: the recordings, the merged graph, the cycles that exist
 * only across inputs, and every finding (those across inputs first, as JSON records like the files' own), with the
 * lock classes and dependencies that lie on a cycle.
 */
final class ReportData {
    /** A finding to show: a record from a file, or a cycle found by merging ({@code source} null). */
    static final class Shown {
        final String source;
        final Map<String, Object> record;

        Shown(String source, Map<String, Object> record) {
            this.source = source;
            this.record = record;
        }

        boolean acrossInputs() {
            return source == null;
        }

        String kind() {
            return (String) record.get("kind");
        }

        String title() {
            return (String) record.get("title");
        }

        String text() {
            return (String) record.get("text");
        }

        String thread() {
            return (String) record.get("thread");
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain() {
            return (List<Map<String, Object>>) record.get("chain");
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> locks() {
            return (List<Map<String, Object>>) record.get("locks");
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parties() {
            return (List<Map<String, Object>>) record.get("parties");
        }

        /** The finding's stable id, or null for a record written by a jlockdep before ids. */
        String id() {
            Object id = record.get("id");
            return id instanceof String ? (String) id : null;
        }

        /** The finding in one line: as recorded, or its title for a record written before headlines. */
        String headline() {
            Object h = record.get("headline");
            return h instanceof String ? (String) h : title();
        }

        /**
         * Why the finding is suppressed, or null: the JVM's suppression file said so when it was recorded, or
         * {@code extra} (the command's own suppression file) lists its id.
         */
        String suppression(Suppressions extra) {
            if (Boolean.TRUE.equals(record.get("suppressed"))) {
                return (String) record.get("suppression");
            }
            return extra.reasonFor(id());
        }
    }

    final List<Recording> recordings;
    final GraphSnapshot graph;
    final List<Finding> crossInputCycles;
    final List<Shown> findings = new ArrayList<>();
    final Map<Integer, GraphSnapshot.Node> nodesById = new HashMap<>();
    final Map<String, GraphSnapshot.Node> nodesByKey = new HashMap<>();
    final Set<Integer> cycleNodes = new LinkedHashSet<>();
    final Set<Long> cycleEdges = new LinkedHashSet<>();

    private ReportData(List<Recording> recordings, MergedGraph merged) {
        this.recordings = recordings;
        this.graph = merged.snapshot();
        this.crossInputCycles = merged.crossInputCycles();
        for (GraphSnapshot.Node n : graph.nodes()) {
            nodesById.put(n.id(), n);
            nodesByKey.put(n.key(), n);
        }
        for (Finding f : crossInputCycles) {
            findings.add(new Shown(null, asRecord(f)));
        }
        for (Recording r : recordings) {
            for (Map<String, Object> rec : r.findings) {
                findings.add(new Shown(r.label, rec));
            }
        }
        markCycles();
    }

    static ReportData load(List<String> files) throws BadInputException {
        MergedGraph merged = new MergedGraph();
        List<Recording> recordings = RecordingReader.readAll(files, merged);
        return new ReportData(recordings, merged);
    }

    /** The recordings whose JVM never wrote its graph (killed, crashed, or still running). */
    List<Recording> withoutGraph() {
        List<Recording> out = new ArrayList<>();
        for (Recording r : recordings) {
            if (!r.hasGraph()) {
                out.add(r);
            }
        }
        return out;
    }

    /** One line for each JVM whose lock graph is missing or partial, saying what the views lack. */
    List<String> gaps() {
        List<String> lines = new ArrayList<>();
        for (Recording r : recordings) {
            if (!r.hasGraph()) {
                lines.add(r.file + ": pid " + r.pid + " has no graph record (the JVM did not exit normally); its"
                        + " findings are shown without its dependencies");
            } else if (!r.graphComplete) {
                lines.add(r.file + ": the graph of pid " + r.pid + " is partial (its validator had turned off); orders"
                        + " taken after that are missing");
            }
        }
        return lines;
    }

    /** The classes that have at least one dependency, by id. */
    List<GraphSnapshot.Node> connectedNodes() {
        return GraphDot.connected(graph);
    }

    boolean onCycle(GraphSnapshot.Edge e) {
        return cycleEdges.contains(GraphDot.edgeKey(e.from(), e.to()));
    }

    /** The graph for Graphviz. */
    String dot() {
        return GraphDot.render(graph, cycleNodes, cycleEdges, "jlockdep lock graph: "
                + HtmlReport.plural(recordings.size(), "JVM") + ", "
                + HtmlReport.plural(connectedNodes().size(), "lock class", "lock classes") + " with dependencies, "
                + HtmlReport.plural(crossInputCycles.size(), "cycle", "cycles") + " across JVMs");
    }

    /** Cycle findings' chains name classes by key: those classes, and the dependencies between them, are on a cycle. */
    private void markCycles() {
        for (Shown s : findings) {
            String kind = s.kind();
            if (!Finding.Kind.CIRCULAR_DEPENDENCY.id().equals(kind) && !Finding.Kind.DEADLOCK.id().equals(kind)) {
                continue;
            }
            for (Map<String, Object> link : s.chain()) {
                Integer from = idOf(link.get("from"));
                Integer to = idOf(link.get("to"));
                if (from != null) {
                    cycleNodes.add(from);
                }
                if (to != null) {
                    cycleNodes.add(to);
                }
                if (from != null && to != null) {
                    cycleEdges.add(GraphDot.edgeKey(from, to));
                }
            }
        }
    }

    private Integer idOf(Object lock) {
        GraphSnapshot.Node n = nodeOf(lock);
        return n == null ? null : n.id();
    }

    /** The merged graph's class for a lock of a finding record, by its key; null when the graph lacks it. */
    GraphSnapshot.Node nodeOf(Object lock) {
        return lock instanceof Map ? nodesByKey.get((String) ((Map<?, ?>) lock).get("key")) : null;
    }

    /**
     * How the page names a lock of a finding record: as the merged graph does, since the name a JVM gave it may be
     * another class's in the merged graph ({@code #2} suffixes are per JVM).
     */
    String nameOf(Object lock) {
        GraphSnapshot.Node n = nodeOf(lock);
        if (n != null) {
            return n.name();
        }
        Object name = lock instanceof Map ? ((Map<?, ?>) lock).get("name") : null;
        return name == null ? "?" : name.toString();
    }

    /** A finding of the merge as the same JSON record a JVM writes, so every finding is shown one way. */
    private static Map<String, Object> asRecord(Finding f) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> rec = (Map<String, Object>) JsonReader.parse(JsonFile.findingLine(f, 0));
            return Collections.unmodifiableMap(rec);
        } catch (JsonReader.SyntaxException e) {
            throw new IllegalStateException("jlockdep wrote a finding record it cannot read: " + e.getMessage(), e);
        }
    }
}
