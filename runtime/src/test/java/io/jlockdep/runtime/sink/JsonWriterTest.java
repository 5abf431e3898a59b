package io.jlockdep.runtime.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder();
        JsonWriter.quote(sb, s);
        return sb.toString();
    }

    @Test
    void commasArePlacedBetweenMembersAndItemsAtEveryLevel() {
        StringBuilder sb = new StringBuilder();
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().field("a", 1).field("b", "x").name("c").beginArray().value(true).value((String) null)
                .beginObject().endObject().beginArray().endArray().endArray().field("d", List.of("p", "q"))
                .name("e").beginObject().field("f", false).endObject().endObject();
        assertEquals("{\"a\":1,\"b\":\"x\",\"c\":[true,null,{},[]],\"d\":[\"p\",\"q\"],\"e\":{\"f\":false}}", sb.toString());
    }

    @Test
    void stringsAreEscapedSoARecordStaysOneLineOfValidUtf8() {
        assertEquals("\"q\\\"b\\\\s/\"", quoted("q\"b\\s/"));
        assertEquals("\"\\n\\r\\t\\u0000\\u001f\"", quoted("\n\r\t\u0000\u001f"));
        // JavaScript line separators, and surrogates without their pair (which UTF-8 cannot encode)
        assertEquals("\"\\u2028\\u2029\"", quoted("\u2028\u2029"));
        assertEquals("\"a\\ud800b\\udc00\"", quoted("a\ud800b\udc00"));
        // A proper pair and other non-ASCII text stay as they are.
        assertEquals("\"\ud83d\udd12 \u00e9\u4e2d\"", quoted("\ud83d\udd12 \u00e9\u4e2d"));
    }
}
