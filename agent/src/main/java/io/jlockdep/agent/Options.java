package io.jlockdep.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses and validates the agent's options, {@code key=value} pairs separated by commas, in one place. Anything wrong
 * becomes an {@link OptionException} whose message is one line naming the option and listing the valid ones.
 * Deliberately free of runtime classes: options are checked before anything is put on the boot class path.
 */
final class Options {
    /** Every option, in the order listed to the user; {@link #set} stores each (no lambdas: they cost start-up). */
    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    static {
        define("out", "<file>", "append reports to this file instead of standard error (%p: the pid)");
        define("json", "<file>", "also write findings and, at exit, the lock graph to this file as JSON lines,"
                + " a fresh file per JVM (%p: the pid)");
        define("suppress", "<file>", "findings listed in this suppression file (\"<id> <reason>\" lines) are counted"
                + " but not printed and fail nothing");
        define("baseline", "<file>", "at exit, add every finding of the run to this suppression file (%p: the pid)");
        define("max-reports", "<n>", "print at most n reports (default 0: unlimited)");
        define("max-classes", "<n>", "lock classes before the validator turns off (default 8192)");
        define("max-dependencies", "<n>", "dependencies before the validator turns off (default 65536)");
        define("max-chains", "<n>", "validated lock chains before the validator turns off (default 65536)");
        define("max-depth", "<n>", "locks one thread may hold at once; past it the thread is not checked until it"
                + " holds fewer (default 48)");
        define("nesting", "default|strict", "two locks of one class held together: report only instances taken in"
                + " both orders (default), or at once like lockdep (strict)");
        define("max-stacks", "<n>", "saved stack traces before the validator turns off (default 65536)");
        define("exit-code", "<n>", "a JVM that reported any finding exits with status n (1 to 255) where it would exit"
                + " with 0");
        define("stats", "true|false", "print lock statistics at exit, like /proc/lockdep_stats (default false)");
        define("lockstat", "true|false", "count acquisitions, contentions, wait and hold times per lock class, like"
                + " lockdep's lock_stat; printed at exit (default false)");
        define("debug", "true|false", "print instrumentation notes and failures (default false)");
        define("include", "<patterns>", "classes to instrument, JaCoCo-style: com.x.*:org.y.Z (default *: application"
                + " and JDK classes)");
        define("exclude", "<patterns>", "classes not to instrument, same syntax; empty for none (default "
                + ClassScope.DEFAULT_EXCLUDE + ": the JDK's internals)");
        define("startup", "background|wait", "classes loaded before the agent started are instrumented right after"
                + " start-up on a thread of their own (background, default) or before main runs (wait); after a dynamic"
                + " attach, always before the attach returns");
        define("watchdog", "<ms>", "report threads really stuck in a cycle of lock waits for this long (default 0:"
                + " off)");
    }

    String outFile;
    String jsonFile;
    String suppressFile;
    String baselineFile;
    int maxReports = -1;
    int maxClasses = -1;
    int maxDependencies = -1;
    int maxChains = -1;
    int maxDepth = -1;
    int maxStacks = -1;
    String include;
    String exclude;
    int watchdogMillis;
    boolean startupWait;
    boolean lockStat;
    boolean strictNesting;
    boolean stats;
    boolean debug;
    int exitCode;

    private Options() {
    }

    static Options parse(String text) {
        Options o = new Options();
        if (text != null && !text.isBlank()) {
            for (String pair : text.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                Option option = OPTIONS.get(key);
                if (option == null) {
                    throw new OptionException("unknown option '" + key + "'; valid options are: " + validKeys());
                }
                if (eq < 0) {
                    throw new OptionException("option '" + key + "' needs a value: " + key + "=" + option.valueHint);
                }
                o.set(key, pair.substring(eq + 1).trim());
            }
        }
        return o;
    }

