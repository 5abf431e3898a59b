package io.jlockdep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's layering, as docs/architecture.md states it: which package may use which. Reads every main source file
 * of this module and of the tools module beside it, and collects the jlockdep packages each names (imports, static
 * imports, qualified names; comments and strings left out). Fails when a package uses one it may not, or when a new
 * package is not in the table.
 */
class PackageDependenciesTest {
    private static final String R = "io.jlockdep.runtime";

    /** Package → the other jlockdep packages it may use. Keep in step with docs/architecture.md. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "io.jlockdep", Set.of(R, R + ".finding", R + ".text"),
            R, Set.of(R + ".lockclass", R + ".graph", R + ".report", R + ".finding", R + ".text", R + ".sink"),
            R + ".lockclass", Set.of(R, R + ".graph"),
            R + ".graph", Set.of(R, R + ".lockclass", R + ".report", R + ".finding"),
            R + ".report", Set.of(R, R + ".lockclass", R + ".graph", R + ".finding", R + ".text"),
            R + ".finding", Set.of(R + ".lockclass"),
            R + ".text", Set.of(R + ".finding", R + ".lockclass"),
            R + ".sink", Set.of(R, R + ".lockclass", R + ".graph", R + ".report", R + ".finding", R + ".text"),
            // The offline tools (module tools) read recordings and files; nothing in the runtime uses them.
            "io.jlockdep.tools", Set.of(R, R + ".lockclass", R + ".graph", R + ".finding", R + ".text", R + ".sink"));

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** A jlockdep package followed by a type name: {@code io.jlockdep.runtime.graph.LockGraph}. */
    private static final Pattern NAMED = Pattern.compile("\\b(io\\.jlockdep(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENTS_AND_STRINGS =
            Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'", Pattern.DOTALL);

    @Test
    void everyPackageUsesOnlyWhatItMay() throws IOException {
        Map<String, Set<String>> used = uses(Path.of("src/main/java"));
        for (Map.Entry<String, Set<String>> e : uses(Path.of("../tools/src/main/java")).entrySet()) {
            used.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).addAll(e.getValue());
        }
        assertTrue(used.keySet().containsAll(List.of(R, R + ".graph", R + ".finding", R + ".text",
                "io.jlockdep.tools")), used.toString());
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : used.entrySet()) {
            Set<String> allowed = ALLOWED.get(e.getKey());
            if (allowed == null) {
                violations.add(e.getKey() + " is not in the table (here and in docs/architecture.md)");
                continue;
            }
            for (String use : e.getValue()) {
                if (!allowed.contains(use)) {
                    violations.add(e.getKey() + " uses " + use);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /** The check itself: a use the table forbids is found, in code but not in a comment or a string. */
    @Test
    void findsUsesInCodeOnly() {
        Set<String> found = new TreeSet<>();
        collect("package io.jlockdep.runtime.text;\nimport io.jlockdep.runtime.finding.Finding;\n"
                + "/** {@link io.jlockdep.runtime.Engine} */ class X { // io.jlockdep.runtime.sink.Output\n"
                + "  String s = \"io.jlockdep.tools.Tools\"; Object o = io.jlockdep.runtime.graph.LockGraph.class; }",
                found, new TreeMap<>());
        assertEquals(Set.of(R + ".finding", R + ".graph"), found);
    }

    private static Map<String, Set<String>> uses(Path sources) throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                collect(Files.readString(f), new TreeSet<>(), uses);
            }
        }
        return uses;
    }

    /** Adds the packages {@code source} uses to {@code found}, and to its own package's entry in {@code uses}. */
    private static void collect(String source, Set<String> found, Map<String, Set<String>> uses) {
        String code = COMMENTS_AND_STRINGS.matcher(source).replaceAll(" ");
        Matcher pkg = PACKAGE.matcher(code);
        assertTrue(pkg.find(), "no package in\n" + source);
        String own = pkg.group(1);
        Matcher m = NAMED.matcher(code.substring(pkg.end()));
        while (m.find()) {
            if (!m.group(1).equals(own)) {
                found.add(m.group(1));
            }
        }
        uses.computeIfAbsent(own, k -> new TreeSet<>()).addAll(found);
    }
}
