package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jlockdep.it.apps.OneLockOrder;
import io.jlockdep.tools.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON files written by real JVMs under the agent (json=), and reading them back. */
final class Recordings {
    private Recordings() {
    }

    /**
     * Runs {@link OneLockOrder} with {@code json=<dir>/<prefix>-%p.json} and returns the file it wrote. One order
     * alone is no cycle: the JVM reports nothing.
     */
    static Path record(Path dir, String prefix, String order) throws IOException, InterruptedException {
        Jvm.Result r = Jvm.withAgent("json=" + dir.resolve(prefix + "-%p.json")).main(OneLockOrder.class, order).run();
        assertEquals(0, r.exitCode, r::toString);
        assertFalse(r.stderr.contains(Reports.CIRCULAR), r::toString);
        return only(dir, prefix + "-*.json");
    }

    /** The one file matching {@code glob} in {@code dir}. */
    static Path only(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            files.forEach(found::add);
        }
        assertEquals(1, found.size(), () -> "files matching " + glob + ": " + found);
        return found.get(0);
    }

    /** The file's records, parsed. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> records(Path file) throws IOException, JsonReader.SyntaxException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add((Map<String, Object>) JsonReader.parse(line));
        }
        return out;
    }

    /** Runs {@code java -jar jlockdep-agent.jar args...}. */
    static Jvm.Result tool(Object... args) throws IOException, InterruptedException {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].toString();
        }
        return Jvm.withoutAgent().jar(Jvm.AGENT, a).run();
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object o, Object... path) {
        Object v = o;
        for (Object p : path) {
            v = p instanceof Integer ? ((List<Object>) v).get((Integer) p) : ((Map<String, Object>) v).get(p);
        }
        return (T) v;
    }
}
