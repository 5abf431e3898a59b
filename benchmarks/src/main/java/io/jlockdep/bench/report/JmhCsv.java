package io.jlockdep.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JMH's CSV result format ({@code -rf csv}): one row per benchmark and parameter set with its primary score,
 * and one row per secondary metric (the gc profiler's {@code gc.alloc.rate.norm}, {@code CpuTimeProfiler}'s
 * {@code cpu.time.norm}) named {@code benchmark:metric}.
 */
final class JmhCsv {
    static final String ALLOC_NORM = "gc.alloc.rate.norm";
    /** {@code io.jlockdep.bench.CpuTimeProfiler}'s metric: the JVM's CPU time per operation. */
    static final String CPU_NORM = "cpu.time.norm";

    /** One benchmark and parameter set: the primary score, allocation and CPU time per operation (NaN: not profiled). */
    static final class Result {
        final String benchmark;
        final String depth;
        final double score;
        final double error;
        final String unit;
        double allocPerOp = Double.NaN;
        double cpuPerOp = Double.NaN;

        Result(String benchmark, String depth, double score, double error, String unit) {
            this.benchmark = benchmark;
            this.depth = depth;
            this.score = score;
            this.error = error;
            this.unit = unit;
        }

        /** Simple class name and method: {@code UncontendedLocks.reentrantLock}. */
        String shortName() {
            int method = benchmark.lastIndexOf('.');
            int cls = benchmark.lastIndexOf('.', method - 1);
            return benchmark.substring(cls + 1);
        }
    }

    private JmhCsv() {
    }

    /** Results keyed by benchmark name and depth ({@code name|depth}, depth empty when the benchmark has none). */
    static Map<String, Result> parse(String csv) {
        Map<String, Result> results = new LinkedHashMap<>();
        String[] lines = csv.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return results;
        }
        List<String> header = fields(lines[0]);
        int name = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int unit = header.indexOf("Unit");
        int depth = header.indexOf("Param: depth");
        if (name < 0 || score < 0 || unit < 0) {
            throw new IllegalArgumentException("not a JMH CSV result file: header " + header);
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> f = fields(lines[i]);
            String bench = f.get(name);
            String d = depth >= 0 && depth < f.size() ? f.get(depth) : "";
            int colon = bench.indexOf(':');
            if (colon >= 0) {
                // a secondary metric; JMH before 1.36 put a middle dot before its name
                String metric = bench.substring(colon + 1).replace("\u00b7", "");
                Result primary = results.get(key(bench.substring(0, colon), d));
                if (primary != null && metric.equals(ALLOC_NORM)) {
                    primary.allocPerOp = number(f.get(score));
                } else if (primary != null && metric.equals(CPU_NORM)) {
                    primary.cpuPerOp = number(f.get(score));
                }
                continue;
            }
            results.put(key(bench, d), new Result(bench, d, number(f.get(score)),
                    error >= 0 ? number(f.get(error)) : Double.NaN, f.get(unit)));
        }
        return results;
    }

    static String key(String benchmark, String depth) {
        return benchmark + '|' + depth;
    }

    private static double number(String s) {
        if (s.isEmpty() || s.equals("NaN")) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }

    /** Splits one CSV line: fields may be quoted, with doubled quotes inside. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
