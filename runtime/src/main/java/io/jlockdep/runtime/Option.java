package io.jlockdep.runtime;

/**
 * The agent's options, each declared once: its name, the values it takes (and how they are checked), its default and
 * its help line. Everything else is made from this table: parsing and its one-line messages ({@link Options}),
 * {@link Config}'s defaults, the help text of {@code java -jar jlockdep-agent.jar help}, the {@code -javaagent:} string
 * a build plugin writes ({@link Options#javaagent}); a test checks README's table against it. It is plain data in the
 * runtime, which the agent and {@link Config} both see, so the agent itself never has to be on the boot class path.
 */
public enum Option {
    OUT("out", Type.file(), null, null,
            "append reports to this file instead of standard error (%p: the pid)"),
    JSON("json", Type.file(), null, null,
            "also write findings and, at exit, the lock graph to this file as JSON lines, a fresh file per JVM (%p: the"
                    + " pid)"),
    SUPPRESS("suppress", Type.file(), null, null,
            "findings listed in this suppression file (\"<id> <reason>\" lines) are counted but not printed and fail"
                    + " nothing"),
    BASELINE("baseline", Type.file(), null, null,
            "at exit, add every finding of the run to this suppression file (%p: the pid)"),
    MAX_REPORTS("max-reports", Type.number("<n>", 0, Integer.MAX_VALUE), "0", "unlimited",
            "print at most n reports"),
    MAX_CLASSES("max-classes", Type.number("<n>", 1, Integer.MAX_VALUE), "8192", null,
            "lock classes before the validator turns off"),
    MAX_DEPENDENCIES("max-dependencies", Type.number("<n>", 1, Integer.MAX_VALUE), "65536", null,
            "dependencies before the validator turns off"),
    MAX_CHAINS("max-chains", Type.number("<n>", 1, Integer.MAX_VALUE), "65536", null,
            "validated lock chains before the validator turns off"),
    MAX_DEPTH("max-depth", Type.number("<n>", 1, Integer.MAX_VALUE), "48", null,
            "locks one thread may hold at once; past it the thread is not checked until it holds fewer"),
    NESTING("nesting", Type.choice("default", "strict"), "default", null,
            "two locks of one class held together: reported only when two instances are taken in both orders, or at"
                    + " once like lockdep (strict)"),
    MAX_STACKS("max-stacks", Type.number("<n>", 1, Integer.MAX_VALUE), "65536", null,
            "saved stack traces before the validator turns off"),
    EXIT_CODE("exit-code", Type.number("<n>", 1, 255), null, null,
            "a JVM that reported any finding exits with status n (1 to 255) where it would exit with 0"),
    STATS("stats", Type.flag(), "false", null,
            "print lock statistics at exit, like /proc/lockdep_stats"),
    LOCKSTAT("lockstat", Type.flag(), "false", null,
            "count acquisitions, contentions, wait and hold times per lock class, like lockdep's lock_stat; printed at"
                    + " exit"),
    DEBUG("debug", Type.flag(), "false", null,
            "print instrumentation notes and failures"),
    INCLUDE("include", Type.patterns(), "*", "application and JDK classes",
            "classes to instrument, JaCoCo-style: com.x.*:org.y.Z"),
    // The JDK's implementation packages: their locks are the JDK's own business, taken in orders its developers
    // designed; seen by class they would only be noise (RMI's export tables, the JMX agent's start-up). The JDK's API
    // classes (java.*, javax.*: collections, streams, logging...) stay in.
    EXCLUDE("exclude", Type.patterns(), "sun.*:com.sun.*:jdk.*", "the JDK's internals",
            "classes not to instrument, same syntax; empty for none"),
    STARTUP("startup", Type.choice("wait", "background"), "wait", "every lock is checked from main's first line",
            "classes loaded before the agent started are instrumented before main runs (wait) or on a thread of their"
                    + " own while it runs (background); after a dynamic attach, always before the attach returns"),
    CACHE("cache", Type.directory(), null, null,
            "where the agent keeps which of this JDK's classes take monitors, and those classes as it rewrote them, so"
                    + " that later JVMs start faster"
                    + " (default: $XDG_CACHE_HOME/jlockdep, else ~/.cache/jlockdep; off: nowhere)"),
    WATCHDOG("watchdog", Type.number("<ms>", 0, Integer.MAX_VALUE), "0", "off",
            "report threads really stuck in a cycle of lock waits for this long");

    private final String key;
    private final Type type;
    private final String defaultText;
    private final Object defaultValue;
    private final String defaultMeaning;
    private final String help;

