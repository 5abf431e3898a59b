#!/usr/bin/env bash
# Builds jlockdep and its benchmark suite, runs the suite without and with the agent, and prints the results table
# (see BENCHMARKS.md). Everything is written to benchmarks/target/results/.
#
#   benchmarks/run.sh           full run: about 40 minutes on 2 cores
#   benchmarks/run.sh --quick   smoke run: a few minutes, numbers only show the pipeline works
#
# Runs on the `java` on PATH (set JAVA_HOME and PATH to measure another JDK). Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
case "${1:-}" in
    --quick) quick=true ;;
    "") ;;
    *) echo "usage: benchmarks/run.sh [--quick]" >&2; exit 2 ;;
esac

results=benchmarks/target/results
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
agent="$PWD/agent/target/jlockdep-agent.jar"
bench="$PWD/benchmarks/target/jlockdep-benchmarks.jar"
# The agent keeps what it learns about the JDK in a cache (see README); the benchmarks' JVMs share one of their own.
cache="$PWD/$results/agent-cache"
with_agent="-javaagent:$agent=cache=$cache -Djlockdep.bench.agent=true"
# CPU time per operation beside JMH's wall-clock score: on a shared machine the steadier measure (see BENCHMARKS.md).
cpu=(-prof io.jlockdep.bench.CpuTimeProfiler)

if $quick; then
    # One short fork per benchmark: enough to prove every benchmark runs under both passes, not to measure.
    jmh_opts=(-f 1 -wi 1 -w 200ms -i 2 -r 300ms)
    workload_opts=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
    graph_opts=(-wi 3 -i 5)
    process_opts=(--runs 3 --locks 20000 --threads 200)
else
    # 2 forks x (4 x 1 s warm-up + 5 x 1 s measurement) per benchmark and depth.
    jmh_opts=(-f 2 -wi 4 -w 1s -i 5 -r 1s)
    # The real workload settles slowly (its JIT has far more to compile, more still under the agent): 3 forks x
    # (5 x 3 s warm-up + 5 x 3 s measurement).
    workload_opts=(-f 3 -wi 5 -w 3s -i 5 -r 3s)
    graph_opts=()
    process_opts=(--runs 10 --locks 100000 --threads 1000)
fi

echo "== building (mvn -B -q -DskipTests -Pbench-data package)"
mvn -B -q -DskipTests -Pbench-data package
rm -rf "$results"
mkdir -p "$results"

# Runs JMH (stopping at the first failing benchmark); prints one line per benchmark run, the full output goes to a log.
jmh() {
    local log="$1"
    shift
    java -jar "$bench" -foe true "$@" >"$log" 2>&1 || { tail -40 "$log" >&2; echo "run.sh: JMH failed, see $log" >&2; return 1; }
    awk '/^# Benchmark:/ {b = $3} /^# Parameters:/ {p = " " $3 $4 $5 $6}
         /^# Run progress/ && b != "" {print "  " b p; b = ""; p = ""}' "$log"
}

echo "== sanity: the agent sees the benchmarks' locks (stats=true, one short fork)"
jmh "$results/sanity.log" 'UncontendedLocks.reentrantLock$' -p depth=2 -f 1 -wi 0 -i 1 -r 200ms \
    -jvmArgsAppend "-javaagent:$agent=stats=true,cache=$cache,out=$PWD/$results/agent-stats.txt -Djlockdep.bench.agent=true"
hits=$(awk '/chain cache hits:/ {print $4}' "$results/agent-stats.txt" | tail -1)
if [[ -z "$hits" || "$hits" -lt 1000 ]]; then
    echo "run.sh: the agent did not track the benchmark's locks (chain cache hits: ${hits:-none}); see $results/agent-stats.txt" >&2
    exit 1
fi
echo "  chain cache hits under the agent: $hits"

echo "== lock operations, without the agent (with Guava's factory)"
jmh "$results/jmh-plain.log" 'io.jlockdep.bench.locks.' "${jmh_opts[@]}" -prof gc "${cpu[@]}" -rf csv -rff "$results/plain.csv"

echo "== lock operations, with the agent"
jmh "$results/jmh-agent.log" 'io.jlockdep.bench.locks.' -e 'Guava' "${jmh_opts[@]}" -prof gc "${cpu[@]}" \
    -jvmArgsAppend "$with_agent" -rf csv -rff "$results/agent.csv"

echo "== real workload, without and with the agent"
jmh "$results/jmh-workload-plain.log" 'io.jlockdep.bench.workload.' "${workload_opts[@]}" -prof gc \
    -rf csv -rff "$results/workload-plain.csv"
jmh "$results/jmh-workload-agent.log" 'io.jlockdep.bench.workload.' "${workload_opts[@]}" -prof gc \
    -jvmArgsAppend "$with_agent" -rf csv -rff "$results/workload-agent.csv"

echo "== engine: a new dependency in a 10,000-class, 100,000-dependency graph"
jmh "$results/jmh-graph.log" 'io.jlockdep.runtime.graph.GraphCheckBenchmark' "${graph_opts[@]}" -rf csv -rff "$results/graph.csv"
grep -ho 'graph: .*' "$results/jmh-graph.log" | sort -u | sed 's/^/  /' || true

echo "== whole JVMs: start-up, memory per lock, 1,000 threads"
big_jar=$(ls benchmarks/target/class-heavy/kotlin-compiler-embeddable-*.jar)
java -cp "$bench" io.jlockdep.bench.process.ProcessBenchmarks --agent "$agent" --out "$results/process.tsv" \
    --cache "$results/process-cache" \
    --class-heavy "$big_jar" benchmarks/target/class-heavy "${process_opts[@]}" | sed 's/^/  /'

{
    echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC')$($quick && echo ', QUICK SMOKE RUN: not measurements')"
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
         "$(free -g | awk '/^Mem:/ {print $2}') GiB, load average before the run $load_before"
    echo "JVM: $(java -version 2>&1 | sed -n 2p)"
    echo "JMH: ${jmh_opts[*]} -prof gc; workload ${workload_opts[*]} -prof gc"
    echo
    java -cp "$bench" io.jlockdep.bench.report.ResultsTable \
        --plain "$results/plain.csv" "$results/workload-plain.csv" "$results/graph.csv" \
        --agent "$results/agent.csv" "$results/workload-agent.csv" --process "$results/process.tsv"
} >"$results/results.md"
echo
cat "$results/results.md"
echo "run.sh: results in $results/ (results.md, plain.csv, agent.csv, graph.csv, process.tsv, logs)"
