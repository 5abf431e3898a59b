package io.jlockdep.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for one value, such as one line of a JSON Lines file. Objects become
 * {@link LinkedHashMap}s, arrays {@link ArrayList}s, numbers {@link Long} (when integral and in range) or
 * {@link Double}, and JSON null Java null. Anything else is refused with a {@link SyntaxException} that says what was
 * expected and at which column.
 */
public final class JsonReader {
    /** Deeper nesting is refused rather than risking the stack on a hostile file. */
    private static final int MAX_DEPTH = 256;

    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    /** A JSON text that is not well formed; the message says what and where (1-based column). */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    public static Object parse(String text) throws SyntaxException {
        JsonReader r = new JsonReader(text);
        r.skipSpace();
        if (r.at >= text.length()) {
            throw r.error("no JSON value");
        }
        Object value = r.value(0);
        r.skipSpace();
        if (r.at < text.length()) {
            throw r.error("unexpected " + r.describeHere() + " after the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws SyntaxException {
        if (at >= text.length()) {
            throw error("the text ends where a value was expected");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a value but found " + describeHere());
        }
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        checkDepth(depth);
        at++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return members;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a member name in double quotes but found " + describeHere());
            }
            int nameAt = at;
            String name = string();
            if (members.containsKey(name)) {
                at = nameAt;
                throw error("duplicate member \"" + name + "\"");
            }
            skipSpace();
            expect(':');
            skipSpace();
            members.put(name, value(depth));
            skipSpace();
            char c = peek();
            if (c == ',') {
                at++;
            } else if (c == '}') {
                at++;
                return members;
            } else {
                throw error("expected ',' or '}' but found " + describeHere());
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        checkDepth(depth);
        at++;
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            at++;
            return items;
        }
        while (true) {
            skipSpace();
            items.add(value(depth));
            skipSpace();
            char c = peek();
            if (c == ',') {
                at++;
            } else if (c == ']') {
                at++;
                return items;
            } else {
                throw error("expected ',' or ']' but found " + describeHere());
            }
        }
    }

    private String string() throws SyntaxException {
        at++;
        StringBuilder sb = null;
        int runStart = at;
        while (true) {
            if (at >= text.length()) {
                throw error("the text ends inside a string");
            }
            char c = text.charAt(at);
            if (c == '"') {
                String run = text.substring(runStart, at);
                at++;
                return sb == null ? run : sb.append(run).toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character U+" + hex4(c) + " in a string");
            }
            if (c != '\\') {
                at++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(text, runStart, at);
            at++;
            if (at >= text.length()) {
                throw error("the text ends inside a string");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    sb.append(unicodeEscape());
                    break;
                default:
                    at -= 2;
                    throw error("bad escape \\" + e + " in a string");
            }
            runStart = at;
        }
    }

    private char unicodeEscape() throws SyntaxException {
        if (at + 4 > text.length()) {
            throw error("the text ends inside a \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(at + i), 16);
            if (d < 0) {
                throw error("bad \\u escape: expected four hex digits");
            }
            v = v * 16 + d;
        }
        at += 4;
        return (char) v;
    }

    private Object number() throws SyntaxException {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("expected a digit but found " + describeHere());
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            at++;
            if (!isDigit(peek())) {
                throw error("expected a digit after '.' but found " + describeHere());
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent but found " + describeHere());
            }
            digits();
        }
        String n = text.substring(start, at);
        if (integral) {
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException tooBig) {
                // falls through to a double
            }
        }
        return Double.parseDouble(n);
    }

    private void digits() {
        while (isDigit(peek())) {
            at++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) throws SyntaxException {
        if (!text.startsWith(word, at)) {
            throw error("expected a value but found " + describeHere());
        }
        at += word.length();
        return value;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("expected '" + c + "' but found " + describeHere());
        }
        at++;
    }

    private void checkDepth(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private String describeHere() {
        if (at >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(at);
        return c < 0x20 || c > 0x7e ? "U+" + hex4(c) : "'" + c + "'";
    }

    private static String hex4(char c) {
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return "0000".substring(h.length()) + h;
    }

    private SyntaxException error(String what) {
        return new SyntaxException("column " + (at + 1) + ": " + what);
    }
}
