package io.jlockdep.runtime;

/** One report: its kind (the lockdep-style header) and the full text as printed. */
public final class Finding {
    private final String kind;
    private final String text;

    Finding(String kind, String text) {
        this.kind = kind;
        this.text = text;
    }

    /** The header line, e.g. {@code WARNING: possible circular locking dependency detected}. */
    public String kind() {
        return kind;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
