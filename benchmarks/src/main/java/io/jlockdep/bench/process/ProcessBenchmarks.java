package io.jlockdep.bench.process;

import io.jlockdep.bench.Args;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measurements of whole JVMs, each run alternately without and with the agent (so drift on a busy machine hits both
 * alike), reporting medians: start-up of {@link HelloWorld} and of {@link LoadClasses} (wall time from process start
 * to exit, and with {@code /usr/bin/time} the CPU time the process used, which a busy machine inflates less), retained
 * heap per lock ({@link LockMemory}), and many threads holding locks ({@link ManyThreads}). Writes one line per metric
 * to the output file: {@code name<TAB>plain<TAB>agent<TAB>unit}.
 *
 * <p>The agent keeps what it learns about the JDK in a cache directory ({@code --cache}, by default one next to the
 * output file): one agent run before the measurements fills it, as the first JVM after a new agent build would.
 * Start-up is also measured with the cache off ({@code -no-cache}: what that first JVM pays) and with
 * {@code startup=background} ({@code -background}, the default before every lock was checked from main's first line).
 *
 * <p>Arguments: {@code --agent <jar> --out <file> [--runs <n>] [--only startup] [--cache <dir>] [--class-heavy
 * <big jar> <its directory>] [--locks <n>] [--threads <n>]}. The default of 100,000 locks keeps the agent run short while jlockdep
 * registers lock instances in a map whose chains grow with the number of live locks (see BENCHMARKS.md).
 */
public final class ProcessBenchmarks {
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String classPath = System.getProperty("java.class.path");
    private final String agentJar;
    private final Path logDir;
    /** Agent options of the measurements to come: the cache directory, and what a variant adds. */
    private String agentOptions;
    private final boolean timeAvailable = new File("/usr/bin/time").canExecute();
    /** Metric name to its samples: [0] without the agent, [1] with it. */
    private final Map<String, List<List<Double>>> samples = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();

    ProcessBenchmarks(String agentJar, Path logDir) {
        this.agentJar = agentJar;
        this.logDir = logDir;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Args opts = new Args(args);
        String agent = opts.one("--agent", null);
        Path out = Path.of(opts.one("--out", null));
        int runs = Integer.parseInt(opts.one("--runs", "10"));
        int locks = Integer.parseInt(opts.one("--locks", "100000"));
        int threads = Integer.parseInt(opts.one("--threads", "1000"));
        if (!new File(agent).isFile()) {
            throw new IllegalArgumentException("no agent jar at " + agent + "; build it first (mvn -B -DskipTests package)");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        ProcessBenchmarks b = new ProcessBenchmarks(agent, out.toAbsolutePath().getParent());
        String cache = "cache=" + Path.of(opts.one("--cache", out.toAbsolutePath().getParent().resolve("agent-cache")
                .toString())).toAbsolutePath();
        b.agentOptions = cache;
        b.runOnce(null, true, List.of(), HelloWorld.class); // fills the cache, as a JVM's first run would
        b.measure("startup-hello", runs, List.of(), HelloWorld.class);
        b.agentOptions = "cache=off";
        b.measure("startup-hello-no-cache", runs, List.of(), HelloWorld.class);
        b.agentOptions = cache + ",startup=background";
        b.measure("startup-hello-background", runs, List.of(), HelloWorld.class);
        b.agentOptions = cache;
        List<String> classHeavy = opts.all("--class-heavy");
        if (!classHeavy.isEmpty()) {
            String[] args10k = {classHeavy.get(0), classHeavy.get(1), "10000"};
            b.runOnce(null, true, List.of(), LoadClasses.class, args10k);
            b.measure("startup-class-heavy", Math.max(3, runs / 2), List.of(), LoadClasses.class, args10k);
            b.agentOptions = cache + ",startup=background";
            b.measure("startup-class-heavy-background", Math.max(3, runs / 2), List.of(), LoadClasses.class, args10k);
            b.agentOptions = cache;
        }
        if (opts.one("--only", "all").equals("startup")) {
            b.write(out);
            return;
        }
        // A fixed-size heap, the serial collector and no thread-local allocation buffers (whose unused parts count as
        // used and change size with the number of threads): heap in use after a full collection is then exact.
        List<String> heap = List.of("-Xms3g", "-Xmx3g", "-XX:+UseSerialGC", "-XX:-UseTLAB");
        int memoryRuns = Math.max(1, Math.min(3, runs));
        for (String kind : List.of("reentrant", "object", "typed")) {
            b.measure(null, memoryRuns, heap, LockMemory.class, kind, String.valueOf(locks));
        }
        b.measure(null, memoryRuns, heap, ManyThreads.class, String.valueOf(threads));
        b.write(out);
    }

    /**
     * Runs {@code main} {@code runs} times without and with the agent, alternating which goes first, and records the
     * {@code result} lines it prints, plus its wall time under {@code wallMetric} when not null.
     */
    void measure(String wallMetric, int runs, List<String> jvmArgs, Class<?> main, String... args)
            throws IOException, InterruptedException {
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < 2; i++) {
                boolean withAgent = (run + i) % 2 == 1;
                runOnce(wallMetric, withAgent, jvmArgs, main, args);
            }
        }
    }

    private void runOnce(String wallMetric, boolean withAgent, List<String> jvmArgs, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        Path cpuFile = timeAvailable && wallMetric != null ? Files.createTempFile("jlockdep-bench", ".time") : null;
        if (cpuFile != null) {
            cmd.addAll(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString()));
        }
        cmd.add(java);
        if (withAgent) {
            cmd.add("-javaagent:" + agentJar + (agentOptions == null ? "" : "=" + agentOptions));
            cmd.add("-Djlockdep.bench.agent=true");
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        String label = main.getSimpleName() + (args.length > 0 ? "-" + args[0].replaceAll("[^A-Za-z0-9]", "") : "");
        Path stdout = Files.createTempFile("jlockdep-bench", ".out");
        Path stderr = logDir.resolve("process-" + label + (withAgent ? "-agent" : "-plain") + ".err");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            int exit = p.waitFor();
            double wallMs = (System.nanoTime() - start) / 1e6;
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            String errors = Files.readString(stderr, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + exit + ":\n" + errors);
            }
            if (errors.contains("jlockdep: internal error") || errors.contains("WARNING: ")) {
                System.out.println("note: " + label + (withAgent ? " with" : " without") + " the agent printed a"
                        + " report or an internal error; see " + stderr);
            }
            if (wallMetric != null) {
                record(wallMetric, withAgent, wallMs, "ms");
            }
            if (cpuFile != null) {
                String[] userSys = Files.readString(cpuFile, StandardCharsets.UTF_8).trim().split("\\s+");
                record(wallMetric + "-cpu", withAgent,
                        (Double.parseDouble(userSys[0]) + Double.parseDouble(userSys[1])) * 1000, "ms");
            }
            for (String line : lines) {
                if (line.startsWith(Results.PREFIX)) {
                    String[] f = line.substring(Results.PREFIX.length()).split(" ");
                    record(f[0], withAgent, Double.parseDouble(f[1]), f[2]);
                }
            }
        } finally {
            Files.deleteIfExists(stdout);
            if (cpuFile != null) {
                Files.deleteIfExists(cpuFile);
            }
        }
    }

    private void record(String metric, boolean withAgent, double value, String unit) {
        samples.computeIfAbsent(metric, k -> List.of(new ArrayList<>(), new ArrayList<>()))
                .get(withAgent ? 1 : 0).add(value);
        units.put(metric, unit);
    }

    private void write(Path out) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<List<Double>>> e : samples.entrySet()) {
            String line = String.format(Locale.ROOT, "%s\t%.3f\t%.3f\t%s%n", e.getKey(), median(e.getValue().get(0)),
                    median(e.getValue().get(1)), units.get(e.getKey()));
            sb.append(line);
            System.out.print(line);
        }
        try {
            Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
