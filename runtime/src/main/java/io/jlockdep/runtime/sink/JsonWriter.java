package io.jlockdep.runtime.sink;

import java.util.List;

/**
 * Writes one JSON value into a StringBuilder, compactly (no whitespace), so a JSON Lines record is one line. Commas
 * are placed by the writer; callers only open, name and close. Internal: public for the tools' SARIF output.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder sb;
    /** A value was just completed at this nesting level, so the next one needs a comma. */
    private boolean afterValue;

    public JsonWriter(StringBuilder sb) {
        this.sb = sb;
    }

    public JsonWriter beginObject() {
        separate();
        sb.append('{');
        return this;
    }

    public JsonWriter endObject() {
        sb.append('}');
        afterValue = true;
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        sb.append('[');
        return this;
    }

    public JsonWriter endArray() {
        sb.append(']');
        afterValue = true;
        return this;
    }

    /** The name of the next member of the open object. */
    public JsonWriter name(String name) {
        separate();
        quote(sb, name);
        sb.append(':');
        return this;
    }

    /** A string, or null. */
    public JsonWriter value(String s) {
        separate();
        if (s == null) {
            sb.append("null");
        } else {
            quote(sb, s);
        }
        afterValue = true;
        return this;
    }

    public JsonWriter value(long n) {
        separate();
        sb.append(n);
        afterValue = true;
        return this;
    }

    public JsonWriter value(boolean b) {
        separate();
        sb.append(b);
        afterValue = true;
        return this;
    }

    public JsonWriter field(String name, String s) {
        return name(name).value(s);
    }

    public JsonWriter field(String name, long n) {
        return name(name).value(n);
    }

    public JsonWriter field(String name, boolean b) {
        return name(name).value(b);
    }

    /** An array of strings. */
    public JsonWriter field(String name, List<String> strings) {
        name(name).beginArray();
        for (String s : strings) {
            value(s);
        }
        return endArray();
    }

    private void separate() {
        if (afterValue) {
            sb.append(',');
            afterValue = false;
        }
    }

    /**
     * Appends {@code s} as a JSON string. Control characters, quotes, backslashes, the JavaScript line separators and
     * unpaired surrogates are escaped, so the text is valid JSON, valid UTF-8 and one line.
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || isUnpairedSurrogate(s, i)) {
                        sb.append("\\u");
                        for (int shift = 12; shift >= 0; shift -= 4) {
                            sb.append(HEX[(c >> shift) & 0xf]);
                        }
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static boolean isUnpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
