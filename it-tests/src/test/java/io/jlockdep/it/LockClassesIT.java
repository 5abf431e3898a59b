package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.AllocationSites;
import io.jlockdep.it.apps.ConstructionLocks;
import io.jlockdep.it.apps.ContainerParts;
import io.jlockdep.it.apps.InitializerLocks;
import io.jlockdep.it.apps.LockSubclasses;
import io.jlockdep.it.apps.NestedPools;
import io.jlockdep.it.apps.SelfLockingJdkObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock classes that tell layers apart where the code does, on small reproductions of what made false reports on real
 * projects (and of a cycle that was missed): no false report, and the real cycles of the same code still reported.
 * Two synchronized lists and two StringBuffers taken both ways, each allocated at its own place, are in
 * {@link JdkLocksIT}.
 */
class LockClassesIT {

    private static Jvm.Result run(Jvm jvm, Class<?> main, String kind) throws Exception {
        Jvm.Result r = jvm.main(main, kind).run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished " + kind), r::toString);
        // The one line a run that found anything ends with is expected; any other line of jlockdep's own is not.
        assertFalse(r.stderr.replaceAll("(?m)^jlockdep: \\d+ findings? \\(.*\\n", "").contains("jlockdep: "),
                "no message of jlockdep's own expected\n" + r);
        return r;
    }

    /** JDK classes loaded before the agent are rewritten before main (the default), so the JDK's own locks are seen. */
    private static Jvm.Result run(Class<?> main, String kind) throws Exception {
        return run(Jvm.withAgent(null), main, kind);
    }

    @Test
    void nestedPoolsOfOneLibraryAreNotOneLayer() throws Exception {
        // The outer pool's closeLock, a connection, the connection's statement pool's closeLock (the same field of the
        // same base class), and the pooled objects of both pools (one class, two factories): no cycle.
        Jvm.Result r = run(NestedPools.class, "layers");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void aConnectionThatTakesItsOwnPoolsLockIsStillACycle() throws Exception {
        Jvm.Result r = run(NestedPools.class, "real");
        assertEquals(2, r.count(Reports.CIRCULAR), r::toString);
        // Each pool's locks are named after the pool's type, and each lock line says which pool holds it.
        Reports.assertInOrder(r, " is trying to acquire lock:\n", " (ObjectPool.evictionLock){monitor}, at ",
                "\n         of ObjectPool ", "but thread is already holding lock:\n",
                " (Connection@NestedPools.java:", "-> #1 (Pooled@NestedPools.java:");
        Reports.assertInOrder(r, " (ObjectPool.closeLock){monitor}, at BasePool.close(", "\n         of ObjectPool ");
        assertFalse(r.stderr.contains("KeyedPool."), "the statement pools are not part of any cycle\n" + r);
    }

    @Test
    void aProgramsPropertiesAreNotTheSystemProperties() throws Exception {
        // Its own Properties, then TimeZone.class, then the system Properties (allocated before the agent).
        Jvm.Result r = run(SelfLockingJdkObjects.class, "properties");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void twoHashtablesComparedBothWaysAreACycle() throws Exception {
        Jvm.Result r = run(SelfLockingJdkObjects.class, "hashtables");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " (Hashtable@SelfLockingJdkObjects.java:", "){monitor}, at Hashtable.",
                " (Hashtable@SelfLockingJdkObjects.java:", "){monitor}, at Hashtable.equals(");
    }

    @Test
    void fourSubclassLocksFromOneFactoryTakenInOneOrderAreNoCycle() throws Exception {
        // Each is classed by the field it is stored into, not by the factory that made all four.
        Jvm.Result r = run(Jvm.withAgent(null), LockSubclasses.class, "consistent-order");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void aSubclassLockAndAMonitorInBothOrdersAreACycle() throws Exception {
        // Two queues' locks (a subclass, in a field of its own type, first taken in two different methods) are one
        // class: the allocation site in the queue's constructor. The plain-lock version of the same code agrees.
        Jvm.Result r = run(Jvm.withAgent(null), LockSubclasses.class, "missed-cycle");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " (InterruptibleLock@LockSubclasses.java:", "){ReentrantLock}, at GuardedQueue.offer(",
                " (Object locked at GuardedQueue.offerAndRegister(");
        Jvm.Result plain = run(Jvm.withAgent(null), LockSubclasses.class, "plain");
        assertEquals(1, plain.count(Reports.CIRCULAR), plain::toString);
    }

    @Test
    void aSubclassLoadedBeforeTheAgentIsClassedLikeTheOthers(@TempDir Path dir) throws Exception {
        // An agent that runs first loads the subclass and makes one; jlockdep starts after it.
        Path early = dir.resolve("early-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", LockSubclasses.EarlyAgent.class.getName());
        new JarOutputStream(Files.newOutputStream(early), manifest).close();
        Jvm jvm = Jvm.withoutAgent().jvmOption("-javaagent:" + Jvm.AGENT).jvmOption("-javaagent:" + early);
        Jvm.Result r = run(jvm, LockSubclasses.class, "early");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " (OtherQueue.lock){ReentrantLock}, at GuardedQueue.offer(");
    }

