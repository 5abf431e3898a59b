package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.Mode;
import java.util.concurrent.locks.StampedLock;

/** What a StampedLock stamp holds. */
final class Stamps {
    static final int NOT_HELD = -1;

    private Stamps() {
    }

    /** The mode a stamp holds, for a release: write stamps are exclusive, anything else a read. */
    static int modeOf(long stamp) {
        return StampedLock.isWriteLockStamp(stamp) ? Mode.EXCLUSIVE : Mode.READ;
    }

    /** The mode a stamp holds, or {@link #NOT_HELD} for an optimistic-read (or invalid) stamp. */
    static int heldMode(long stamp) {
        if (StampedLock.isWriteLockStamp(stamp)) {
            return Mode.EXCLUSIVE;
        }
        return StampedLock.isReadLockStamp(stamp) ? Mode.READ : NOT_HELD;
    }
}