    Option(String key, Type type, String defaultText, String defaultMeaning, String help) {
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        // A default the option's own check refuses fails here, when the table is first used (and in its test).
        this.defaultValue = defaultText == null ? null : type.check(key, defaultText);
        this.defaultMeaning = defaultMeaning;
        this.help = help;
    }

    /** The name users write: {@code max-depth}. */
    public String key() {
        return key;
    }

    /** What the value looks like, as the help shows it: {@code <n>}, {@code true|false}. */
    public String valueHint() {
        return type.hint;
    }

    /** The default as users would write it, or null when the option is off unless given. */
    public String defaultText() {
        return defaultText;
    }

    /** The help line's text, the default included: {@code print at most n reports (default: 0, unlimited)}. */
    public String help() {
        if (defaultText == null) {
            return help;
        }
        return help + " (default: " + defaultText + (defaultMeaning == null ? "" : ", " + defaultMeaning) + ")";
    }

    /** The option with this name, or null. */
    public static Option named(String key) {
        for (Option o : values()) {
            if (o.key.equals(key)) {
                return o;
            }
        }
        return null;
    }

    /** The parsed default: an Integer, a Boolean or a String as {@link #check} returns them; null when none. */
    Object defaultValue() {
        return defaultValue;
    }

    /** Checks a value given for this option; returns it parsed, or throws with the one line that says what is wrong. */
    Object check(String value) {
        return type.check(key, value);
    }

    /** The kinds of value an option takes, each with its check and its message. */
    private static final class Type {
        private static final int FILE = 0;
        private static final int NUMBER = 1;
        private static final int FLAG = 2;
        private static final int CHOICE = 3;
        private static final int PATTERNS = 4;

        final int kind;
        final String hint;
        final int min;
        final int max;
        /** For a choice: its two words. */
        final String first;
        final String second;

        private Type(int kind, String hint, int min, int max, String first, String second) {
            this.kind = kind;
            this.hint = hint;
            this.min = min;
            this.max = max;
            this.first = first;
            this.second = second;
        }

        /** A file name, not empty; {@code %p} in it becomes the JVM's pid when the file is opened. */
        static Type file() {
            return new Type(FILE, "<file>", 0, 0, null, null);
        }

        /** A directory, not empty, or {@code off}. */
        static Type directory() {
            return new Type(FILE, "<dir>|off", 0, 0, null, null);
        }

        static Type number(String hint, int min, int max) {
            return new Type(NUMBER, hint, min, max, null, null);
        }

        /** true or false, in any case. */
        static Type flag() {
            return new Type(FLAG, "true|false", 0, 0, null, null);
        }

        /** One of two words, kept as written. */
        static Type choice(String first, String second) {
            return new Type(CHOICE, first + '|' + second, 0, 0, first, second);
        }

        /** Class-name patterns separated by ':' ({@code *} any characters, {@code ?} one); empty for none. */
        static Type patterns() {
            return new Type(PATTERNS, "<patterns>", 0, 0, null, null);
        }

        Object check(String key, String v) {
            switch (kind) {
                case FILE:
                    if (v.isEmpty()) {
                        throw new Options.OptionException("option '" + key + "' needs a value");
                    }
                    return v;
                case NUMBER:
                    return number(key, v);
                case FLAG:
                    if (v.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (v.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    throw bad(key, v, "expected true or false");
                case CHOICE:
                    if (v.equals(first) || v.equals(second)) {
                        return v;
                    }
                    throw bad(key, v, "expected " + first + " or " + second);
                case PATTERNS:
                    String problem = v.isEmpty() ? null : patternProblem(v);
                    if (problem != null) {
                        throw bad(key, v, problem);
                    }
                    return v;
                default:
                    throw new IllegalStateException(key); // every kind has a case
            }
        }

        private Integer number(String key, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw bad(key, v, "expected a whole number "
                    + (max == Integer.MAX_VALUE ? ">= " + min : "from " + min + " to " + max));
        }

        /** Null when the pattern list is valid, else what is wrong with it. */
        private static String patternProblem(String patterns) {
            for (String p : patterns.split(":", -1)) {
                if (p.isEmpty()) {
                    return "an empty pattern (two ':' in a row, or one at an end)";
                }
                for (int i = 0; i < p.length(); i++) {
                    char c = p.charAt(i);
                    if (c != '*' && c != '?' && c != '.' && c != '$' && !Character.isJavaIdentifierPart(c)) {
                        return "'" + p + "' is not a class-name pattern (letters, digits, '.', '$', '*' and '?' only)";
                    }
                }
            }
            return null;
        }

        private static Options.OptionException bad(String key, String v, String expected) {
            return new Options.OptionException("bad value '" + v + "' for option '" + key + "': " + expected);
        }
    }
}
