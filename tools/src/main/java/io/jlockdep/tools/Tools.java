package io.jlockdep.tools;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.Options;
import io.jlockdep.runtime.finding.Finding;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands of {@code java -jar jlockdep-agent.jar}: {@code merge}, {@code html}, {@code dot}, {@code version} and
 * {@code help}.
 * Exit status: 0 done (for merge: no cycle across the inputs), 1 merge found a cycle, 2 bad arguments or input, each
 * said in one line {@code jlockdep <command>: ...}.
 */
public final class Tools {
    static final int OK = 0;
    static final int FOUND = 1;
    static final int BAD_INPUT = 2;

    private final OutputStream out;
    private final OutputStream err;

    Tools(OutputStream out, OutputStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command, printing to the standard output and error descriptors; returns the exit status. */
    public static int run(String[] args) {
        return new Tools(new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err))
                .command(args);
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
                print(out, usage());
                return OK;
            case "version":
            case "--version":
                print(out, "jlockdep " + Engine.version() + "\n");
                return OK;
            case "merge":
                return merge(rest);
            case "html":
            case "dot":
                return view(command, rest);
            default:
                print(err, "jlockdep: unknown command '" + command + "'; commands are merge, html, dot, version and"
                        + " help\n");
                return BAD_INPUT;
        }
    }

    private int merge(List<String> args) {
        ReportData data = load("merge", Arguments.parse("merge", args, false));
        if (data == null) {
            return BAD_INPUT;
        }
        for (Recording r : data.withoutGraph()) {
            // Without its graph a JVM's orders are unknown, so "no cycle" could not be trusted.
            return fail("jlockdep merge: " + r.file + ": pid " + r.pid + " has no graph record: the JVM did not exit"
                    + " normally (or is still running), so its lock graph was never written");
        }
        printGaps("merge", data);
        List<Finding> cycles = data.crossInputCycles;
        StringBuilder sb = new StringBuilder();
        for (Finding f : cycles) {
            sb.append(f.text());
        }
        if (!cycles.isEmpty()) {
            sb.append("\njlockdep merge: ").append(HtmlReport.plural(cycles.size(), "cycle", "cycles"))
                    .append(" across ").append(HtmlReport.plural(data.recordings.size(), "JVM"))
                    .append(" that no single JVM saw\n");
        }
        print(out, sb.toString());
        return cycles.isEmpty() ? OK : FOUND;
    }

    private int view(String command, List<String> args) {
        Arguments a = Arguments.parse(command, args, true);
        ReportData data = load(command, a);
        if (data == null) {
            return BAD_INPUT;
        }
        printGaps(command, data);
        String text = command.equals("html") ? HtmlReport.render(data) : data.dot();
        if (a.output == null) {
            print(out, text);
            return OK;
        }
        try {
            Files.write(Paths.get(a.output), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return fail("jlockdep " + command + ": " + a.output + ": cannot write it (" + e + ")");
        }
        return OK;
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

    private int fail(String line) {
        print(err, line + "\n");
        return BAD_INPUT;
    }

    /** The files and the {@code -o} output of a command line. */
    static final class Arguments {
        final List<String> files = new ArrayList<>();
        String output;
        String problem;

        static Arguments parse(String command, List<String> args, boolean outputAllowed) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("-o") && outputAllowed) {
                    if (i + 1 >= args.size()) {
                        a.problem = "jlockdep " + command + ": -o needs a file name";
                        return a;
                    }
                    a.output = args.get(++i);
                } else if (arg.startsWith("-") && arg.length() > 1) {
                    a.problem = "jlockdep " + command + ": unknown option '" + arg + "'"
                            + (outputAllowed ? "; the only option is -o <file>" : "; merge takes only JSON files");
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
                .append("  merge <file.json>...              union the lock graphs of several JVMs and print,\n")
                .append("                                    as lockdep reports, every cycle that exists only\n")
                .append("                                    across them\n")
                .append("  html <file.json>... [-o <file>]   one self-contained HTML page: the lock graph drawn,\n")
                .append("                                    cycles in red, every finding with its stacks\n")
                .append("  dot <file.json>... [-o <file>]    the lock graph for Graphviz (cycles in red)\n")
                .append("  version                           the jlockdep version (also --version)\n")
                .append("  help                              this text\n")
                .append("Without -o, html and dot write to standard output.\n\n")
                .append("Exit status: 0 done (merge: no cycle across the inputs), 1 merge found a cycle,\n")
                .append("2 bad arguments or an input that is missing, truncated or not a jlockdep JSON file.\n\n")
                .append("As an agent: java -javaagent:jlockdep-agent.jar[=key=value,...] ...\n")
                .append("Agent options:\n").append(Options.help());
        return sb.toString();
    }

    private static void print(OutputStream stream, String text) {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
            stream.flush();
        } catch (IOException e) {
            // the stream is closed: nothing else to say it on
        }
    }
}
