package io.jlockdep.tools;

import io.jlockdep.runtime.finding.FindingId;
import io.jlockdep.runtime.sink.JsonFile;
import io.jlockdep.runtime.graph.MergedGraph;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads jlockdep JSON files (see docs/json-format.md) strictly: a file that is missing, not UTF-8, not a jlockdep
 * file, cut off, or has a malformed record is refused with one line naming the file, the line and what is wrong.
 * Several JVMs may have appended to one file: each record belongs to the latest header with its pid. Record types
 * and members this version does not know are ignored, so later versions can add them.
 */
final class RecordingReader {
    /** A header record is a few hundred bytes: a longer first line means this is not a jlockdep file. */
    static final int MAX_HEADER_BYTES = 64 << 10;
    /**
     * The longest record read (a graph record of tens of thousands of dependencies is a few MiB): a longer line is a
     * damaged or foreign file, refused before it can fill the memory.
     */
    static final int MAX_LINE_BYTES = 64 << 20;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final String file;
    private final MergedGraph merged;
    private final Set<String> labels;
    private final List<Recording> recordings = new ArrayList<>();
    private final Map<Long, Recording> byPid = new HashMap<>();
    private int lineNumber;

    private RecordingReader(String file, MergedGraph merged, Set<String> labels) {
        this.file = file;
        this.merged = merged;
        this.labels = labels;
    }

    /** Reads the files in order; their graphs are added to {@code merged} as inputs. */
    static List<Recording> readAll(List<String> files, MergedGraph merged) throws BadInputException {
        List<Recording> all = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (String f : files) {
            all.addAll(new RecordingReader(f, merged, labels).read());
        }
        return all;
    }

