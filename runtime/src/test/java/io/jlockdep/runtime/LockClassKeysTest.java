package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.LockIdentity;
import io.jlockdep.runtime.lockclass.Sites;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lock-class keys that tell layers apart: a field declared in a base class is classed by the runtime type of the
 * object holding it; an object that locks itself by its allocation site; a subclass of a lock type by the site that
 * called its constructor; a lock allocated in a factory by the field it is first stored into. Driven through
 * {@link Hooks} the way the agent's rewritten code calls it.
 */
class LockClassKeysTest {
    private static final String TEST = "io/jlockdep/runtime/LockClassKeysTest";
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

    // A pool layout like commons-pool's: the lock is declared in a base class, two subclasses inherit it.
    static class BasePool {
    }

    static final class ObjectPool extends BasePool {
    }

    static final class KeyedPool extends BasePool {
    }

    /** What the agent inserts for {@code this.closeLock = new Object()} in BasePool's constructor. */
    private static Object closeLockOf(BasePool owner) {
        Object lock = new Object();
        Hooks.allocatedIn(owner, lock, Sites.allocation("java/lang/Object", Locks.site("BasePool", 7),
                TEST + "$BasePool", "closeLock"));
        return lock;
    }

    private static String className(Object lock) {
        return LockClasses.ofMonitor(lock, 0).name();
    }

    @Test
    void aFieldOfABaseClassIsOneClassPerOwnerType() {
        Object outer = closeLockOf(new ObjectPool());
        Object inner = closeLockOf(new KeyedPool());
        Object base = closeLockOf(new BasePool());
        assertEquals("ObjectPool.closeLock", className(outer));
        assertEquals("KeyedPool.closeLock", className(inner));
        assertEquals("BasePool.closeLock", className(base));
        assertEquals(className(outer), className(closeLockOf(new ObjectPool())), "one class per owner type");
    }

    @Test
    void nestedPoolsOfTwoTypesMakeNoCycle() {
        Object outerClose = closeLockOf(new ObjectPool());
        Object connection = Locks.monitor(TEST + "$Connection", "lock");
        Object innerClose = closeLockOf(new KeyedPool());
        // Closing the outer pool closes each connection, which closes its statement pool.
        Locks.enter(outerClose);
        Locks.enter(connection);
        Locks.enter(innerClose);
        Locks.exit(innerClose);
        Locks.exit(connection);
        Locks.exit(outerClose);
        // Closing a connection by itself closes its statement pool too.
        Locks.enter(connection);
        Locks.enter(innerClose);
        Locks.exit(innerClose);
        Locks.exit(connection);
        assertEquals(List.of(), findings);

        // A connection that takes its own (outer) pool's lock does close a cycle.
        ObjectPool pool = new ObjectPool();
        Locks.enter(connection);
        Locks.enter(closeLockOf(pool));
        assertEquals(1, findings.size(), findings::toString);
        String r = findings.get(0).text();
        // The lock line names the pool whose closeLock it is, lined up under the class.
        assertTrue(r.contains(" (ObjectPool.closeLock){monitor}, at "), r);
        assertTrue(r.contains("\n         of ObjectPool " + Finding.instanceId(pool) + "\n"), r);
    }

    @Test
    void objectsThatLockThemselvesAreClassedByAllocationSite() {
        Properties mine = new Properties();
        Hooks.allocated(mine, Sites.allocation("java/util/Properties", Locks.site("mine", 30), null, null));
        Properties other = new Properties();
        Hooks.allocated(other, Sites.allocation("java/util/Properties", Locks.site("other", 31), null, null));
        Properties unseen = new Properties(); // allocated before the agent, like the system properties
        assertEquals("Properties@EngineTest.java:30", className(mine));
        assertEquals("Properties@EngineTest.java:31", className(other));
        assertEquals("monitor of Properties", className(unseen)); // by its type, named by the simple name

        // The program's properties are stored while a timezone lock is held, which takes the system properties:
        // three different locks, no cycle.
        Object timeZone = Locks.monitor(TEST + "$TimeZone", "LOCK");
        Locks.enter(mine);
        Locks.enter(timeZone);
        Locks.enter(unseen);
        Locks.exit(unseen);
        Locks.exit(timeZone);
        Locks.exit(mine);
        assertEquals(List.of(), findings);
    }

