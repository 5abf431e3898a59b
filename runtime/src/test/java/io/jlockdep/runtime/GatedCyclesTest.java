package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gated cycles beyond the selftest matrix's: the statistics name the gate, and a cycle is gated only when every way
 * back through the graph is (the matrix covers two instances of a gate, half-gated and later-ungated cycles).
 */
class GatedCyclesTest {
    private final List<Finding> findings = new ArrayList<>();

    @BeforeEach
    void start() {
        Engine.start(Config.defaults(), findings::add);
        Engine.reset();
    }

    @AfterEach
    void stop() {
        Engine.stop();
    }

    private static void inOrder(ReentrantLock... locks) {
        for (ReentrantLock l : locks) {
            Locks.lock(l);
        }
        for (int i = locks.length - 1; i >= 0; i--) {
            Locks.unlock(locks[i]);
        }
    }

    @Test
    void theStatisticsNameTheGate() {
        ReentrantLock gate = Locks.reentrant("t/Fs", "renameLock");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        inOrder(gate, a, b);
        inOrder(gate, b, a);
        assertEquals(List.of(), findings);
        assertEquals(List.of("Dir.a --> Dir.b --> Dir.a, gated by Fs.renameLock"), Engine.stats().gatedCycles());
        assertTrue(Engine.stats().toString().contains(" gated cycles:                         1\n"
                + "   Dir.a --> Dir.b --> Dir.a, gated by Fs.renameLock\n"), Engine.stats().toString());
    }

    @Test
    void aCycleIsGatedOnlyWhenEveryWayBackIs() {
        ReentrantLock gate = Locks.reentrant("t/Fs", "renameLock");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        ReentrantLock c = Locks.reentrant("t/Dir", "c");
        inOrder(gate, a, b); // a -> b, gated
        inOrder(a, c); // a -> c, not gated
        inOrder(c, b); // c -> b, not gated
        // b -> a under the gate: the way back a -> b is gated, a -> c -> b is not.
        inOrder(gate, b, a);
        assertEquals(1, findings.size(), findings::toString);
        assertEquals(List.of(), Engine.stats().gatedCycles());
    }

    @Test
    void anOrderTakenUnderFewerOuterLocksNarrowsItsGates() {
        ReentrantLock outer = Locks.reentrant("t/Fs", "mountLock");
        ReentrantLock gate = Locks.reentrant("t/Fs", "renameLock");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        inOrder(outer, gate, a, b); // a -> b gated by both
        inOrder(gate, a, b); // ... by the rename lock only
        inOrder(gate, b, a);
        assertEquals(List.of(), findings);
        assertEquals(List.of("Dir.a --> Dir.b --> Dir.a, gated by Fs.renameLock"), Engine.stats().gatedCycles());
        inOrder(outer, a, b); // now by neither: the cycle is real
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).text().contains("it is reported now that one of its orders was taken without"
                + " Fs.renameLock."), findings.get(0).text());
    }

    @Test
    void aGateHeldForReadingGatesNothing() {
        java.util.concurrent.locks.ReentrantReadWriteLock gate = Locks.readWrite("t/Fs", "namespace");
        ReentrantLock a = Locks.reentrant("t/Dir", "a");
        ReentrantLock b = Locks.reentrant("t/Dir", "b");
        Locks.read(gate);
        inOrder(a, b);
        Locks.unlockRead(gate);
        Locks.read(gate);
        inOrder(b, a);
        Locks.unlockRead(gate);
        assertEquals(1, findings.size(), findings::toString);
    }
}
