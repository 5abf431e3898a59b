package io.jlockdep.runtime.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlockdep.tools.JsonReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the runtime's JsonWriter writes, the tools' JsonReader reads back (here, where both are on the class path). */
class JsonWriterReadBackTest {
    @Test
    void whatTheWriterWritesTheReaderReadsBack() throws Exception {
        String tricky = "line\nbreak \"quoted\" back\\slash \u0007 \u2028 \ud83d\udd12 lone \udc00";
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb).beginObject().field("s", tricky).field("n", Long.MIN_VALUE).field("list", List.of(tricky, ""))
                .endObject();
        Map<?, ?> back = (Map<?, ?>) JsonReader.parse(sb.toString());
        assertEquals(tricky, back.get("s"));
        assertEquals(Long.MIN_VALUE, back.get("n"));
        assertEquals(List.of(tricky, ""), back.get("list"));
    }
}