    @Test
    void twoHashtablesComparedBothWaysAreStillACycle() {
        Hashtable<?, ?> h1 = new Hashtable<>();
        Hashtable<?, ?> h2 = new Hashtable<>();
        Hooks.allocated(h1, Sites.allocation("java/util/Hashtable", Locks.site("h1", 40), null, null));
        Hooks.allocated(h2, Sites.allocation("java/util/Hashtable", Locks.site("h2", 41), null, null));
        Locks.enter(h1);
        Locks.enter(h2);
        Locks.exit(h2);
        Locks.exit(h1);
        Locks.enter(h2);
        Locks.enter(h1);
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).text().contains("(Hashtable@EngineTest.java:40){monitor}"), findings.get(0).text());
    }

    /** A subclass of ReentrantLock whose constructor reports itself, as the rewritten ReentrantLock's does. */
    static final class MyLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        MyLock() {
            Hooks.constructed(this);
        }
    }

    private static MyLock myLockAtOneSite() {
        return new MyLock();
    }

    @Test
    void aLockSubclassIsClassedByTheSiteThatConstructedIt() {
        MyLock a = myLockAtOneSite();
        MyLock b = myLockAtOneSite();
        MyLock c = new MyLock();
        String siteName = LockClasses.ofLock(LockIdentity.of(a), io.jlockdep.runtime.lockclass.LockType.REENTRANT_LOCK,
                ThreadState.current(), 0).name();
        assertTrue(siteName.startsWith("MyLock@LockClassKeysTest.java:"), siteName);
        Locks.lock(a);
        Locks.unlock(a);
        // A lock and a monitor in both orders, through two instances of one site: one class, a cycle.
        Object monitor = Locks.monitor(TEST + "$Queue", "monitor");
        Locks.lock(a);
        Locks.enter(monitor);
        Locks.exit(monitor);
        Locks.unlock(a);
        Locks.enter(monitor);
        Locks.lock(b);
        assertEquals(1, findings.size(), findings::toString);
        Locks.unlock(b);
        Locks.exit(monitor);
        // Constructed at another site: another class.
        assertNotEquals(siteName, LockClasses.ofLock(LockIdentity.of(c),
                io.jlockdep.runtime.lockclass.LockType.REENTRANT_LOCK, ThreadState.current(), 0).name());
    }

    /** A factory, like a lock factory's newReentrantLock: one allocation site for every lock it makes. */
    private static ReentrantLock newLock() {
        ReentrantLock l = new ReentrantLock();
        Hooks.allocated(l, Sites.allocation("java/util/concurrent/locks/ReentrantLock", Locks.site("newLock", 50),
                null, null));
        return l;
    }

    /** What the agent inserts before {@code this.<field> = <a lock from elsewhere>}. */
    private static ReentrantLock storedIn(Object owner, String field, ReentrantLock lock) {
        Hooks.storedInField(owner, lock, Sites.fieldStore(TEST + "$FourLocks", field, Locks.site("store", 51)));
        return lock;
    }

    static final class FourLocks {
    }

    @Test
    void locksFromOneFactoryStoredIntoFieldsAreClassedByTheirFields() {
        FourLocks owner = new FourLocks();
        ReentrantLock[] locks = {storedIn(owner, "a", newLock()), storedIn(owner, "b", newLock()),
            storedIn(owner, "c", newLock()), storedIn(owner, "d", newLock())};
        Object monitor = Locks.monitor(TEST + "$Graph", "lock");
        // One consistent order, a -> b -> c -> d, with a monitor taken between each step (as a cycle-detecting lock
        // factory does): with one class for the four, that would look like a cycle through the monitor.
        for (ReentrantLock l : locks) {
            Locks.lock(l);
            Locks.enter(monitor);
            Locks.exit(monitor);
        }
        for (int i = locks.length - 1; i >= 0; i--) {
            Locks.unlock(locks[i]);
        }
        assertEquals(List.of(), findings);
        assertEquals("FourLocks.a", LockClasses.ofLock(LockIdentity.of(locks[0]),
                io.jlockdep.runtime.lockclass.LockType.REENTRANT_LOCK, ThreadState.current(), 0).name());
    }

    @Test
    void aLockAlreadyTakenKeepsItsClassWhenStored() {
        ReentrantLock l = newLock();
        Locks.lock(l);
        Locks.unlock(l);
        storedIn(new FourLocks(), "late", l);
        assertEquals("ReentrantLock@EngineTest.java:50", LockClasses.ofLock(LockIdentity.of(l),
                io.jlockdep.runtime.lockclass.LockType.REENTRANT_LOCK, ThreadState.current(), 0).name());
    }

    @Test
    void aLockNeverSeenAllocatedIsClassedByTheFieldItIsTakenThrough() {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        int site = Sites.lockSite(TEST, "take", "LockClassKeysTest.java", 60, TEST + "$Deque", "lock");
        Hooks.site(site);
        Hooks.beforeLock(LockIdentity.of(a), a, Hooks.REENTRANT_LOCK, 0);
        Hooks.afterUnlock(LockIdentity.of(a), 0);
        assertEquals("Deque.lock", LockClasses.ofLock(LockIdentity.of(a),
                io.jlockdep.runtime.lockclass.LockType.REENTRANT_LOCK, ThreadState.current(), 0).name());
        Hooks.site(Sites.lockSite(TEST, "other", "LockClassKeysTest.java", 61, TEST + "$Deque", "lock"));
        Hooks.beforeLock(LockIdentity.of(b), b, Hooks.REENTRANT_LOCK, 0);
        Hooks.afterUnlock(LockIdentity.of(b), 0);
        assertEquals("Deque.lock", LockClasses.ofLock(LockIdentity.of(b),
                io.jlockdep.runtime.lockclass.LockType.REENTRANT_LOCK, ThreadState.current(), 0).name(),
                "one field, one class, whatever site first takes an instance");
    }
}
