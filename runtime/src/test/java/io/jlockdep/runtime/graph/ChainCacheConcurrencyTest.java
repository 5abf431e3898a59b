package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.ModelChecking;
import java.util.concurrent.TimeUnit;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The validated-chain set under Lincheck's model checker: lock-free lookups from any thread, racing inserts and resets
 * that (as under the graph lock) one thread at a time makes. A table of two slots grows on the second insert, so the
 * readers also race the copy into a larger table. Every interleaving found must be linearizable: a reader sees a key
 * once its insert has happened, and never one that was not inserted. Bounded for {@code mvn verify}.
 */
@Param(name = "key", gen = LongGen.class, conf = "0:5")
@Tag("lincheck")
public class ChainCacheConcurrencyTest {
    private final ChainCache cache = new ChainCache(2);

    @Operation(nonParallelGroup = "graph lock")
    public boolean add(@Param(name = "key") long key) {
        return cache.add(key);
    }

    @Operation(nonParallelGroup = "graph lock")
    public void clear() {
        cache.clear();
    }

    @Operation
    public boolean contains(@Param(name = "key") long key) {
        return cache.contains(key);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void linearizable() {
        ModelChecking.check(ChainCacheConcurrencyTest.class);
    }
}
