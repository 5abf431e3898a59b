package io.jlockdep.runtime;

import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wait state's sequence lock under Lincheck's model checker: its owner (one thread: the operations of the group
 * "owner") begins and ends acquisitions and gives locks back for waits, while other threads read it. Each write puts
 * one number k in every field, so a reading that mixed two writes shows as two numbers; every reading must be one that
 * a sequential history produces. A reading the owner kept changing is read again, as the watchdog does at its next
 * sample. Bounded for {@code mvn verify}.
 */
@Param(name = "k", gen = IntGen.class, conf = "1:3")
@Tag("lincheck")
public class WaitStateConcurrencyTest {
    private static final Object[] LOCKS = {new Object(), new Object(), new Object(), new Object()};

    private final WaitState state = new WaitState();

    @Operation(nonParallelGroup = "owner")
    public void begin(@Param(name = "k") int k) {
        state.begin(LOCKS[k], null, null, k, k);
    }

    @Operation(nonParallelGroup = "owner")
    public void end() {
        state.end();
    }

    @Operation(nonParallelGroup = "owner")
    public void giveBack(@Param(name = "k") int k) {
        state.giveBack(LOCKS[k]);
    }

    /** What another thread reads: the lock's number, mode and site of the acquisition, the lock given back. */
    @Operation
    public String read() {
        WaitState.Seen seen;
        while ((seen = state.read()) == null) {
            Thread.yield();
        }
        return indexOf(seen.lock) + " " + (seen.lock == null ? "-" : seen.mode + " " + seen.site) + " given back "
                + indexOf(seen.givenBack);
    }

    private static int indexOf(Object lock) {
        for (int i = 0; i < LOCKS.length; i++) {
            if (LOCKS[i] == lock) {
                return i;
            }
        }
        return -1;
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void linearizable() {
        ModelChecking.check(WaitStateConcurrencyTest.class);
    }
}
