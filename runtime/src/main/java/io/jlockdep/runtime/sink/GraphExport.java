package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.graph.GraphSnapshot;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The live lock-class graph as text, for the JMX bean: the graph record of the JSON format (docs/json-format.md), or
 * Graphviz DOT with the cycles of the findings reported so far in red. Never waits long for the graph lock.
 */
final class GraphExport {
    private GraphExport() {
    }

    static String json() {
        return JsonFile.graphLine(snapshot(), ProcessHandle.current().pid());
    }

    static String dot() {
        GraphSnapshot graph = snapshot();
        Map<String, Integer> idByKey = new HashMap<>();
        for (GraphSnapshot.Node n : graph.nodes()) {
            idByKey.put(n.key(), n.id());
        }
        Set<Integer> cycleNodes = new LinkedHashSet<>();
        Set<Long> cycleEdges = new LinkedHashSet<>();
        for (Finding f : Engine.findingsSince(0)) {
            if (f.kind() != Finding.Kind.CIRCULAR_DEPENDENCY && f.kind() != Finding.Kind.DEADLOCK) {
                continue;
            }
            for (Finding.Link link : f.chain()) {
                Integer from = idByKey.get(link.from().key());
                Integer to = idByKey.get(link.to().key());
                if (from != null && to != null) {
                    cycleNodes.add(from);
                    cycleNodes.add(to);
                    cycleEdges.add(GraphDot.edgeKey(from, to));
                }
            }
        }
        return GraphDot.render(graph, cycleNodes, cycleEdges, "jlockdep lock graph of pid "
                + ProcessHandle.current().pid() + " (live), " + GraphDot.connected(graph).size()
                + " lock classes with dependencies");
    }

    private static GraphSnapshot snapshot() {
        // jlockdep's own work: the waits it does here are not the application's locking.
        boolean previous = Engine.enterAgentCode();
        try {
            GraphSnapshot graph = GraphSnapshot.take(JsonFile.GRAPH_TIMEOUT_MILLIS);
            if (graph != null) {
                return graph;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Engine.exitAgentCode(previous);
        }
        throw new IllegalStateException("the lock graph stayed busy for " + JsonFile.GRAPH_TIMEOUT_MILLIS
                + " ms; try again");
    }
}
