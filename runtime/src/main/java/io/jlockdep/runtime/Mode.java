package io.jlockdep.runtime;

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

    static boolean isRead(int mode) {
        return mode != EXCLUSIVE;
    }
}
