package io.jlockdep.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed, checked access to the members of one parsed JSON object; {@code where} names it in error messages. */
final class Fields {
    private final Map<String, Object> members;
    private final String where;

    Fields(Map<String, Object> members, String where) {
        this.members = members;
        this.where = where;
    }

    /** A required member is missing or of the wrong JSON type. */
    static final class Missing extends Exception {
        private static final long serialVersionUID = 1L;

        Missing(String message) {
            super(message);
        }
    }

    String where() {
        return where;
    }

    Map<String, Object> members() {
        return members;
    }

    String string(String name) throws Missing {
        Object v = required(name);
        if (!(v instanceof String)) {
            throw wrongType(name, "a string");
        }
        return (String) v;
    }

    /** A string, or null when the member is missing or null. */
    String optString(String name) throws Missing {
        Object v = members.get(name);
        if (v != null && !(v instanceof String)) {
            throw wrongType(name, "a string or null");
        }
        return (String) v;
    }

    long integer(String name) throws Missing {
        Object v = required(name);
        if (!(v instanceof Long)) {
            throw wrongType(name, "a whole number");
        }
        return (Long) v;
    }

    boolean bool(String name) throws Missing {
        Object v = required(name);
        if (!(v instanceof Boolean)) {
            throw wrongType(name, "true or false");
        }
        return (Boolean) v;
    }

    /** True or false, or {@code otherwise} when the member is missing (later members of format 1). */
    boolean optBool(String name, boolean otherwise) throws Missing {
        Object v = members.get(name);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Boolean)) {
            throw wrongType(name, "true or false");
        }
        return (Boolean) v;
    }

    Fields object(String name) throws Missing {
        Object v = required(name);
        if (!(v instanceof Map)) {
            throw wrongType(name, "an object");
        }
        return new Fields(cast(v), where + ", \"" + name + "\"");
    }

    /** An array of objects; each is named {@code item n} (1-based) in messages. */
    List<Fields> objects(String name, String item) throws Missing {
        List<Object> items = array(name);
        List<Fields> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object v = items.get(i);
            String at = where + ", " + item + " " + (i + 1);
            if (!(v instanceof Map)) {
                throw new Missing(at + ": must be an object");
            }
            out.add(new Fields(cast(v), at));
        }
        return out;
    }

    List<String> strings(String name) throws Missing {
        List<Object> items = array(name);
        List<String> out = new ArrayList<>(items.size());
        for (Object v : items) {
            if (!(v instanceof String)) {
                throw wrongType(name, "an array of strings");
            }
            out.add((String) v);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Object> array(String name) throws Missing {
        Object v = required(name);
        if (!(v instanceof List)) {
            throw wrongType(name, "an array");
        }
        return (List<Object>) v;
    }

    private Object required(String name) throws Missing {
        Object v = members.get(name);
        if (v == null) {
            throw new Missing(where + ": \"" + name + "\" is " + (members.containsKey(name) ? "null" : "missing"));
        }
        return v;
    }

    private Missing wrongType(String name, String expected) {
        return new Missing(where + ": \"" + name + "\" must be " + expected);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object v) {
        return (Map<String, Object>) v;
    }
}
