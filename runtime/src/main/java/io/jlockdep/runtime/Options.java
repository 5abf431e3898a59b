package io.jlockdep.runtime;

import java.util.Map;

/**
 * The agent's options as given, checked against {@link Option}'s table: {@code key=value} pairs separated by commas.
 * Anything wrong becomes an {@link OptionException} whose message is one line naming the option (and, for an unknown
 * one, listing the valid ones). What was not given reads as the table's default.
 */
public final class Options {
    private static final Option[] ALL = Option.values();

    /** What was given, by {@link Option#ordinal()}, parsed; null where the default applies. */
    private final Object[] given = new Object[ALL.length];

    private Options() {
    }

    /** Every option at its default. */
    public static Options defaults() {
        return new Options();
    }

    /** The text after {@code -javaagent:jlockdep-agent.jar=} (null or blank for none). */
    public static Options parse(String text) {
        Options o = new Options();
        if (text != null && !text.isBlank()) {
            for (String pair : text.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                o.give(key, eq < 0 ? null : pair.substring(eq + 1).trim());
            }
        }
        return o;
    }

    /**
     * The JVM argument that starts the agent in this jar with these options, in the map's order, checked exactly as
     * the agent checks them (same messages): {@code -javaagent:/path/jlockdep-agent.jar=out=x.txt,max-depth=64}. A
     * null value is an empty one ({@code exclude=}). For build tools that write the test JVM's command line; quoting
     * the result for a shell is theirs to do.
     */
    public static String javaagent(String agentJar, Map<String, String> options) {
        if (agentJar.indexOf('=') >= 0) {
            // The JVM reads everything after the first '=' as the agent's options.
            throw new OptionException("the agent jar's path cannot contain '=': " + agentJar);
        }
        Options checked = new Options();
        StringBuilder sb = new StringBuilder("-javaagent:").append(agentJar);
        char separator = '=';
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = e.getKey().trim();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (value.indexOf(',') >= 0) {
                throw new OptionException("bad value '" + value + "' for option '" + key + "': a value cannot contain a"
                        + " comma, which separates the agent's options");
            }
            checked.give(key, value);
            sb.append(separator).append(key).append('=').append(value);
            separator = ',';
        }
        return sb.toString();
    }

    /** One line per option for usage text: its name, its values, what it does and its default. */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        for (Option o : ALL) {
            sb.append(String.format("  %-28s %s%n", o.key() + '=' + o.valueHint(), o.help()));
        }
        return sb.toString();
    }

    /** Whether the option was given (its default does not count). */
    public boolean isGiven(Option option) {
        return given[option.ordinal()] != null;
    }

    /** A number option's value. */
    public int number(Option option) {
        return (Integer) value(option);
    }

    /** A true|false option's value. */
    public boolean flag(Option option) {
        return (Boolean) value(option);
    }

    /** A choice's or a pattern list's value, as written. */
    public String text(Option option) {
        return (String) value(option);
    }

    /**
     * A file option's name with {@code %p} replaced by this JVM's pid, so forks sharing one command line get a file
     * each; null when not given.
     */
    public String file(Option option) {
        String name = (String) value(option);
        return name == null ? null : name.replace("%p", Long.toString(ProcessHandle.current().pid()));
    }

    private Object value(Option option) {
        Object v = given[option.ordinal()];
        return v != null ? v : option.defaultValue();
    }

    /** Package-private for {@link Config.Builder}: a value the engine's own tests set, already of the right type. */
    void set(Option option, Object value) {
        given[option.ordinal()] = value;
    }

    private void give(String key, String value) {
        Option option = Option.named(key);
        if (option == null) {
            throw new OptionException("unknown option '" + key + "'; valid options are: " + validKeys());
        }
        if (value == null) {
            throw new OptionException("option '" + key + "' needs a value: " + key + "=" + option.valueHint());
        }
        given[option.ordinal()] = option.check(value);
    }

    private static String validKeys() {
        StringBuilder sb = new StringBuilder();
        for (Option o : ALL) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(o.key()).append('=').append(o.valueHint());
        }
        return sb.toString();
    }

    /** A bad option: its message is the whole line shown to the user. */
    public static final class OptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OptionException(String message) {
            super(message);
        }
    }
}
