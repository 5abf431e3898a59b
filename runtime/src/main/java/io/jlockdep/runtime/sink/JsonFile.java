package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.graph.GraphSnapshot;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockStat;
import io.jlockdep.runtime.text.LockdepText;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The {@code json=} file: JSON Lines (one UTF-8 JSON object per line, each with a {@code "type"}), described in
 * docs/json-format.md. A header record when the file is opened, a finding record as each finding is reported
 * (written at once, so a JVM that crashes keeps what it found), and the whole lock graph at exit. Each JVM run starts
 * the file afresh; every record carries the JVM's pid, so JVMs that write one file at the same time (a shared name
 * without {@code %p}) can still be told apart: the first truncates it and holds a lock on it while it runs, the others
 * append.
 */
public final class JsonFile implements FindingSink {
    /** The {@code format} of the header record: what tells a jlockdep file from any other JSON. */
    public static final String FORMAT = "jlockdep";
    /** Raised when a reader of the previous version could no longer read the file correctly. */
    public static final int FORMAT_VERSION = 1;
    /** How long the exit-time graph record waits for the graph lock before giving up. */
    static final long GRAPH_TIMEOUT_MILLIS = 5000;
    /** The graph record is written in pieces of about this size, so a large graph never sits whole in memory. */
    private static final int CHUNK = 1 << 16;

    private final String path;
    private final long pid;
    private final FileOutputStream out;
    /** Held for the JVM's life by the JVM that started the file afresh, so another one appends instead. */
    private final FileLock owner;
    private boolean writeFailed;

    private JsonFile(String path, long pid, FileOutputStream out, FileLock owner) {
        this.path = path;
        this.pid = pid;
        this.out = out;
        this.owner = owner;
    }

    /**
     * Opens the file, emptying what an earlier run left in it, and writes the header record. When another JVM is
     * writing it right now (it holds the file's lock), appends instead, so neither loses records.
     */
    public static JsonFile open(String path) throws IOException {
        long pid = ProcessHandle.current().pid();
        FileOutputStream out = new FileOutputStream(path, true); // appending: concurrent writers never overwrite
        FileLock owner;
        try {
            try {
                owner = out.getChannel().tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                owner = null; // this JVM writes the file already
            }
            if (owner != null) {
                out.getChannel().truncate(0);
            }
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
        }
        JsonFile file = new JsonFile(path, pid, out, owner);
        try {
            String main = mainOf(System.getProperty("sun.java.command"));
            out.write(utf8(headerLine(pid, Engine.version(), startTime(), main)));
        } catch (IOException e) {
            out.close();
            throw e;
        }
        return file;
    }

    public String path() {
        return path;
    }

    /** True when this JVM started the file afresh (no other JVM was writing it when it opened it). */
    boolean ownsFile() {
        return owner != null;
    }

    @Override
    public void accept(Finding f) {
        if (f.kind() != Finding.Kind.MESSAGE) {
            write(findingLine(f, pid));
        }
    }

    /**
     * Writes the graph record; the body of the shutdown hook. Never hangs the exit: when the graph lock is not free
     * within {@link #GRAPH_TIMEOUT_MILLIS}, it says so in one line and writes nothing.
     */
    public void writeGraphAtExit() {
        writeGraphAtExit(GRAPH_TIMEOUT_MILLIS);
    }