    @Test
    void binLocksOfTwoConcurrentHashMapsAreNotOneLock() throws Exception {
        // One map's computeIfAbsent holds a bin while its function takes the log lock; under the log lock, a put into
        // another map locks one of its bins.
        Jvm.Result r = run(ContainerParts.class, "two-maps");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void binLocksOfOneConcurrentHashMapTakenBothWaysAreACycle() throws Exception {
        Jvm.Result r = run(ContainerParts.class, "one-map");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        // The bin lock is named after the map's field, whichever node type was locked.
        Reports.assertInOrder(r, " is trying to acquire lock:\n", " (ConcurrentHashMap$Node of ContainerParts.regions)"
                + "{monitor}, at ConcurrentHashMap.", "but thread is already holding lock:\n",
                " (ContainerParts.logLock){monitor}, at ContainerParts.log(");
    }

    @Test
    void aMonitorTakenByItsOwnConstructorIsNoOrder() throws Exception {
        // The registry's class lock, then the Db being constructed; later a published Db, then the registry.
        Jvm.Result r = run(Jvm.withAgent(null), ConstructionLocks.class, "registry");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void aPublishedObjectLockedUnderTheRegistryIsACycle() throws Exception {
        Jvm.Result r = run(Jvm.withAgent(null), ConstructionLocks.class, "published");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " is trying to acquire lock:\n", " (Db@ConstructionLocks.java:",
                "){monitor}, at Db.setState(", "but thread is already holding lock:\n",
                " (monitor of Registry.class){monitor}, at Registry.reset(");
    }

    /** The line of the source of {@link AllocationSites} that ends with this comment. */
    private static int allocationLine(String comment) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/io/jlockdep/it/apps/AllocationSites.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// " + comment)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line marked " + comment);
    }

    /** A counter of the statistics that {@code stats=true} prints at exit. */
    private static long statistic(Jvm.Result r, String label) {
        Matcher m = Pattern.compile("(?m)^ " + Pattern.quote(label) + " +(\\d+)$").matcher(r.stdout + r.stderr);
        assertTrue(m.find(), label + " in\n" + r);
        return Long.parseLong(m.group(1));
    }

    /** With {@code stats=true}, whose table is jlockdep's own output. */
    private static Jvm.Result runWithStats(Class<?> main, String kind) throws Exception {
        Jvm.Result r = Jvm.withAgent("stats=true").main(main, kind).run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("finished " + kind), r::toString);
        return r;
    }

    @Test
    void objectsThatLockThemselvesAreClassedByTheirAllocationSitesWithoutAStackWalk() throws Exception {
        Jvm.Result r = runWithStats(AllocationSites.class, "both-orders");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        // Each place that opens accounts is a class of its own, named after the line of its new, as the stack walk
        // from the constructor names it.
        String checking = "Account@AllocationSites.java:" + allocationLine("checking");
        String savings = "Account@AllocationSites.java:" + allocationLine("savings");
        Reports.assertInOrder(r, " is trying to acquire lock:\n", " (" + checking + "){monitor}, at Account.deposit(",
                "but thread is already holding lock:\n", " (" + savings + "){monitor}, at Account.transferTo(");
        // Every account and ledger was classed by its allocating code's hint: no walk of the stack.
        long objects = 4L * (AllocationSites.TRANSFERS + 1);
        assertEquals(objects, statistic(r, "constructor site hints:"), r::toString);
        assertEquals(0, statistic(r, "constructor stack walks:"), r::toString);
    }

    @Test
    void accountsOfTwoSitesTakenInOneOrderAreNoCycle() throws Exception {
        Jvm.Result r = runWithStats(AllocationSites.class, "one-order");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
        assertEquals(4L * AllocationSites.TRANSFERS, statistic(r, "constructor site hints:"), r::toString);
    }

    @Test
    void anOrderTakenOnlyInsideAStaticInitializerOnItsOwnStaticsIsNoCycle() throws Exception {
        // Registry.class, then its static vector, inside <clinit> only; later the vector, then Registry.class.
        Jvm.Result r = run(InitializerLocks.class, "initializer");
        assertEquals(0, r.count(Reports.CIRCULAR), r::toString);
    }

    @Test
    void theSameOrdersTakenOnceTheClassIsInitializedAreACycle() throws Exception {
        Jvm.Result r = run(InitializerLocks.class, "outside");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " is trying to acquire lock:\n", " (monitor of LateRegistry.class){monitor}, at ",
                "but thread is already holding lock:\n", " (LateRegistry.FACTORIES){monitor}, at LateRegistry.<init>(");
    }

    @Test
    void anInitializerLockingObjectsThatAreNotItsStaticsStillMakesOrders() throws Exception {
        // Tables.SECOND, then Tables.FIRST (which Loader stored in a static of its own) inside Loader's <clinit>
        // (Tables' own initializer, nested in it, is over); later FIRST, then SECOND.
        Jvm.Result r = run(InitializerLocks.class, "unstored");
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, " is trying to acquire lock:\n", " (Tables.SECOND){monitor}, at ",
                "but thread is already holding lock:\n", " (Tables.FIRST){monitor}, at InitializerLocks.main(",
                "Loader.<clinit>(");
    }
}
