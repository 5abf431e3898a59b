package io.jlockdep.it.apps;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives the program into the errors a hook must survive: stack overflows while entering monitors, running out of
 * memory while taking locks. Each is caught by the program, which then takes two locks in both orders: jlockdep must
 * still be checking, and must not have said anything of its own. The argument picks the error.
 */
public final class HostStress {
    static final Object OUTER = new Object();
    static final Object INNER = new Object();

    public static void main(String[] args) {
        switch (args[0]) {
            case "stack-overflow":
                for (int i = 0; i < 20; i++) {
                    try {
                        deeper(new Object(), 0); // one monitor, re-entered at every level
                    } catch (StackOverflowError e) {
                        // the program's own error: expected
                    }
                }
                break;
            case "out-of-memory": {
                for (int round = 0; round < 3; round++) {
                    List<long[]> hog = new ArrayList<>();
                    try {
                        while (true) {
                            synchronized (OUTER) {
                                hog.add(new long[64 * 1024]);
                            }
                        }
                    } catch (OutOfMemoryError e) {
                        hog.clear();
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
        synchronized (OUTER) {
            synchronized (INNER) {
                System.out.println("outer then inner");
            }
        }
        synchronized (INNER) {
            synchronized (OUTER) {
                System.out.println("inner then outer");
            }
        }
        System.out.println("survived " + args[0]);
    }

    private static int deeper(Object lock, int depth) {
        synchronized (lock) {
            return deeper(lock, depth + 1) + 1;
        }
    }
}
