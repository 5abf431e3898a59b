package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.jlockdep.it.apps.LongRunning;
import io.jlockdep.it.apps.TwoLockOrders;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jlockdep on a service, seen with the operators' tools: a JMX console, a Flight Recorder recording. */
class ServiceIT {

    @Test
    void theMBeanAnswersOverJmx() throws Exception {
        Jvm.Running target = Jvm.withAgent("lockstat=true").main(LongRunning.class).start();
        target.awaitStdout("ready");
        VirtualMachine vm = VirtualMachine.attach(Long.toString(target.process.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName("io.jlockdep:type=Lockdep");
            assertEquals(Boolean.TRUE, server.getAttribute(name, "Checking"));
            assertEquals(1L, server.getAttribute(name, "FindingCount"));
            CompositeData[] findings = (CompositeData[]) server.getAttribute(name, "Findings");
            assertEquals("circular-dependency", findings[0].get("kind"));
            assertTrue(((String) findings[0].get("id")).matches("circular-dependency-[0-9a-f]{16}"), findings[0]::toString);
            assertEquals(Boolean.FALSE, findings[0].get("suppressed"));
            assertEquals(0L, server.getAttribute(name, "SuppressedFindingCount"));
            assertTrue(((String) findings[0].get("text")).contains("(Ledger.pageMonitor){monitor}"));
            TabularData stats = (TabularData) server.getAttribute(name, "Statistics");
            assertTrue(stats.toString().contains("lockClasses"), stats.toString());
            CompositeData[] held = (CompositeData[]) server.getAttribute(name, "HeldLocks");
            boolean sessionHeld = false;
            for (CompositeData thread : held) {
                for (String lock : (String[]) thread.get("locks")) {
                    sessionHeld |= lock.contains("(LongRunning.SESSION){ReentrantLock}");
                }
            }
            assertTrue(sessionHeld, "main holds LongRunning.SESSION");
            String text = (String) server.getAttribute(name, "HeldLocksText");
            assertTrue(text.contains("Showing all locks held in the system:"), text);
            CompositeData[] lockStats = (CompositeData[]) server.getAttribute(name, "LockStatistics");
            boolean configCounted = false;
            for (CompositeData row : lockStats) {
                configCounted |= "LongRunning.CONFIG".equals(row.get("lockClass"))
                        && ((Long) row.get("acquisitions")) == 1L;
            }
            assertTrue(configCounted, "lock_stat row of LongRunning.CONFIG");
            String graph = (String) server.invoke(name, "exportGraphJson", null, null);
            assertTrue(graph.contains("\"type\":\"graph\"") && graph.contains("LongRunning.CONFIG"), graph);
            String dot = (String) server.invoke(name, "exportGraphDot", null, null);
            assertTrue(dot.startsWith("digraph") && dot.contains("LongRunning.CACHE"), dot);
        }
        target.send("go");
        Jvm.Result r = target.finish();
        assertEquals(0, r.exitCode, r::toString);
    }

    @Test
    void aFlightRecordingHoldsTheFindingEvent(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("recording.jfr");
        Jvm.Result r = Jvm.withAgent(null).jvmOption("-XX:StartFlightRecording=filename=" + jfr)
                .main(TwoLockOrders.class, "reentrant").run();
        assertEquals(0, r.exitCode, r::toString);
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        RecordedEvent finding = null;
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("io.jlockdep.Finding")) {
                finding = e;
            }
        }
        assertTrue(finding != null, "an io.jlockdep.Finding event among " + events.size());
        assertEquals("circular-dependency", finding.getString("kind"));
        assertEquals("Account.balanceLock -> Ledger.entriesLock", finding.getString("locks"));
        assertTrue(finding.getString("reportingThread").startsWith("main/"), finding.toString());
        assertTrue(finding.getString("report").contains(Reports.CIRCULAR), finding.toString());
    }
}
