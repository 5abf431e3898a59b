package io.jlockdep.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsEveryKindOfValue() throws Exception {
        Object v = JsonReader.parse(" {\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\udd12\", \"i\":-12, \"big\":123456789012345678901,"
                + " \"d\":1.5e2, \"t\":true, \"f\":false, \"n\":null, \"a\":[1,[],{}], \"o\":{}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "a\"b\\c/d\n\u00e9\ud83d\udd12");
        expected.put("i", -12L);
        expected.put("big", 1.2345678901234568E20);
        expected.put("d", 150.0);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("a", Arrays.asList(1L, List.of(), Map.of()));
        expected.put("o", Map.of());
        assertEquals(expected, v);
        assertEquals(List.of("k", "s", "i"), List.copyOf(((Map<?, ?>) JsonReader.parse("{\"k\":1,\"s\":2,\"i\":3}")).keySet()),
                "members keep their order");
        assertNull(JsonReader.parse("null"));
    }

    @Test
    void refusesWhatIsNotStrictJsonSayingWhatAndWhere() {
        assertError("", "column 1: no JSON value");
        assertError("{\"a\":1", "column 7: expected ',' or '}' but found the end of the text");
        assertError("{\"a\":1,}", "column 8: expected a member name in double quotes but found '}'");
        assertError("{a:1}", "column 2: expected a member name in double quotes but found 'a'");
        assertError("[1,]", "column 4: expected a value but found ']'");
        assertError("[1 2]", "column 4: expected ',' or ']' but found '2'");
        assertError("{\"a\":1,\"a\":2}", "column 8: duplicate member \"a\"");
        assertError("\"tab\there\"", "column 5: unescaped control character U+0009 in a string");
        assertError("\"\\x\"", "column 2: bad escape \\x in a string");
        assertError("\"\\u12zz\"", "column 4: bad \\u escape: expected four hex digits");
        assertError("\"\\u12", "column 4: the text ends inside a \\u escape");
        assertError("\"open", "column 6: the text ends inside a string");
        assertError("01", "column 2: unexpected '1' after the JSON value");
        assertError("-", "column 2: expected a digit but found the end of the text");
        assertError("1.", "column 3: expected a digit after '.' but found the end of the text");
        assertError("1e", "column 3: expected a digit in the exponent but found the end of the text");
        assertError("tru", "column 1: expected a value but found 't'");
        assertError("NaN", "column 1: expected a value but found 'N'");
        assertError("{} {}", "column 4: unexpected '{' after the JSON value");
        assertError("[".repeat(300) + "]".repeat(300), "column 257: nested more than 256 levels deep");
    }

    private static void assertError(String text, String message) {
        JsonReader.SyntaxException e = assertThrows(JsonReader.SyntaxException.class, () -> JsonReader.parse(text));
        assertEquals(message, e.getMessage());
    }
}