    /** Stores one option's value: the one place each option's value is checked and kept. */
    private void set(String key, String v) {
        switch (key) {
            case "out":
                outFile = withPid(nonEmpty("out", v));
                break;
            case "json":
                jsonFile = withPid(nonEmpty("json", v));
                break;
            case "suppress":
                suppressFile = nonEmpty("suppress", v);
                break;
            case "baseline":
                baselineFile = withPid(nonEmpty("baseline", v));
                break;
            case "max-reports":
                maxReports = number("max-reports", v, 0);
                break;
            case "max-classes":
                maxClasses = number("max-classes", v, 1);
                break;
            case "max-dependencies":
                maxDependencies = number("max-dependencies", v, 1);
                break;
            case "max-chains":
                maxChains = number("max-chains", v, 1);
                break;
            case "max-depth":
                maxDepth = number("max-depth", v, 1);
                break;
            case "nesting":
                strictNesting = choice("nesting", v, "default", "strict");
                break;
            case "max-stacks":
                maxStacks = number("max-stacks", v, 1);
                break;
            case "exit-code":
                exitCode = number("exit-code", v, 1, 255);
                break;
            case "stats":
                stats = bool("stats", v);
                break;
            case "lockstat":
                lockStat = bool("lockstat", v);
                break;
            case "debug":
                debug = bool("debug", v);
                break;
            case "include":
                include = patterns("include", v);
                break;
            case "exclude":
                exclude = patterns("exclude", v);
                break;
            case "startup":
                startupWait = choice("startup", v, "background", "wait");
                break;
            case "watchdog":
                watchdogMillis = number("watchdog", v, 0);
                break;
            default:
                throw new IllegalStateException(key); // every defined key has a case
        }
    }

    static String validKeys() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Option> e : OPTIONS.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(e.getValue().valueHint);
        }
        return sb.toString();
    }

    /** One line per option, for usage text. */
    static String describe() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Option> e : OPTIONS.entrySet()) {
            sb.append(String.format("  %-28s %s%n", e.getKey() + '=' + e.getValue().valueHint, e.getValue().help));
        }
        return sb.toString();
    }

    private static void define(String key, String valueHint, String help) {
        OPTIONS.put(key, new Option(valueHint, help));
    }

    private static String nonEmpty(String key, String v) {
        if (v.isEmpty()) {
            throw new OptionException("option '" + key + "' needs a value");
        }
        return v;
    }

    /** {@code %p} in a file name becomes the JVM's pid, so forks sharing one command line get a file each. */
    static String withPid(String fileName) {
        return fileName.replace("%p", Long.toString(ProcessHandle.current().pid()));
    }

    private static int number(String key, String v, int min) {
        return number(key, v, min, Integer.MAX_VALUE);
    }

    private static int number(String key, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new OptionException("bad value '" + v + "' for option '" + key + "': expected a whole number "
                + (max == Integer.MAX_VALUE ? ">= " + min : "from " + min + " to " + max));
    }

    private static String patterns(String key, String v) {
        String problem = v.isEmpty() ? null : ClassScope.validate(v);
        if (problem != null) {
            throw new OptionException("bad value '" + v + "' for option '" + key + "': " + problem);
        }
        return v;
    }

    /** True for {@code second}, false for {@code first}; anything else is a bad value. */
    private static boolean choice(String key, String v, String first, String second) {
        if (v.equals(second)) {
            return true;
        }
        if (v.equals(first)) {
            return false;
        }
        throw new OptionException("bad value '" + v + "' for option '" + key + "': expected " + first + " or " + second);
    }

    private static boolean bool(String key, String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new OptionException("bad value '" + v + "' for option '" + key + "': expected true or false");
    }

    private static final class Option {
        final String valueHint;
        final String help;

        Option(String valueHint, String help) {
            this.valueHint = valueHint;
            this.help = help;
        }
    }

    /** A bad option: its message is the whole line shown to the user. */
    static final class OptionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OptionException(String message) {
            super(message);
        }
    }
}
