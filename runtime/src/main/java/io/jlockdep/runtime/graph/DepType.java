package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.lockclass.Mode;

/**
 * lockdep's four dependency types, as bits. The first letter describes the held lock (E exclusive, S shared), the
 * second the new one (R recursive reader, N anything else). A path is strong when no -(xR)-> is immediately followed
 * by -(Sx)->; a deadlock is possible exactly when a strong cycle exists.
 */
public final class DepType {
    static final int SR = 1;
    static final int ER = 1 << 1;
    static final int SN = 1 << 2;
    static final int EN = 1 << 3;
    static final int FROM_SHARED = SR | SN;
    static final int TO_NON_RECURSIVE = SN | EN;

    private DepType() {
    }

    /** The four types in the order their names are listed: strongest first. */
    private static final int[] ALL = {EN, ER, SN, SR};
    private static final String[] NAMES = {"EN", "ER", "SN", "SR"};

    /** The names of the types set in {@code types}, e.g. {@code [EN, SR]}. */
    static java.util.List<String> names(int types) {
        java.util.List<String> names = new java.util.ArrayList<>(4);
        for (int i = 0; i < ALL.length; i++) {
            if ((types & ALL[i]) != 0) {
                names.add(NAMES[i]);
            }
        }
        return names;
    }

    /** The bit named {@code name} ({@code EN}, {@code ER}, {@code SN} or {@code SR}), or 0 when it names none. */
    static int parse(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return ALL[i];
            }
        }
        return 0;
    }

    /** The bits of {@code types} one by one, strongest first. */
    static int[] bits(int types) {
        int[] out = new int[Integer.bitCount(types & (EN | ER | SN | SR))];
        int n = 0;
        for (int bit : ALL) {
            if ((types & bit) != 0) {
                out[n++] = bit;
            }
        }
        return out;
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
