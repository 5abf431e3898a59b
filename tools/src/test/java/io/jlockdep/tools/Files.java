package io.jlockdep.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON files in the documented format (docs/json-format.md), independently of the runtime's writer, and reads
 * records back for assertions.
 */
public final class Files {
    private Files() {
    }

    static String header(long pid) {
        return "{\"type\":\"header\",\"format\":\"jlockdep\",\"formatVersion\":1,\"jlockdep\":\"0.1.0\",\"pid\":" + pid
                + ",\"startTime\":\"2025-01-02T03:04:05.678Z\",\"jvm\":{\"name\":\"OpenJDK 64-Bit Server VM\","
                + "\"version\":\"17.0.15\",\"vendor\":\"Debian\"},\"main\":\"com.x.Main\"}\n";
    }

    /** A graph record with classes Bank.A, Bank.B, Bank.C (ids 1-3) and the given dependencies, e.g. "1>2". */
    static String graph(long pid, String... orders) {
        StringBuilder sb = new StringBuilder("{\"type\":\"graph\",\"pid\":").append(pid)
                .append(",\"time\":\"2025-01-02T03:04:09Z\",\"complete\":true,\"classes\":[");
        for (int i = 1; i <= 3; i++) {
            char c = (char) ('A' + i - 1);
            sb.append(i > 1 ? "," : "").append("{\"id\":").append(i).append(",\"key\":\"field:com/x/Bank.").append(c)
                    .append("\",\"name\":\"Bank.").append(c).append("\",\"lockType\":\"ReentrantLock\",\"declaredAt\":")
                    .append("\"com.x.Bank.<init>(Bank.java:").append(i).append(")\"}");
        }
        sb.append("],\"dependencies\":[");
        for (int i = 0; i < orders.length; i++) {
            String[] ft = orders[i].split(">");
            sb.append(i > 0 ? "," : "").append("{\"from\":").append(ft[0]).append(",\"to\":").append(ft[1])
                    .append(",\"types\":[\"EN\"],\"fromMode\":\"exclusive\",\"toMode\":\"exclusive\",")
                    .append("\"heldAt\":\"com.x.Bank.move").append(ft[0]).append(ft[1]).append("(Bank.java:30)\",")
                    .append("\"thread\":\"main/1\",\"stack\":[\"java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:322)\",")
                    .append("\"com.x.Bank.move").append(ft[0]).append(ft[1]).append("(Bank.java:31)\",\"com.x.Main.main(Main.java:5)\"]}");
        }
        return sb.append("]}\n").toString();
    }

    /** A finding record of an ABBA between Bank.A and Bank.B, reported live. */
    static String finding(long pid) {
        String a = "{\"name\":\"Bank.A\",\"key\":\"field:com/x/Bank.A\",\"lockType\":\"ReentrantLock\",\"kind\":\"ReentrantLock\","
                + "\"declaredAt\":null,\"acquiredAt\":null}";
        String b = a.replace("Bank.A", "Bank.B");
        String stack = "[\"com.x.Bank.move(Bank.java:40)\"]";
        return "{\"type\":\"finding\",\"pid\":" + pid + ",\"time\":\"2025-01-02T03:04:06Z\",\"kind\":\"circular-dependency\","
                + "\"title\":\"WARNING: possible circular locking dependency detected\",\"thread\":\"main/1\",\"locks\":[" + b
                + "," + a + "],\"chain\":[{\"from\":" + b + ",\"to\":" + a + ",\"thread\":\"main/1\",\"stack\":" + stack
                + "},{\"from\":" + a + ",\"to\":" + b + ",\"thread\":\"main/1\",\"stack\":" + stack + "}],"
                + "\"parties\":[{\"thread\":\"main/1\",\"waitingFor\":" + b + ",\"held\":[{\"lock\":" + a
                + ",\"trylock\":false}],\"stack\":" + stack + "}],\"text\":\"\\n=====\\nWARNING: possible circular locking"
                + " dependency detected <live>\\n\"}\n";
    }

    /** One JSON record (an object), parsed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> record(String json) throws JsonReader.SyntaxException {
        return (Map<String, Object>) JsonReader.parse(json);
    }

    /** The value at a path of member names and array indexes in parsed JSON. */
    @SuppressWarnings("unchecked")
    public static <T> T at(Object json, Object... path) {
        Object v = json;
        for (Object p : path) {
            v = p instanceof Integer ? ((List<Object>) v).get((Integer) p) : ((Map<String, Object>) v).get(p);
        }
        return (T) v;
    }

    static Path write(Path file, String... records) throws IOException {
        java.nio.file.Files.writeString(file, String.join("", records), StandardCharsets.UTF_8);
        return file;
    }
}