    private List<Recording> read() throws BadInputException {
        Path path = Paths.get(file);
        if (Files.isDirectory(path)) {
            throw bad("is a directory, not a jlockdep JSON file");
        }
        // Split on the newline byte, which UTF-8 never uses inside a character, then decode each line strictly.
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        append(line, chunk, start, i - start);
                        record(decode(line), true);
                        line.reset();
                        start = i + 1;
                    }
                }
                append(line, chunk, start, n - start);
            }
            if (line.size() > 0) {
                record(decode(line), false);
            }
        } catch (OutOfMemoryError e) {
            // A record within the cap that this JVM's heap cannot hold (a small -Xmx): its buffers are gone now.
            throw bad("line " + (lineNumber + 1) + " does not fit in this JVM's memory; run the command with a"
                    + " larger -Xmx");
        } catch (NoSuchFileException e) {
            throw bad("no such file");
        } catch (IOException e) {
            throw bad("cannot read it (" + e.getMessage() + ")");
        }
        if (recordings.isEmpty()) {
            throw bad(lineNumber == 0 ? "the file is empty: nothing was ever written to it, or it is not a jlockdep"
                    + " JSON file" : "not a jlockdep JSON file (no header record)");
        }
        return recordings;
    }

    /** Adds to the line being read, refusing a line longer than any record (an endless input ends here). */
    private void append(ByteArrayOutputStream line, byte[] chunk, int from, int length) throws BadInputException {
        boolean first = recordings.isEmpty();
        long limit = first ? MAX_HEADER_BYTES : MAX_LINE_BYTES;
        if ((long) line.size() + length > limit) {
            throw first ? bad("not a jlockdep JSON file (line " + (lineNumber + 1) + " is longer than "
                    + (MAX_HEADER_BYTES >> 10) + " KiB; a header record is a few hundred bytes)")
                    : bad("line " + (lineNumber + 1) + " is longer than " + (MAX_LINE_BYTES >> 20) + " MiB, the"
                    + " longest record this reader takes: the file is damaged or not a jlockdep file");
        }
        line.write(chunk, from, length);
    }

    private String decode(ByteArrayOutputStream line) throws BadInputException {
        try {
            return utf8.decode(ByteBuffer.wrap(line.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw recordings.isEmpty() ? bad("not a jlockdep JSON file (not UTF-8 text)")
                    : bad("line " + (lineNumber + 1) + ": not UTF-8 text");
        }
    }

    private void record(String raw, boolean ended) throws BadInputException {
        lineNumber++;
        String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (text.isBlank()) {
            return;
        }
        boolean first = recordings.isEmpty();
        Object value;
        try {
            value = JsonReader.parse(text);
        } catch (JsonReader.SyntaxException e) {
            if (first) {
                throw bad("not a jlockdep JSON file (line " + lineNumber + " is not a JSON record: " + e.getMessage()
                        + ")");
            }
            if (!ended) {
                throw bad("truncated: the last record (line " + lineNumber + ") is cut off (" + e.getMessage() + ")");
            }
            throw bad("line " + lineNumber + ": not a JSON record (" + e.getMessage() + ")");
        }
        if (!(value instanceof Map)) {
            throw first ? bad("not a jlockdep JSON file (line " + lineNumber + " is not a JSON object)")
                    : bad("line " + lineNumber + ": a record must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> rec = (Map<String, Object>) value;
        Object type = rec.get("type");
        if (first && !("header".equals(type) && JsonFile.FORMAT.equals(rec.get("format")))) {
            throw bad("not a jlockdep JSON file (line " + lineNumber + " is not a jlockdep header record)");
        }
        if (!(type instanceof String)) {
            throw bad("line " + lineNumber + ": a record without a \"type\"");
        }
        try {
            switch ((String) type) {
                case "header":
                    header(new Fields(rec, "header record"));
                    break;
                case "finding":
                    Fields finding = new Fields(rec, "finding record");
                    recordingOf(finding).findings.add(checkedFinding(finding));
                    break;
                case "graph":
                    graph(new Fields(rec, "graph record"));
                    break;
                default:
                    // A record type of a later version: skipped.
            }
        } catch (Fields.Missing | IllegalArgumentException e) {
            throw bad("line " + lineNumber + ": " + e.getMessage());
        }
    }

    private void header(Fields h) throws Fields.Missing, BadInputException {
        if (!JsonFile.FORMAT.equals(h.optString("format"))) {
            throw bad("line " + lineNumber + ": a header record of another format (" + h.optString("format") + ")");
        }
        long version = h.integer("formatVersion");
        if (version > JsonFile.FORMAT_VERSION) {
            throw bad("written by a newer jlockdep (format version " + version + "); this one reads format version "
                    + JsonFile.FORMAT_VERSION);
        }
        if (version < 1) {
            throw bad("line " + lineNumber + ": bad format version " + version);
        }
        Fields jvm = h.object("jvm");
        String jvmText = join(jvm.optString("name"), jvm.optString("version"));
        Recording r = new Recording(file, h.integer("pid"), h.optString("jlockdep"), h.optString("startTime"), jvmText,
                h.optString("main"));
        byPid.put(r.pid, r);
        recordings.add(r);
        if (!labels.add(r.label)) {
            r.label = r.label.substring(0, r.label.length() - 1) + ", started " + r.startTime + ")";
            labels.add(r.label);
        }
    }

    private Recording recordingOf(Fields rec) throws Fields.Missing, BadInputException {
        long pid = rec.integer("pid");
        Recording r = byPid.get(pid);
        if (r == null) {
            throw bad("line " + lineNumber + ": a record of pid " + pid + ", which has no header record before it");
        }
        return r;
    }

    /** Checks the parts of a finding that the tools read; everything else is kept as written. */
    private static Map<String, Object> checkedFinding(Fields f) throws Fields.Missing {
        f.string("kind");
        f.string("title");
        f.string("text");
        String id = f.optString("id");
        if (id != null && !FindingId.isWellFormed(id)) {
            throw new Fields.Missing(f.where() + ": \"id\" is not a finding id: " + id);
        }
        f.optString("headline");
        if (f.optBool("suppressed", false)) {
            f.string("suppression");
        }
        f.optString("thread");
        for (Fields link : f.objects("chain", "chain link")) {
            lock(link.object("from"));
            lock(link.object("to"));
            link.strings("stack");
        }
        for (Fields lock : f.objects("locks", "lock")) {
            lock(lock);
        }
        for (Fields party : f.objects("parties", "party")) {
            party.optString("thread");
            party.strings("stack");
            for (Fields held : party.objects("held", "held lock")) {
                lock(held.object("lock"));
            }
        }
        return f.members();
    }

    private static void lock(Fields lock) throws Fields.Missing {
        lock.string("name");
        lock.string("key");
        lock.optString("kind");
    }

    private void graph(Fields g) throws Fields.Missing, BadInputException {
        Recording r = recordingOf(g);
        if (r.hasGraph()) {
            throw bad("line " + lineNumber + ": a second graph record for pid " + r.pid);
        }
        boolean complete = g.bool("complete");
        MergedGraph.Input input = merged.addInput(r.label);
        if (!complete) {
            input.markIncomplete();
        }
        for (Fields c : g.objects("classes", "class")) {
            try {
                input.addClass(Math.toIntExact(c.integer("id")), c.string("key"), c.string("name"),
                        c.string("lockType"), c.optString("declaredAt"));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(c.where() + ": " + e.getMessage());
            }
        }
        for (Fields d : g.objects("dependencies", "dependency")) {
            try {
                input.addDependency(Math.toIntExact(d.integer("from")), Math.toIntExact(d.integer("to")),
                        d.strings("types"), d.string("fromMode"), d.string("toMode"), d.optString("heldAt"),
                        d.string("thread"), d.strings("stack"));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(d.where() + ": " + e.getMessage());
            }
        }
        r.graph = input;
        r.graphComplete = complete;
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + ' ' + b;
    }

    private BadInputException bad(String what) {
        return new BadInputException(file, what);
    }
}
