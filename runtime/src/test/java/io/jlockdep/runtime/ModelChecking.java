package io.jlockdep.runtime;

import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;

/** The one bound for the Lincheck tests (tagged {@code lincheck}, run in a surefire execution of their own). */
public final class ModelChecking {
    private ModelChecking() {
    }

    /**
     * Checks that every interleaving Lincheck's model checker tries of {@code test}'s operations is linearizable: 12
     * scenarios of 3 threads with 3 operations each, 300 interleavings per scenario, which keeps each test class
     * to about 5 to 15 s on two busy cores (Lincheck's own start-up is most of it).
     */
    public static void check(Class<?> test) {
        LinCheckerKt.check(new ModelCheckingOptions()
                .iterations(12).invocationsPerIteration(300).threads(3).actorsPerThread(3), test);
    }
}
