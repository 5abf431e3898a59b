package io.jlockdep.runtime.lockclass;

import io.jlockdep.runtime.ModelChecking;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The weak identity map under Lincheck's model checker: lock-free lookups racing puts (which lock their segment). One
 * segment of one bucket, so every key shares a chain that puts rebuild and tables grow while readers walk them. Keys
 * stay strongly reachable here (collection is not under test). {@code clear} is left out: it is the reset between
 * cases, made while nothing else runs. Bounded for {@code mvn verify}.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
@Tag("lincheck")
public class WeakIdentityMapConcurrencyTest {
    private static final Object[] KEYS = {new Object(), new Object(), new Object()};

    private final WeakIdentityMap<Integer> map = new WeakIdentityMap<>(1, 1);

    @Operation
    public void put(@Param(name = "key") int key, @Param(name = "value") int value) {
        map.put(KEYS[key], value);
    }

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map.get(KEYS[key]);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void linearizable() {
        ModelChecking.check(WeakIdentityMapConcurrencyTest.class);
    }
}
