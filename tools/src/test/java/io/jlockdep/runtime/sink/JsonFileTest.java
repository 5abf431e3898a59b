package io.jlockdep.runtime.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.Config;
import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.Locks;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.graph.GraphSnapshot;
import io.jlockdep.runtime.graph.GraphLockAccess;
import io.jlockdep.runtime.report.Reports;
import io.jlockdep.tools.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The json= file's records, and the graph snapshot they are written from. It lives in the tools module (it drives the
 * engine with the runtime's test helpers) because it reads the records back with the tools' JsonReader.
 */
class JsonFileTest {
    private final List<Finding> findings = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        Engine.start(Config.defaults(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private Finding abba() {
        ReentrantLock a = Locks.reentrant("t/Inode", "iLock");
        ReentrantLock b = Locks.reentrant("t/Mm", "mmapLock");
        Locks.lock(a, 11);
        Locks.lock(b, 12);
        Locks.unlock(b);
        Locks.unlock(a);
        Locks.lock(b, 21);
        Locks.lock(a, 22);
        Locks.unlock(a);
        Locks.unlock(b);
        assertEquals(1, findings.size(), () -> "one report expected: " + findings);
        return findings.get(0);
    }

    private static Map<String, Object> parse(String line) throws JsonReader.SyntaxException {
        return io.jlockdep.tools.Files.record(line);
    }

    private static <T> T at(Object o, Object... path) {
        return io.jlockdep.tools.Files.at(o, path);
    }

    @Test
    void aFindingRecordIsOneLineCarryingTheFindingAsData() throws Exception {
        Finding f = abba();
        String line = JsonFile.findingLine(f, 42);
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        Map<String, Object> rec = parse(line);
        assertEquals("finding", rec.get("type"));
        assertEquals(42L, rec.get("pid"));
        assertEquals("circular-dependency", rec.get("kind"));
        assertEquals(Reports.CIRCULAR, rec.get("title"));
        assertEquals(f.id(), rec.get("id"));
        assertEquals("possible circular locking dependency: Inode.iLock -> Mm.mmapLock -> Inode.iLock at"
                + " EngineTest.lock(EngineTest.java:22)", rec.get("headline"));
        assertEquals(false, rec.get("suppressed"));
        assertFalse(rec.containsKey("suppression"));
        assertEquals(true, parse(JsonFile.findingLine(f.suppressed("a reason"), 42)).get("suppressed"));
        assertEquals("a reason", parse(JsonFile.findingLine(f.suppressed("a reason"), 42)).get("suppression"));
        assertEquals(f.thread(), rec.get("thread"));
        assertEquals(f.text(), rec.get("text"));
        assertEquals("Inode.iLock", at(rec, "locks", 0, "name"));
        assertEquals("field:t/Inode.iLock", at(rec, "locks", 0, "key"));
        assertEquals("Inode.iLock", at(rec, "locks", 0, "fullName"));
        assertEquals("ReentrantLock", at(rec, "locks", 0, "lockType"));
        assertEquals("EngineTest.lock(EngineTest.java:22)", at(rec, "locks", 0, "acquiredAt"));
        List<Object> chain = at(rec, "chain");
        assertEquals(2, chain.size());
        // The existing order (the lock wanted, then the one held), then the order being taken now.
        assertEquals("Inode.iLock", at(chain, 0, "from", "name"));
        assertEquals("Mm.mmapLock", at(chain, 0, "to", "name"));
        assertEquals("Mm.mmapLock", at(chain, 1, "from", "name"));
        assertEquals("Inode.iLock", at(chain, 1, "to", "name"));
        assertEquals(f.chain().get(0).stack(), at(chain, 0, "stack"));
        assertEquals(f.chain().get(1).stack(), at(chain, 1, "stack"));
        assertFalse(at(chain, 0, "stack", 0).toString().isEmpty());
        assertFalse(((Map<?, ?>) chain.get(0)).containsKey("origin"), "a live finding has no origin");
        assertEquals("Mm.mmapLock", at(rec, "parties", 0, "held", 0, "lock", "name"));
        assertEquals(false, at(rec, "parties", 0, "held", 0, "trylock"));
    }

    @Test
    void theSnapshotCopiesClassesAndDependenciesWithTheirStacks() {
        ReentrantReadWriteLock tree = Locks.readWrite("t/Dir", "treeLock");
        ReentrantLock entry = Locks.reentrant("t/Dir", "entryLock");
        Locks.read(tree);
        Locks.lock(entry, 33);
        Locks.unlock(entry);
        Locks.unlockRead(tree);

        GraphSnapshot g = GraphSnapshot.take();
        assertTrue(g.complete());
        GraphSnapshot.Node from = node(g, "Dir.treeLock");
        GraphSnapshot.Node to = node(g, "Dir.entryLock");
        assertEquals("field:t/Dir.treeLock", from.key());
        assertEquals("ReentrantReadWriteLock", from.lockType());
        assertEquals("io.jlockdep.runtime.EngineTest.alloc(EngineTest.java:2)", from.declaredAt());
        assertEquals(1, g.edges().size(), "after a reset only this order is known");
        GraphSnapshot.Edge e = g.edges().get(0);
        assertEquals(from.id(), e.from());
        assertEquals(to.id(), e.to());
        assertEquals(List.of("SN"), e.types());
        assertEquals("read", e.fromMode());
        assertEquals("exclusive", e.toMode());
        assertEquals("io.jlockdep.runtime.EngineTest.read(EngineTest.java:30)", e.heldAt());
        assertTrue(e.thread().startsWith("main/") || e.thread().contains("/"), e.thread());
        assertTrue(e.stack().get(0).contains("Locks.lock"), e.stack().toString());
        assertTrue(e.takenAt().contains("Locks.lock"), e.takenAt());
        assertTrue(e.sources().isEmpty());
    }

    private static GraphSnapshot.Node node(GraphSnapshot g, String name) {
        for (GraphSnapshot.Node n : g.nodes()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no class " + name);
    }

    @Test
    void theFileHasAHeaderThenEachFindingThenTheGraphAtExit() throws Exception {
        Path path = dir.resolve("run.json");
        JsonFile file = JsonFile.open(path.toString());
        Finding f = abba();
        file.accept(f);
        file.accept(Finding.message("jlockdep: a message is not a finding\n"));
        file.writeGraphAtExit();

        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), () -> String.join("\n", lines));
        Map<String, Object> header = parse(lines.get(0));
        assertEquals("header", header.get("type"));
        assertEquals(JsonFile.FORMAT, header.get("format"));
        assertEquals((long) JsonFile.FORMAT_VERSION, header.get("formatVersion"));
        assertEquals(ProcessHandle.current().pid(), header.get("pid"));
        assertEquals(Engine.version(), header.get("jlockdep"));
        assertEquals(System.getProperty("java.vm.name"), at(header, "jvm", "name"));
        assertNotNull(header.get("startTime"));
        assertEquals("finding", parse(lines.get(1)).get("type"));
        Map<String, Object> graph = parse(lines.get(2));
        assertEquals("graph", graph.get("type"));
        assertEquals(ProcessHandle.current().pid(), graph.get("pid"));
        assertEquals(true, graph.get("complete"));
        List<Object> deps = at(graph, "dependencies");
        assertEquals(2, deps.size(), "both orders of the ABBA");
        for (Object d : deps) {
            assertEquals(List.of("EN"), at(d, "types"));
            assertFalse(((List<?>) at(d, "stack")).isEmpty());
        }
    }

    @Test
    void theLiveGraphExportsAsAGraphRecordAndAsDotWithTheCycleInRed() throws Exception {
        abba();
        Map<String, Object> rec = parse(GraphExport.json());
        assertEquals("graph", rec.get("type"));
        assertEquals(ProcessHandle.current().pid(), rec.get("pid"));
        assertEquals(2, ((List<?>) rec.get("dependencies")).size());
        String dot = GraphExport.dot();
        assertTrue(dot.startsWith("digraph jlockdep {\n  // jlockdep lock graph of pid "), dot);
        assertTrue(dot.contains("[label=\"Inode.iLock\\nReentrantLock\""), dot);
        assertEquals(2, dot.split("penwidth=2.5").length - 1, "both orders of the reported cycle in red: " + dot);
    }

    @Test
    void eachRunStartsTheFileAfreshButWritersAtOneTimeAllAppend() throws Exception {
        Path path = dir.resolve("shared.json");
        Files.writeString(path, "{\"type\":\"header\",\"from\":\"an earlier run\"}\n", StandardCharsets.UTF_8);
        JsonFile first = JsonFile.open(path.toString());
        assertTrue(first.ownsFile(), "nobody else writes it: this run starts it afresh");
        JsonFile second = JsonFile.open(path.toString()); // another writer while the first still runs
        assertFalse(second.ownsFile());
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), lines::toString);
        assertFalse(lines.get(0).contains("an earlier run"), lines::toString);
        assertEquals("header", parse(lines.get(1)).get("type"));
    }

    @Test
    void aFileThatCannotBeOpenedIsAnIoError() {
        assertThrows(IOException.class, () -> JsonFile.open(dir.resolve("no/such/dir/x.json").toString()));
    }

    @Test
    void theExitTimeGraphNeverWaitsLongForABusyGraphLock() throws Exception {
        Path path = dir.resolve("busy.json");
        JsonFile file = JsonFile.open(path.toString());
        whileGraphLockHeld(() -> file.writeGraphAtExit(200));
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), "only the header: " + lines);
        assertEquals(1, findings.size());
        assertTrue(findings.get(0).text().contains("the lock graph was still busy after 200 ms at exit; " + path
                + " has no graph record"), findings.get(0).text());

        file.writeGraphAtExit(200);
        assertEquals("graph", parse(Files.readAllLines(path, StandardCharsets.UTF_8).get(1)).get("type"),
                "written once the lock is free");
    }

    /** Runs {@code action} while another thread holds the graph lock. */
    private static void whileGraphLockHeld(Runnable action) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (GraphLockAccess.graphLock()) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        held.await();
        try {
            action.run();
        } finally {
            release.countDown();
            holder.join();
        }
    }
}
