package io.jlockdep.tools;

import io.jlockdep.runtime.graph.MergedGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One JVM's records in a JSON file: its header, its findings, and whether its lock graph was written. */
final class Recording {
    final String file;
    final long pid;
    final String version;
    final String startTime;
    final String jvm;
    final String main;
    /** The finding records, as read. */
    final List<Map<String, Object>> findings = new ArrayList<>();
    /** This JVM's graph in the merged graph; null until its graph record is read. */
    MergedGraph.Input graph;
    boolean graphComplete;
    String label;

    Recording(String file, long pid, String version, String startTime, String jvm, String main) {
        this.file = file;
        this.pid = pid;
        this.version = version;
        this.startTime = startTime;
        this.jvm = jvm;
        this.main = main;
        this.label = file + " (pid " + pid + ")";
    }

    boolean hasGraph() {
        return graph != null;
    }
}
