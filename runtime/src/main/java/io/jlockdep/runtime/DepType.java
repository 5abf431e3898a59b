package io.jlockdep.runtime;

/**
 * lockdep's four dependency types, as bits. The first letter describes the held lock (E exclusive, S shared), the
 * second the new one (R recursive reader, N anything else). A path is strong when no -(xR)-> is immediately followed
 * by -(Sx)->; a deadlock is possible exactly when a strong cycle exists.
 */
final class DepType {
    static final int SR = 1;
    static final int ER = 1 << 1;
    static final int SN = 1 << 2;
    static final int EN = 1 << 3;
    static final int FROM_SHARED = SR | SN;
    static final int TO_NON_RECURSIVE = SN | EN;

    private DepType() {
    }

    static int of(int prevMode, int nextMode) {
        boolean exclusivePrev = prevMode == Mode.EXCLUSIVE;
        boolean recursiveNext = nextMode == Mode.RECURSIVE_READ;
        if (exclusivePrev) {
            return recursiveNext ? ER : EN;
        }
        return recursiveNext ? SR : SN;
    }
}
