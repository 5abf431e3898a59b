package io.jlockdep.tools;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.Options;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.Suppressions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The commands of {@code java -jar jlockdep-agent.jar}: {@code merge}, {@code html}, {@code dot}, {@code sarif},
 * {@code baseline}, {@code version} and {@code help}. Exit status: 0 done (for merge: no cycle across the inputs), 1 merge found a
 * cycle, 2 bad arguments, bad input or output that could not be written, each said in one line
 * {@code jlockdep <command>: ...}.
 */
public final class Tools implements ToIntFunction<String[]> {
    static final int OK = 0;
    static final int FOUND = 1;
    static final int BAD_INPUT = 2;
    private static final String OUTPUT = "-o";
    private static final String SUPPRESS = "--suppress";
    private static final String SOURCE_ROOT = "--source-root";

    private final OutputStream out;
    private final OutputStream err;

    Tools(OutputStream out, OutputStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * The commands on the standard output and error descriptors. Public, with {@link #applyAsInt}, for the agent jar's
     * launcher, which loads the tools in a class loader of their own and calls them through that JDK interface.
     */
    public Tools() {
        this(new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
    }

    public static void main(String[] args) {
        System.exit(new Tools().applyAsInt(args));
    }

    /** Runs one command; returns the exit status. */
    @Override
    public int applyAsInt(String[] args) {
        return command(args);
    }

    int command(String[] args) {
        if (args.length == 0) {
            print(err, usage());
            return BAD_INPUT;
        }
        String command = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        switch (command) {
            case "help":
            case "-h":
            case "--help":
                return write(command, null, usage());
            case "version":
            case "--version":
                return write(command, null, "jlockdep " + Engine.version() + "\n");
            case "merge":
                return merge(Arguments.parse(command, rest, SUPPRESS));
            case "html":
            case "dot":
                return view(command, Arguments.parse(command, rest, OUTPUT));
            case "sarif":
                return sarif(Arguments.parse(command, rest, OUTPUT, SUPPRESS, SOURCE_ROOT));
            case "baseline":
                return baseline(Arguments.parse(command, rest, OUTPUT));
            default:
                print(err, "jlockdep: unknown command '" + command + "'; commands are merge, html, dot, sarif, baseline,"
                        + " version and help\n");
                return BAD_INPUT;
        }
    }

    private int merge(Arguments a) {
        ReportData data = load("merge", a);
        Suppressions suppressions = data == null ? null : suppressions("merge", a);
        if (suppressions == null) {
            return BAD_INPUT;
        }
        for (Recording r : data.withoutGraph()) {
            // Without its graph a JVM's orders are unknown, so "no cycle" could not be trusted.
            return fail("jlockdep merge: " + r.file + ": pid " + r.pid + " has no graph record: the JVM did not exit"
                    + " normally (or is still running), so its lock graph was never written");
        }
        printGaps("merge", data);
        StringBuilder sb = new StringBuilder();
        int reported = 0;
        int suppressed = 0;
        for (Finding f : data.crossInputCycles) {
            if (suppressions.reasonFor(f.id()) != null) {
                suppressed++;
            } else {
                sb.append(f.text());
                reported++;
            }
        }
        String jvms = HtmlReport.plural(data.recordings.size(), "JVM");
        sb.append(reported > 0 ? "\n" : "").append("jlockdep merge: ");
        if (reported > 0) {
            sb.append(HtmlReport.plural(reported, "cycle", "cycles")).append(" across ").append(jvms)
                    .append(" that no single JVM saw");
        } else {
            sb.append("no cycle across the ").append(jvms).append(" that a single JVM did not see (")
                    .append(HtmlReport.plural(data.graph.nodes().size(), "lock class", "lock classes")).append(", ")
                    .append(HtmlReport.plural(data.graph.edges().size(), "dependency", "dependencies")).append(')');
        }
        if (suppressed > 0) {
            sb.append("; ").append(suppressed).append(" suppressed");
        }
        int status = write("merge", null, sb.append('\n').toString());
        return status != OK ? status : reported > 0 ? FOUND : OK;
    }

    private int view(String command, Arguments a) {
        ReportData data = load(command, a);
        if (data == null) {
            return BAD_INPUT;
        }
        printGaps(command, data);
        return write(command, a.output, command.equals("html") ? HtmlReport.render(data) : data.dot());
    }

    private int sarif(Arguments a) {
        ReportData data = load("sarif", a);
        Suppressions suppressions = data == null ? null : suppressions("sarif", a);
        if (suppressions == null) {
            return BAD_INPUT;
        }
        printGaps("sarif", data);
        Path root = Paths.get(a.sourceRoot == null ? "." : a.sourceRoot);
        if (!Files.isDirectory(root)) {
            return fail("jlockdep sarif: --source-root " + root + ": no such directory");
        }
        return write("sarif", a.output, new SarifReport(data, suppressions, new SourceFiles(root)).render());
    }

    /**
     * Every finding of the inputs (those of each JVM and the cycles across them), as a suppression file: the baseline
     * that lets a build fail only on findings that are new. With {@code -o}, added to that file.
     */
    private int baseline(Arguments a) {
        ReportData data = load("baseline", a);
        if (data == null) {
            return BAD_INPUT;
        }
        printGaps("baseline", data);
        Map<String, String> entries = new LinkedHashMap<>();
        int withoutId = 0;
        for (ReportData.Shown s : data.findings) {
            if (s.id() == null) {
                withoutId++;
            } else {
                entries.putIfAbsent(s.id(), Suppressions.baselineReason(s.headline()));
            }
        }
        if (withoutId > 0) {
            print(err, "jlockdep baseline: " + HtmlReport.plural(withoutId, "finding has", "findings have")
                    + " no id (written by an older jlockdep) and " + (withoutId == 1 ? "is" : "are") + " left out\n");
        }
        String header = Suppressions.header("Written as a baseline by jlockdep baseline from "
                + HtmlReport.plural(data.recordings.size(), "JVM"));
        if (a.output == null) {
            StringBuilder sb = new StringBuilder(header);
            for (Map.Entry<String, String> e : entries.entrySet()) {
                sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
            }
            return write("baseline", null, sb.toString());
        }
        try {
            int added = Suppressions.addAll(Paths.get(a.output), entries, header);
            return write("baseline", null, "jlockdep baseline: " + a.output + ": "
                    + HtmlReport.plural(added, "finding", "findings") + " added, " + (entries.size() - added)
                    + " listed already\n");
        } catch (Suppressions.BadFileException e) {
            return fail("jlockdep baseline: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return fail("jlockdep baseline: " + a.output + ": cannot write it (" + describe(e) + ")");
        }
    }

    /** The inputs named by the arguments, or null once a bad argument or input has been said in one line. */
    private ReportData load(String command, Arguments a) {
        if (a.problem != null) {
            fail(a.problem);
            return null;
        }
        try {
            return ReportData.load(a.files);
        } catch (BadInputException e) {
            fail("jlockdep " + command + ": " + e.getMessage());
            return null;
        }
    }

    private void printGaps(String command, ReportData data) {
        for (String line : data.gaps()) {
            print(err, "jlockdep " + command + ": " + line + "\n");
        }
    }

    /** The command's own suppression file ({@code --suppress}), none when not given, or null once refused. */
    private Suppressions suppressions(String command, Arguments a) {
        if (a.suppress == null) {
            return Suppressions.none();
        }
        try {
            return Suppressions.read(Paths.get(a.suppress));
        } catch (Suppressions.BadFileException e) {
            fail("jlockdep " + command + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * Writes the command's result to {@code output}, or to standard output when it is null. Any failure (a full
     * disk, a missing directory, a closed pipe) is one line and exit status 2: a result that was not written must not
     * look like success.
     */
    private int write(String command, String output, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (output == null) {
            try {
                out.write(bytes);
                out.flush();
                return OK;
            } catch (IOException e) {
                return fail("jlockdep " + command + ": cannot write to standard output (" + describe(e) + ")");
            }
        }
        try {
            Files.write(Paths.get(output), bytes);
            return OK;
        } catch (IOException | RuntimeException e) {
            return fail("jlockdep " + command + ": " + output + ": cannot write it (" + describe(e) + ")");
        }
    }

    /** What went wrong, in words: {@code no such directory: /x/y} rather than an exception's class name. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            Path missing = Paths.get(((NoSuchFileException) e).getFile()).toAbsolutePath().getParent();
            return "no such directory" + (missing == null ? "" : ": " + missing);
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private int fail(String line) {
        print(err, line + "\n");
        return BAD_INPUT;
    }

    /** The files and the options of a command line. */
    static final class Arguments {
        final List<String> files = new ArrayList<>();
        String output;
        String suppress;
        String sourceRoot;
        String problem;

        static Arguments parse(String command, List<String> args, String... allowed) {
            Arguments a = new Arguments();
            List<String> options = List.of(allowed);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (options.contains(arg)) {
                    if (i + 1 >= args.size()) {
                        a.problem = "jlockdep " + command + ": " + arg + " needs a "
                                + (arg.equals(SOURCE_ROOT) ? "directory" : "file name");
                        return a;
                    }
                    String value = args.get(++i);
                    switch (arg) {
                        case OUTPUT:
                            a.output = value;
                            break;
                        case SUPPRESS:
                            a.suppress = value;
                            break;
                        default:
                            a.sourceRoot = value;
                    }
                } else if (arg.startsWith("-") && arg.length() > 1) {
                    a.problem = "jlockdep " + command + ": unknown option '" + arg + "'; "
                            + (options.isEmpty() ? command + " takes only JSON files"
                            : "its options are " + String.join(", ", options));
                    return a;
                } else {
                    a.files.add(arg);
                }
            }
            if (a.files.isEmpty()) {
                a.problem = "jlockdep " + command + ": no input: give one or more JSON files written with json=<file>";
            }
            return a;
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar jlockdep-agent.jar <command> [arguments]\n\n")
                .append("Commands, on JSON files written by the agent's json=<file> option:\n")
                .append("  merge <file.json>... [--suppress <file>]\n")
                .append("        union the lock graphs of several JVMs and print, as lockdep reports, every cycle\n")
                .append("        that exists only across them; cycles the suppression file lists are counted only\n")
                .append("  html <file.json>... [-o <file>]\n")
                .append("        one self-contained HTML page: the lock graph drawn, cycles in red, every finding\n")
                .append("  dot <file.json>... [-o <file>]\n")
                .append("        the lock graph for Graphviz (cycles in red)\n")
                .append("  sarif <file.json>... [-o <file>] [--suppress <file>] [--source-root <dir>]\n")
                .append("        every finding as a SARIF 2.1.0 result (GitHub code scanning and other CI tools);\n")
                .append("        source files are looked up under the source root (default: this directory)\n")
                .append("  baseline <file.json>... [-o <file>]\n")
                .append("        every finding as a suppression file, so that a build fails only on new ones;\n")
                .append("        with -o, added to that file\n")
                .append("  version\n")
                .append("        the jlockdep version (also --version)\n")
                .append("  help\n")
                .append("        this text\n")
                .append("Without -o, output goes to standard output.\n\n")
                .append("Exit status: 0 done (merge: no cycle across the inputs that is not suppressed), 1 merge\n")
                .append("found a cycle, 2 bad arguments, an input that is missing, truncated or not a jlockdep\n")
                .append("JSON file, or output that could not be written.\n\n")
                .append("As an agent: java -javaagent:jlockdep-agent.jar[=key=value,...] ...\n")
                .append("Agent options:\n").append(Options.help());
        return sb.toString();
    }

    private static void print(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
            stream.flush();
        } catch (IOException e) {
            // standard error is gone: nothing else to say it on
        }
    }
}
