package io.jlockdep.bench.process;

import java.lang.management.ManagementFactory;

/** How a measured program reports to {@link ProcessBenchmarks}: one {@code result <name> <value> <unit>} line each. */
final class Results {
    static final String PREFIX = "result ";

    private Results() {
    }

    static void print(String name, double value, String unit) {
        System.out.println(PREFIX + name + ' ' + value + ' ' + unit);
    }

    /** CPU time this JVM has used so far, every thread together, in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Heap in use after full collections, in bytes: run with a fixed-size heap and the serial collector. */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
