package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.ThreadRegistry;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.graph.Stats;
import io.jlockdep.runtime.lockclass.LockStat;
import io.jlockdep.runtime.report.Reports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The {@link LockdepMXBean}, registered on the platform MBean server when the JVM creates it. Loaded only then: the
 * engine itself never touches java.management.
 */
public final class Management implements LockdepMXBean {
    private static volatile boolean registered;

    private Management() {
    }

    /** Called (through {@code Hooks.platformMBeanServer}) each time the platform MBean server is handed out. */
    public static void register(Object platformServer) {
        if (registered || !(platformServer instanceof MBeanServer)) {
            return;
        }
        synchronized (Management.class) {
            if (registered) {
                return;
            }
            registered = true;
            try {
                ObjectName name = new ObjectName(OBJECT_NAME);
                MBeanServer server = (MBeanServer) platformServer;
                if (!server.isRegistered(name)) {
                    server.registerMBean(new Management(), name);
                }
            } catch (Exception | LinkageError e) {
                Engine.message("cannot register the JMX bean " + OBJECT_NAME + ": " + e);
            }
        }
    }

    @Override
    public boolean isChecking() {
        return Engine.isEnabled();
    }

    @Override
    public String getVersion() {
        return Engine.version();
    }

    @Override
    public long getFindingCount() {
        return Engine.findingCount();
    }

    @Override
    public long getSuppressedFindingCount() {
        return Engine.suppressedCount();
    }

    @Override
    public List<FindingInfo> getFindings() {
        List<FindingInfo> out = new ArrayList<>();
        for (Finding f : Engine.allFindings()) {
            out.add(new FindingInfo(f));
        }
        return out;
    }

    @Override
    public Map<String, Long> getStatistics() {
        Stats s = Engine.stats();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("lockClasses", (long) s.classes());
        m.put("dependencies", (long) s.dependencies());
        m.put("lockChains", (long) s.chains());
        m.put("stackTraces", (long) s.stackTraces());
        m.put("chainCacheHits", s.chainHits());
        m.put("chainCacheMisses", s.chainMisses());
        m.put("maxLockDepth", (long) s.maxDepth());
        m.put("findings", (long) s.findings());
        m.put("suppressedFindings", (long) s.suppressed());
        return m;
    }

    @Override
    public List<ThreadLocks> getHeldLocks() {
        List<ThreadLocks> out = new ArrayList<>();
        for (ThreadState ts : ThreadRegistry.live()) {
            // Racy reads of running threads' stacks (see ThreadState): a line may be a moment old.
            if (ts.depth() > 0) {
                try {
                    out.add(new ThreadLocks(ts.threadLabel(), ts.thread().getState().name(), Reports.heldLockLines(ts)));
                } catch (RuntimeException e) {
                    // the stack changed while it was read: this thread is left out of this dump
                }
            }
        }
        return out;
    }

    @Override
    public String getHeldLocksText() {
        return Reports.allHeldLocks();
    }

    @Override
    public List<LockStatInfo> getLockStatistics() {
        List<LockStatInfo> out = new ArrayList<>();
        for (LockStat.Row r : LockStat.rows()) {
            out.add(new LockStatInfo(r));
        }
        return out;
    }

    @Override
    public String getLockStatisticsText() {
        return LockStat.table();
    }

    @Override
    public String exportGraphJson() {
        return GraphExport.json();
    }

    @Override
    public String exportGraphDot() {
        return GraphExport.dot();
    }
}
