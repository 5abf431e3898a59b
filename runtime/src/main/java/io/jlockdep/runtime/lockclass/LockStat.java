package io.jlockdep.runtime.lockclass;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Contention statistics of one lock class ({@code lockstat=true}), lockdep's lock_stat: acquisitions, contentions, the
 * time spent waiting for the lock and the time it was held, per mode (write and read, lock_stat's -W and -R rows).
 * A java.util.concurrent acquisition is contended when it takes its synchronizer's slow path (it could not get the
 * lock at once), counted as it starts waiting; a monitor, whose slow path the JVM hides, when it has waited
 * {@link #MONITOR_CONTENDED_NANOS} or more. Wait times are those of contended acquisitions.
 */
public final class LockStat {
    /** A monitor entry that waited this long was not immediate: someone held it. */
    public static final long MONITOR_CONTENDED_NANOS = 1_000L;

    final ModeStat write = new ModeStat();
    final ModeStat read = new ModeStat();

    public ModeStat of(int mode) {
        return mode == Mode.EXCLUSIVE ? write : read;
    }

    /** Counters of one mode. Adders and compare-and-set extremes: threads of one class update them at once. */
    public static final class ModeStat {
        final LongAdder acquisitions = new LongAdder();
        final LongAdder contentions = new LongAdder();
        /** Contended acquisitions that got their lock: the waits timed. */
        final LongAdder waits = new LongAdder();
        final LongAdder waitTotal = new LongAdder();
        final AtomicLong waitMin = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong waitMax = new AtomicLong();
        final LongAdder holds = new LongAdder();
        final LongAdder holdTotal = new LongAdder();
        final AtomicLong holdMin = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong holdMax = new AtomicLong();

        /** Counted when the wait begins, like lock_contended: a wait that never ends (a deadlock) still shows. */
        public void contended() {
            contentions.increment();
        }

        public void acquired(long waitNanos, boolean waited) {
            acquisitions.increment();
            if (waited) {
                waits.increment();
                waitTotal.add(waitNanos);
                lower(waitMin, waitNanos);
                raise(waitMax, waitNanos);
            }
        }

        public void released(long holdNanos) {
            holds.increment();
            holdTotal.add(holdNanos);
            lower(holdMin, holdNanos);
            raise(holdMax, holdNanos);
        }

        private static void lower(AtomicLong min, long value) {
            long seen = min.get();
            while (value < seen && !min.compareAndSet(seen, value)) {
                seen = min.get();
            }
        }

        private static void raise(AtomicLong max, long value) {
            long seen = max.get();
            while (value > seen && !max.compareAndSet(seen, value)) {
                seen = max.get();
            }
        }
    }

    /** One row of the table: a lock class in one mode, times in nanoseconds. */
    public static final class Row {
        private final String lockClass;
        private final String key;
        private final String kind;
        private final long acquisitions;
        private final long contentions;
        private final long waits;
        private final long waitMin;
        private final long waitMax;
        private final long waitTotal;
        private final long holds;
        private final long holdMin;
        private final long holdMax;
        private final long holdTotal;

        Row(LockClass c, int mode, ModeStat s) {
            this.lockClass = c.name;
            this.key = c.key;
            this.kind = c.type.kind(mode);
            this.acquisitions = s.acquisitions.sum();
            this.contentions = s.contentions.sum();
            this.waits = s.waits.sum();
            this.waitTotal = s.waitTotal.sum();
            this.waitMin = waits == 0 ? 0 : s.waitMin.get();
            this.waitMax = s.waitMax.get();
            this.holds = s.holds.sum();
            this.holdTotal = s.holdTotal.sum();
            this.holdMin = holds == 0 ? 0 : s.holdMin.get();
            this.holdMax = s.holdMax.get();
        }

        public String lockClass() {
            return lockClass;
        }

        /** What identifies the class across JVMs, as in the JSON graph record. */
        public String key() {
            return key;
        }

        /** The kind with its mode, as lock lines show it: {@code ReentrantReadWriteLock read}. */
        public String kind() {
            return kind;
        }

        public long acquisitions() {
            return acquisitions;
        }

        public long contentions() {
            return contentions;
        }

        public long waitMinNanos() {
            return waitMin;
        }

        public long waitMaxNanos() {
            return waitMax;
        }

        public long waitTotalNanos() {
            return waitTotal;
        }

        public long holdMinNanos() {
            return holdMin;
        }

        public long holdMaxNanos() {
            return holdMax;
        }

        public long holdTotalNanos() {
            return holdTotal;
        }

        /** Contended acquisitions that got their lock, for the average wait. */
        public long waits() {
            return waits;
        }

        /** Releases timed, for the average hold time. */
        public long holds() {
            return holds;
        }
    }

    /** Every class and mode with at least one acquisition, most contended first, then most acquired. */
    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (LockClass c : LockClasses.all()) {
            LockStat stat = c.stat;
            if (stat != null) {
                for (int mode : new int[] {Mode.EXCLUSIVE, Mode.READ}) {
                    ModeStat s = stat.of(mode);
                    if (s.acquisitions.sum() > 0 || s.holds.sum() > 0) {
                        rows.add(new Row(c, mode, s));
                    }
                }
            }
        }
        rows.sort((a, b) -> a.contentions != b.contentions ? Long.compare(b.contentions, a.contentions)
                : Long.compare(b.acquisitions, a.acquisitions));
        return rows;
    }

    /** The table as lock_stat prints it: times in microseconds. */
    public static String table() {
        StringBuilder sb = new StringBuilder("jlockdep: lock_stat (times in microseconds)\n");
        String[] heads = {"class name", "contentions", "waittime-min", "waittime-max", "waittime-total",
            "waittime-avg", "acquisitions", "holdtime-min", "holdtime-max", "holdtime-total", "holdtime-avg"};
        List<String[]> lines = new ArrayList<>();
        lines.add(heads);
        for (Row r : rows()) {
            lines.add(new String[] {r.lockClass + (r.kind.endsWith(" read") ? "-R" : "-W"),
                Long.toString(r.contentions), micros(r.waitMin), micros(r.waitMax), micros(r.waitTotal),
                micros(r.waits == 0 ? 0 : r.waitTotal / r.waits), Long.toString(r.acquisitions),
                micros(r.holdMin), micros(r.holdMax), micros(r.holdTotal),
                micros(r.holds == 0 ? 0 : r.holdTotal / r.holds)});
        }
        int[] widths = new int[heads.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                boolean left = i == 0;
                String cell = line[i];
                if (!left) {
                    sb.append(' ');
                    pad(sb, widths[i] - cell.length());
                }
                sb.append(cell);
                if (left) {
                    pad(sb, widths[i] - cell.length());
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }

    /** Nanoseconds as microseconds with two decimals, without String.format (it may load locale data at exit). */
    private static String micros(long nanos) {
        long hundredths = nanos / 10;
        String whole = Long.toString(hundredths / 100);
        long cents = hundredths % 100;
        return whole + '.' + (cents < 10 ? "0" : "") + cents;
    }
}
