package io.jlockdep.runtime;

/** The lock-class graph as text, for the JMX bean. */
final class GraphExport {
    private GraphExport() {
    }

    static String json() {
        throw new UnsupportedOperationException("graph export arrives with the JSON format");
    }

    static String dot() {
        throw new UnsupportedOperationException("graph export arrives with the JSON format");
    }
}
