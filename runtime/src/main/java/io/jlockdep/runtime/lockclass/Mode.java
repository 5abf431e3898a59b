package io.jlockdep.runtime.lockclass;

/**
 * Acquisition modes, numbered as lockdep's {@code held_lock.read}: 0 exclusive (writer), 1 shared reader that a
 * queued writer blocks (a {@code ReentrantReadWriteLock} read lock), 2 shared reader that only a writer holding the
 * lock blocks (recursive read).
 */
public final class Mode {
    public static final int EXCLUSIVE = 0;
    public static final int READ = 1;
    public static final int RECURSIVE_READ = 2;

    private Mode() {
    }

    /** The mode's name in JSON files: {@code exclusive}, {@code read} or {@code recursive-read}. */
    public static String name(int mode) {
        switch (mode) {
            case EXCLUSIVE:
                return "exclusive";
            case READ:
                return "read";
            default:
                return "recursive-read";
        }
    }

    /** The mode named {@code name}, or -1 when it names none. */
    public static int parse(String name) {
        switch (name) {
            case "exclusive":
                return EXCLUSIVE;
            case "read":
                return READ;
            case "recursive-read":
                return RECURSIVE_READ;
            default:
                return -1;
        }
    }
}
