package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.Sites;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two refinements of the lock classes seen on real suites, driven through {@link Hooks} the way the agent's rewritten
 * code calls them: the internal parts of a container (a map's bin nodes) are classed by the container, and a monitor
 * taken while its object is being constructed on the same thread gets no dependency into it.
 */
class PartsAndConstructionTest {
    private static final String TEST = "io/jlockdep/runtime/PartsAndConstructionTest";
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

    /** A map that locks the first node of a bin, like ConcurrentHashMap: nodes and reservation nodes are its parts. */
    static final class BinMap {
        static class Bin {
        }

        static final class ReservedBin extends Bin {
        }
    }

    /** {@code this.<field> = new BinMap()} in {@code owner}'s code, as the agent registers it. */
    private static BinMap mapIn(String owner, String field, int line) {
        BinMap map = new BinMap();
        Hooks.allocated(map, Sites.allocation(TEST + "$BinMap", Locks.site("maps", line), TEST + '$' + owner, field));
        return map;
    }

    /** {@code synchronized (node)} inside a method of {@code map}. */
    private static void lockBin(BinMap map, Object node) {
        Hooks.monitorEnterPart(node, map, Locks.site("putVal", 70));
    }

    @Test
    void binLocksOfTwoMapsAreTwoClassesNamedAfterTheirMaps() {
        BinMap caches = mapIn("Manager", "caches", 60);
        BinMap prepender = mapIn("Concat", "cache", 61);
        Object logLock = Locks.monitor(TEST + "$Handler", "lock");
        // computeIfAbsent on caches: its reservation node is held while the function logs
        Object reservation = new BinMap.ReservedBin();
        lockBin(caches, reservation);
        Locks.enter(logLock);
        Locks.exit(logLock);
        Locks.exit(reservation);
        // the handler, while logging, links a string concatenation, which puts into another map
        Object node = new BinMap.Bin();
        Locks.enter(logLock);
        lockBin(prepender, node);
        Locks.exit(node);
        Locks.exit(logLock);
        assertEquals(List.of(), findings, "two maps, two bin locks: no cycle");

        String bin = "PartsAndConstructionTest$BinMap$Bin";
        assertEquals(bin + " of Manager.caches", LockClasses.ofPart(reservation, caches, 0).name());
        assertEquals(bin + " of Concat.cache", LockClasses.ofPart(node, prepender, 0).name());
        assertEquals(LockClasses.ofPart(new BinMap.Bin(), caches, 0), LockClasses.ofPart(reservation, caches, 0),
                "a reservation node is one of the map's bin locks");
        BinMap unseen = new BinMap(); // allocated before the agent started
        assertEquals(bin + " of any BinMap", LockClasses.ofPart(node, unseen, 0).name());
        assertTrue(LockClasses.ofPart(node, caches, 0).validated(), "a known map's bin lock is validated");
        assertFalse(LockClasses.ofPart(node, unseen, 0).validated(), "the bins of every unseen map are not");
    }

    @Test
    void binLocksOfUnseenMapsMakeNoCycleThroughAnotherLock() {
        // A class loader's map, unseen, holds a bin while its function initialises the JDK's security properties,
        // which fill their own map (unseen too) under the properties' monitor: two maps, one "of any" class.
        Object props = Locks.monitor(TEST + "$Security", "props");
        Object loaderBin = new BinMap.ReservedBin();
        lockBin(new BinMap(), loaderBin);
        Locks.enter(props);
        Object propsBin = new BinMap.Bin();
        lockBin(new BinMap(), propsBin);
        Locks.exit(propsBin);
        Locks.exit(props);
        Locks.exit(loaderBin);
        Locks.enter(props);
        lockBin(new BinMap(), propsBin);
        Locks.exit(propsBin);
        Locks.exit(props);
        assertEquals(List.of(), findings, "bins of unseen maps are tracked, never validated");
    }

    @Test
    void oneMapsBinLockTakenBothWaysWithAnAppLockIsACycle() {
        BinMap caches = mapIn("Manager", "caches", 62);
        Object appLock = Locks.monitor(TEST + "$App", "lock");
        // thread A: holds the app lock, then map.put on a present key locks its bin's node
        Object node = new BinMap.Bin();
        Locks.enter(appLock);
        lockBin(caches, node);
        Locks.exit(node);
        Locks.exit(appLock);
        assertEquals(List.of(), findings);
        // thread B: map.computeIfAbsent holds a reservation node while its function takes the app lock
        Object reservation = new BinMap.ReservedBin();
        lockBin(caches, reservation);
        Locks.enter(appLock);
        assertEquals(1, findings.size(), findings::toString);
        String r = findings.get(0).text();
        assertTrue(r.contains("(PartsAndConstructionTest$BinMap$Bin of Manager.caches){monitor}"), r);
        assertTrue(r.contains("(App.lock){monitor}"), r);
    }

    /** A database created under a registry's class lock, whose constructor calls one of its synchronized methods. */
    static final class Db {
    }

    static final class Registry {
    }

    /** {@code new Db()}: classed by its allocation site, as the agent classes an object whose class locks itself. */
    private static Db newDb(int line) {
        Db db = new Db();
        Hooks.allocated(db, Sites.allocation(TEST + "$Db", Locks.site("getOrCreate", line), null, null));
        return db;
    }

    @Test
    void aMonitorTakenWhileItsObjectIsConstructedGetsNoDependencyIntoIt() {
        Object registry = Registry.class;
        Db db = newDb(80);
        // Registry.getOrCreate (static synchronized) runs new Db(), whose constructor calls synchronized setState
        Locks.enter(registry);
        Hooks.constructing(db);
        Locks.enter(db);
        Locks.exit(db);
        Hooks.constructed(db);
        Locks.exit(registry);
        // a published Db, locked, looks the registry up
        Locks.enter(db);
        Locks.enter(registry);
        Locks.exit(registry);
        Locks.exit(db);
        assertEquals(List.of(), findings, "the Db locked under the registry was not reachable by anyone else yet");

        // The same order on a Db that is no longer being constructed is a real cycle.
        Locks.enter(registry);
        Locks.enter(db);
        assertEquals(1, findings.size(), findings::toString);
        String r = findings.get(0).text();
        assertTrue(r.contains("(Db@EngineTest.java:80){monitor}") && r.contains("Registry.class"), r);
    }

    @Test
    void theOutermostObjectANewThreadConstructsStaysExemptWhileManyMoreAreConstructedInsideIt()
            throws InterruptedException {
        Object registry = Registry.class;
        List<Db> dbs = new ArrayList<>();
        for (int i = 0; i < 9; i++) { // more than a new thread's first entries, and than their first doubling
            dbs.add(newDb(83));
        }
        Thread t = new Thread(() -> {
            Locks.enter(registry);
            for (Db db : dbs) { // each constructor runs inside the previous one
                Hooks.constructing(db);
            }
            Locks.enter(dbs.get(0)); // the outermost Db, still being constructed: no one else can reach it
            Locks.exit(dbs.get(0));
            for (int i = dbs.size() - 1; i >= 0; i--) {
                Hooks.constructed(dbs.get(i));
            }
            Locks.exit(registry);
        }, "builder");
        t.start();
        t.join();
        Locks.enter(dbs.get(0));
        Locks.enter(registry);
        Locks.exit(registry);
        Locks.exit(dbs.get(0));
        assertEquals(List.of(), findings, "the Db locked under the registry was not reachable by anyone else yet");
    }

    @Test
    void anotherObjectOfTheTypeIsNotExemptedWhileOneIsConstructed() {
        Object registry = Registry.class;
        Db published = newDb(81);
        Locks.enter(published);
        Locks.enter(registry);
        Locks.exit(registry);
        Locks.exit(published);
        Db building = newDb(81);
        Hooks.constructing(building);
        Locks.enter(registry);
        Locks.enter(published); // another Db, reachable by all: a real order
        assertEquals(1, findings.size(), findings::toString);
        Locks.exit(published);
        Locks.exit(registry);
        Hooks.constructed(building);
        String r = findings.get(0).text();
        assertTrue(r.contains("(Db@EngineTest.java:81){monitor}") && r.contains("Registry.class"), r);
    }
    /** A JXPath-like class: its initializer fills a static vector and calls a static synchronized method. */
    static final class Factories {
    }

    /** A self-locking object allocated at {@code line}, as the agent classes a Vector by its allocation site. */
    private static Object allocated(String type, int line) {
        Object o = new Object();
        Hooks.allocated(o, Sites.allocation(TEST + "$" + type, Locks.site("init", line), null, null));
        return o;
    }

    /** {@code outer}, then {@code inner} under it, both released. */
    private static void takeNested(Object outer, Object inner) {
        Locks.enter(outer);
        Locks.enter(inner);
        Locks.exit(inner);
        Locks.exit(outer);
    }

    @Test
    void anInitializersClassAndWhatItStoresInItsStaticsAreNoDependencyTargetsWhileItRuns() {
        Object factories = Factories.class;
        Object vector = allocated("Vector", 90);
        // <clinit>: the vector is stored into a static field, then the static synchronized method reads it
        Hooks.initializing(Factories.class);
        Hooks.initializerStored(vector, Factories.class);
        takeNested(factories, vector);
        Hooks.initialized(Factories.class);
        // the constructor: synchronized (vector) { staticSynchronized(); }
        takeNested(vector, factories);
        assertEquals(List.of(), findings, "no other thread could reach the class or the vector during <clinit>");

        // The first order again, once the class is initialized: a real cycle.
        Locks.enter(factories);
        Locks.enter(vector);
        assertEquals(1, findings.size(), findings::toString);
        String r = findings.get(0).text();
        assertTrue(r.contains("(Vector@EngineTest.java:90){monitor}") && r.contains("Factories.class"), r);
    }

    @Test
    void objectsAnInitializerLocksButDoesNotStoreInItsStaticsKeepTheirOrders() {
        Object a = allocated("Table", 91);
        Object b = allocated("Buffer", 92);
        Hooks.initializing(Factories.class);
        Hooks.initializerStored(allocated("Other", 93), Factories.class);
        takeNested(a, b);
        Hooks.initialized(Factories.class);
        Locks.enter(b);
        Locks.enter(a);
        assertEquals(1, findings.size(), findings::toString);
    }

    @Test
    void theEndOfAnInitializerUnmarksItsStoresEvenWhenNewerMarksPushedItsOwnOut() {
        Object vector = allocated("Vector", 94);
        Object other = allocated("Table", 95);
        Hooks.initializing(Factories.class);
        Hooks.initializerStored(vector, Factories.class);
        List<Object> building = new ArrayList<>();
        for (int i = 0; i < 15; i++) { // the constructors of 15 objects run inside it: its class's mark is pushed out
            Object o = new Object();
            building.add(o);
            Hooks.constructing(o);
        }
        for (int i = building.size() - 1; i >= 0; i--) {
            Hooks.constructed(building.get(i));
        }
        Hooks.initialized(Factories.class);
        takeNested(other, vector);
        Locks.enter(vector);
        Locks.enter(other);
        assertEquals(1, findings.size(), "the vector is reachable by all once the initializer ended: " + findings);
    }
}
