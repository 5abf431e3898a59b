package io.jlockdep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** Without the agent every call of the api is a no-op: user code runs as it would without jlockdep. */
class NoAgentTest {
    @Test
    void thisIsTheApisCopy() {
        String location = Lockdep.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(location.contains("/api/target/classes"), location);
    }

    @Test
    void nothingIsCheckedOrFound() {
        assertFalse(Lockdep.isActive());
        assertFalse(Lockdep.isAttached());
        assertEquals(0, Lockdep.findingCount());
        assertEquals(0, Lockdep.reports(0, 10).size());
    }

    @Test
    void annotationsChangeNothing() {
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        Lockdep.setClass(monitor, "name");
        Lockdep.setOrder(lock, Comparator.comparingInt(System::identityHashCode));
        Lockdep.assertHeld(monitor);
        Lockdep.assertNotHeld(monitor);
        try (Lockdep.Off off = Lockdep.off()) {
            Lockdep.lockNested(lock, 1);
            assertTrue(lock.isHeldByCurrentThread(), "lockNested takes the lock");
            lock.unlock();
        }
        Lockdep.on();
    }

    @Test
    void aBadSubclassIsRefusedAsUnderTheAgent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lockdep.nested(8));
        assertEquals("subclass must be 1 to 7, was 8", e.getMessage());
    }
}
