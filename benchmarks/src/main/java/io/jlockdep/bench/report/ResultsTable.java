package io.jlockdep.bench.report;

import io.jlockdep.bench.Args;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one run's results into the Markdown tables of BENCHMARKS.md: lock operations (plain, agent, Guava, ratios,
 * allocation), the real workload, the engine's slow path, and the whole-JVM measurements, each checked against its
 * target.
 *
 * <p>Arguments: {@code --plain <csv>... --agent <csv>... --process <tsv> [--out <md>]}: JMH CSV results of the
 * plain passes and of the agent passes (several files each), and {@code ProcessBenchmarks}' output. A missing file
 * leaves its rows out.
 */
public final class ResultsTable {
    /** Allocation per operation below this (bytes) is JMH's own noise: zero. */
    static final double ZERO_ALLOC = 1.0;
    static final double LOCK_RATIO_TARGET = 1.5;
    static final double MONITOR_RATIO_TARGET = 2.0;
    static final double WORKLOAD_LOSS_TARGET = 0.10;
    static final double HELLO_DELTA_TARGET_MS = 100;
    static final double CLASS_HEAVY_RATIO_TARGET = 1.25;
    static final double GRAPH_CHECK_TARGET_US = 1000;

    private final Map<String, JmhCsv.Result> plain;
    private final Map<String, JmhCsv.Result> agent;
    private final List<String[]> process;

    ResultsTable(Map<String, JmhCsv.Result> plain, Map<String, JmhCsv.Result> agent, List<String[]> process) {
        this.plain = plain;
        this.agent = agent;
        this.process = process;
    }

    public static void main(String[] args) throws IOException {
        Args opts = new Args(args);
        ResultsTable t = new ResultsTable(results(opts.all("--plain")), results(opts.all("--agent")),
                parseProcess(read(opts.one("--process", ""))));
        String md = t.render();
        System.out.print(md);
        String out = opts.one("--out", "");
        if (!out.isEmpty()) {
            Files.writeString(Path.of(out), md, StandardCharsets.UTF_8);
        }
    }

    private static Map<String, JmhCsv.Result> results(List<String> files) throws IOException {
        Map<String, JmhCsv.Result> all = new LinkedHashMap<>();
        for (String file : files) {
            all.putAll(JmhCsv.parse(read(file)));
        }
        return all;
    }

