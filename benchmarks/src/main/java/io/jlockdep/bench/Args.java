package io.jlockdep.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line arguments of the suite's own programs: {@code --name value...}, each name followed by its values. */
public final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    public Args(String[] args) {
        List<String> current = null;
        for (String a : args) {
            if (a.startsWith("--")) {
                current = new ArrayList<>();
                values.put(a, current);
            } else if (current != null) {
                current.add(a);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "': values follow a --name");
            }
        }
    }

    /** All values given after {@code name}; empty when it was not given. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The one value of {@code name}, or {@code fallback}; a required one has a null fallback. */
    public String one(String name, String fallback) {
        List<String> v = all(name);
        if (v.isEmpty()) {
            if (fallback == null) {
                throw new IllegalArgumentException("missing " + name + " <value>");
            }
            return fallback;
        }
        return v.get(0);
    }
}