    void writeGraphAtExit(long timeoutMillis) {
        boolean previous = Engine.enterAgentCode();
        try {
            GraphSnapshot graph = GraphSnapshot.take(timeoutMillis);
            if (graph == null) {
                Engine.message("the lock graph was still busy after " + timeoutMillis + " ms at exit; " + path
                        + " has no graph record");
                return;
            }
            writeGraph(graph);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            Engine.message("cannot write the lock graph to " + path + ": " + e);
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    private synchronized void write(String line) {
        if (writeFailed) {
            return;
        }
        try {
            out.write(utf8(line));
        } catch (IOException e) {
            failed(e);
        }
    }

    /** The graph record, streamed in chunks under the file's lock so no other record lands inside it. */
    synchronized void writeGraph(GraphSnapshot graph) {
        if (writeFailed) {
            return;
        }
        StringBuilder sb = new StringBuilder(CHUNK + 4096);
        try {
            graphRecord(graph, pid, full -> {
                if (full.length() >= CHUNK) {
                    out.write(utf8(full.toString()));
                    full.setLength(0);
                }
            }, sb);
            out.write(utf8(sb.toString()));
        } catch (IOException e) {
            failed(e);
        }
    }

    /** The graph record as one line (with its newline), for callers that want it whole (the JMX bean). */
    public static String graphLine(GraphSnapshot graph, long pid) {
        StringBuilder sb = new StringBuilder(1 << 14);
        try {
            graphRecord(graph, pid, full -> { }, sb);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    /** Where a graph record goes as it grows: {@code pass} may write out what {@code sb} holds and empty it. */
    private interface Chunks {
        void pass(StringBuilder sb) throws IOException;
    }

    /**
     * Writes the graph record into {@code sb}, handing it to {@code chunks} after each class and dependency; the caller
     * takes what is left.
     */
    private static void graphRecord(GraphSnapshot graph, long pid, Chunks chunks, StringBuilder sb)
            throws IOException {
        JsonWriter w = new JsonWriter(sb);
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        w.beginObject().field("type", "graph").field("pid", pid).field("time", now)
                .field("complete", graph.complete());
        w.name("classes").beginArray();
        for (GraphSnapshot.Node n : graph.nodes()) {
            writeNode(w, n);
            chunks.pass(sb);
        }
        w.endArray().name("dependencies").beginArray();
        for (GraphSnapshot.Edge e : graph.edges()) {
            writeEdge(w, e);
            chunks.pass(sb);
        }
        w.endArray();
        List<LockStat.Row> lockStat = LockStat.rows(); // empty unless lockstat=true
        if (!lockStat.isEmpty()) {
            w.name("lockStat").beginArray();
            for (LockStat.Row r : lockStat) {
                writeLockStat(w, r);
            }
            w.endArray();
        }
        w.endObject();
        sb.append('\n');
    }

    private void failed(IOException e) {
        writeFailed = true;
        Engine.message("cannot write to " + path + ", no more JSON records: " + e.getMessage());
    }

    static String headerLine(long pid, String version, Instant start, String main) {
        StringBuilder sb = new StringBuilder(512);
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().field("type", "header").field("format", FORMAT).field("formatVersion", FORMAT_VERSION)
                .field("jlockdep", version).field("pid", pid).field("startTime", start.toString());
        w.name("jvm").beginObject().field("name", System.getProperty("java.vm.name"))
                .field("version", System.getProperty("java.runtime.version", System.getProperty("java.version")))
                .field("vendor", System.getProperty("java.vendor")).endObject();
        w.field("main", main).endObject();
        return sb.append('\n').toString();
    }

    /** One finding as a JSON record (a line, with its newline). */
    public static String findingLine(Finding f, long pid) {
        StringBuilder sb = new StringBuilder(4096);
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().field("type", "finding").field("pid", pid)
                .field("time", Instant.ofEpochMilli(f.timeMillis()).toString())
                .field("kind", f.kind().id()).field("id", f.id()).field("title", f.title())
                .field("headline", LockdepText.headline(f)).field("thread", f.thread())
                .field("suppressed", f.isSuppressed());
        if (f.isSuppressed()) {
            w.field("suppression", f.suppression());
        }
        w.name("locks").beginArray();
        for (Finding.Lock l : f.locks()) {
            writeLock(w, l);
        }
        w.endArray().name("chain").beginArray();
        for (Finding.Link link : f.chain()) {
            w.beginObject().name("from");
            writeLock(w, link.from());
            w.name("to");
            writeLock(w, link.to());
            w.field("thread", link.thread());
            if (link.origin() != null) {
                w.field("origin", link.origin());
            }
            w.field("stack", link.stack()).endObject();
        }
        w.endArray().name("parties").beginArray();
        for (Finding.Party p : f.parties()) {
            w.beginObject().field("thread", p.thread()).name("waitingFor");
            if (p.waitingFor() == null) {
                w.value((String) null);
            } else {
                writeLock(w, p.waitingFor());
            }
            w.name("held").beginArray();
            for (Finding.Held h : p.held()) {
                w.beginObject().name("lock");
                writeLock(w, h.lock());
                w.field("trylock", h.trylock()).endObject();
            }
            w.endArray().field("stack", p.stack()).endObject();
        }
        w.endArray().field("text", f.text()).endObject();
        return sb.append('\n').toString();
    }

    private static void writeLock(JsonWriter w, Finding.Lock l) {
        w.beginObject().field("name", l.name()).field("fullName", l.fullName()).field("key", l.key())
                .field("lockType", l.lockType())
                .field("kind", l.kind()).field("declaredAt", l.declaredAt()).field("acquiredAt", l.acquiredAt())
                .endObject();
    }

    private static void writeNode(JsonWriter w, GraphSnapshot.Node n) {
        w.beginObject().field("id", n.id()).field("key", n.key()).field("name", n.name())
                .field("fullName", LockClass.fullName(n.key(), n.name())).field("lockType", n.lockType()).field("declaredAt", n.declaredAt()).endObject();
    }

    private static void writeEdge(JsonWriter w, GraphSnapshot.Edge e) {
        w.beginObject().field("from", e.from()).field("to", e.to()).field("types", e.types())
                .field("fromMode", e.fromMode()).field("toMode", e.toMode()).field("heldAt", e.heldAt())
                .field("thread", e.thread());
        List<String> sources = e.sources();
        if (!sources.isEmpty()) {
            w.field("sources", sources);
        }
        w.field("stack", e.stack()).endObject();
    }

    private static void writeLockStat(JsonWriter w, LockStat.Row r) {
        w.beginObject().field("key", r.key()).field("name", r.lockClass()).field("kind", r.kind())
                .field("acquisitions", r.acquisitions()).field("contentions", r.contentions())
                .field("waits", r.waits()).field("waitMinNanos", r.waitMinNanos())
                .field("waitMaxNanos", r.waitMaxNanos()).field("waitTotalNanos", r.waitTotalNanos())
                .field("holds", r.holds()).field("holdMinNanos", r.holdMinNanos())
                .field("holdMaxNanos", r.holdMaxNanos()).field("holdTotalNanos", r.holdTotalNanos()).endObject();
    }

    private static Instant startTime() {
        return ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    }

    /** The main class or jar only: the rest of the command line may hold arguments that are nobody's business. */
    static String mainOf(String command) {
        if (command == null || command.isBlank()) {
            return null;
        }
        String trimmed = command.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