    private static String read(String file) throws IOException {
        Path p = Path.of(file);
        return !file.isEmpty() && Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    static List<String[]> parseProcess(String tsv) {
        List<String[]> rows = new ArrayList<>();
        for (String line : tsv.split("\r?\n")) {
            if (!line.isBlank()) {
                rows.add(line.split("\t"));
            }
        }
        return rows;
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        lockTable(sb);
        workloadTable(sb);
        engineTable(sb);
        processTable(sb);
        return sb.toString();
    }

    /**
     * Compared on CPU time per operation when both passes measured it ({@code CpuTimeProfiler}): on a machine shared
     * with other work the benchmark thread waits for a core now and then, which inflates wall-clock scores but not the
     * CPU time an operation takes. The wall-clock ratio is shown beside it.
     */
    private void lockTable(StringBuilder sb) {
        sb.append("### Lock operations (CPU ns/op, lower is better)\n\n");
        sb.append("| Benchmark | Depth | Plain | Agent | Agent/plain | Wall agent/plain | Guava | Agent/Guava"
                + " | B/op plain / agent / Guava | Target | Status |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (JmhCsv.Result p : plain.values()) {
            String name = p.shortName();
            if (!name.startsWith("UncontendedLocks.") && !name.startsWith("UncontendedMonitors.")
                    && !name.startsWith("ContendedLocks.")) {
                continue;
            }
            JmhCsv.Result a = agent.get(JmhCsv.key(p.benchmark, p.depth));
            String peer = guavaPeer(p.benchmark);
            JmhCsv.Result g = peer == null ? null : plain.get(JmhCsv.key(peer, p.depth));
            boolean cpu = !Double.isNaN(p.cpuPerOp) && a != null && !Double.isNaN(a.cpuPerOp);
            double ratio = a == null ? Double.NaN : cost(a, cpu) / cost(p, cpu);
            double wallRatio = a == null ? Double.NaN : a.score / p.score;
            double vsGuava = a == null || g == null ? Double.NaN : cost(a, cpu) / cost(g, cpu);
            double ratioTarget = name.startsWith("UncontendedLocks.") ? LOCK_RATIO_TARGET
                    : name.startsWith("UncontendedMonitors.") ? MONITOR_RATIO_TARGET : Double.NaN;
            boolean beatGuava = g != null && !p.depth.isEmpty() && Integer.parseInt(p.depth) >= 2;
            List<String> target = new ArrayList<>();
            List<String> missed = new ArrayList<>();
            if (!Double.isNaN(ratioTarget)) {
                target.add("≤ " + fmt(ratioTarget, 1) + "x");
                if (ratio > ratioTarget) {
                    missed.add("ratio +" + pct(ratio / ratioTarget - 1));
                }
            }
            if (beatGuava) {
                target.add("< Guava");
                if (vsGuava >= 1) {
                    missed.add("slower than Guava");
                }
            }
            target.add("0 B/op");
            if (a != null && a.allocPerOp >= ZERO_ALLOC) {
                missed.add(fmt(a.allocPerOp, 0) + " B/op");
            }
            String status = a == null ? "no agent result" : missed.isEmpty() ? "met" : "missed: " + String.join(", ", missed);
            sb.append("| ").append(name).append(" | ").append(p.depth.isEmpty() ? "-" : p.depth)
                    .append(" | ").append(fmt(cost(p, cpu), 1))
                    .append(" | ").append(a == null ? "-" : fmt(cost(a, cpu), 1))
                    .append(" | ").append(fmt(ratio, 2))
                    .append(" | ").append(fmt(wallRatio, 2))
                    .append(" | ").append(g == null ? "-" : fmt(cost(g, cpu), 1))
                    .append(" | ").append(fmt(vsGuava, 2))
                    .append(" | ").append(alloc(p)).append(" / ").append(alloc(a)).append(" / ").append(alloc(g))
                    .append(" | ").append(String.join(", ", target))
                    .append(" | ").append(status).append(" |\n");
        }
        sb.append('\n');
    }

    /** CPU time per operation when both sides of the comparison have it, else the wall-clock score. */
    private static double cost(JmhCsv.Result r, boolean cpu) {
        return cpu && !Double.isNaN(r.cpuPerOp) ? r.cpuPerOp : r.score;
    }

    private void workloadTable(StringBuilder sb) {
        sb.append("### Real workload (throughput, higher is better)\n\n");
        sb.append("| Benchmark | Plain | Agent | Agent/plain | Throughput lost | Target | Status |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (JmhCsv.Result p : plain.values()) {
            if (!p.shortName().startsWith("H2Bank.")) {
                continue;
            }
            JmhCsv.Result a = agent.get(JmhCsv.key(p.benchmark, p.depth));
            double ratio = a == null ? Double.NaN : a.score / p.score;
            double loss = 1 - ratio;
            sb.append("| ").append(p.shortName()).append(" (").append(p.unit).append(") | ").append(fmt(p.score, 0))
                    .append(" | ").append(a == null ? "-" : fmt(a.score, 0)).append(" | ").append(fmt(ratio, 2))
                    .append(" | ").append(Double.isNaN(loss) ? "-" : pct(loss))
                    .append(" | ≤ ").append(pct(WORKLOAD_LOSS_TARGET)).append(" | ")
                    .append(a == null ? "no agent result" : loss <= WORKLOAD_LOSS_TARGET ? "met"
                            : "missed by " + pct(loss - WORKLOAD_LOSS_TARGET) + " of throughput")
                    .append(" |\n");
        }
        sb.append('\n');
    }

    private void engineTable(StringBuilder sb) {
        sb.append("### Engine: a new dependency in a 10,000-class, 100,000-dependency graph (no agent)\n\n");
        sb.append("| Benchmark | Time per check | Target | Status |\n");
        sb.append("|---|---|---|---|\n");
        for (JmhCsv.Result p : plain.values()) {
            if (!p.shortName().startsWith("GraphCheckBenchmark.")) {
                continue;
            }
            sb.append("| ").append(p.shortName()).append(" | ").append(fmt(p.score, 1)).append(' ').append(p.unit)
                    .append(" | < ").append(fmt(GRAPH_CHECK_TARGET_US, 0)).append(" us | ")
                    .append(micros(p) < GRAPH_CHECK_TARGET_US ? "met" : "missed").append(" |\n");
        }
        sb.append('\n');
    }

    private void processTable(StringBuilder sb) {
        sb.append("### Whole JVMs (medians)\n\n");
        sb.append("| Measurement | Plain | Agent | Agent - plain | Agent/plain | Target | Status |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (String[] row : process) {
            String metric = row[0];
            double p = Double.parseDouble(row[1]);
            double a = Double.parseDouble(row[2]);
            String unit = row.length > 3 ? row[3] : "";
            String target = "";
            String status = "";
            if (metric.equals("startup-hello")) {
                target = "≤ +" + fmt(HELLO_DELTA_TARGET_MS, 0) + " ms";
                status = a - p <= HELLO_DELTA_TARGET_MS ? "met"
                        : "missed by " + fmt(a - p - HELLO_DELTA_TARGET_MS, 0) + " ms";
            } else if (metric.equals("startup-class-heavy")) {
                target = "≤ +" + pct(CLASS_HEAVY_RATIO_TARGET - 1);
                status = a / p <= CLASS_HEAVY_RATIO_TARGET ? "met"
                        : "missed by " + pct(a / p - CLASS_HEAVY_RATIO_TARGET) + " of plain";
            }
            sb.append("| ").append(metric).append(" | ").append(fmt(p, 1)).append(' ').append(unit)
                    .append(" | ").append(fmt(a, 1)).append(' ').append(unit)
                    .append(" | ").append(fmt(a - p, 1)).append(' ').append(unit)
                    .append(" | ").append(fmt(a / p, 2))
                    .append(" | ").append(target).append(" | ").append(status).append(" |\n");
        }
        sb.append('\n');
    }

    /** The Guava benchmark that runs the same shape (UncontendedLocks.x → UncontendedGuavaLocks.x), or null. */
    static String guavaPeer(String benchmark) {
        String peer = benchmark.replace(".UncontendedLocks.", ".UncontendedGuavaLocks.")
                .replace(".ContendedLocks.", ".ContendedGuavaLocks.");
        return peer.equals(benchmark) ? null : peer;
    }

    private static double micros(JmhCsv.Result r) {
        switch (r.unit) {
            case "ns/op":
                return r.score / 1000;
            case "ms/op":
                return r.score * 1000;
            case "s/op":
                return r.score * 1e6;
            default:
                return r.score;
        }
    }

    private static String alloc(JmhCsv.Result r) {
        return r == null || Double.isNaN(r.allocPerOp) ? "-" : fmt(r.allocPerOp, 0);
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
