package io.jlockdep.runtime;

import io.jlockdep.runtime.graph.WaitNotify;
import io.jlockdep.runtime.lockclass.LockIdentity;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.runtime.lockclass.Sites;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Drives the engine the way instrumented code does, through {@link Hooks}, without an agent: each helper makes the
 * same hook calls the agent's rewritten bytecode makes. The Java locks themselves are not taken.
 */
public final class Locks {
    private static final String TEST_CLASS = "io/jlockdep/runtime/EngineTest";

    private Locks() {
    }

    public static int site(String method, int line) {
        return Sites.code(TEST_CLASS, method, "EngineTest.java", line);
    }

    public static ReentrantLock reentrant(String owner, String field) {
        ReentrantLock l = new ReentrantLock();
        Hooks.allocated(l, Sites.allocation("java/util/concurrent/locks/ReentrantLock", site("alloc", 1), owner, field));
        return l;
    }

    public static ReentrantReadWriteLock readWrite(String owner, String field) {
        ReentrantReadWriteLock l = new ReentrantReadWriteLock();
        Hooks.allocated(l, Sites.allocation("java/util/concurrent/locks/ReentrantReadWriteLock", site("alloc", 2), owner, field));
        return l;
    }

    public static StampedLock stamped(String owner, String field) {
        StampedLock l = new StampedLock();
        Hooks.allocated(l, Sites.allocation("java/util/concurrent/locks/StampedLock", site("alloc", 3), owner, field));
        return l;
    }

    public static Object monitor(String owner, String field) {
        Object o = new Object();
        Hooks.allocated(o, Sites.allocation("java/lang/Object", site("alloc", 4), owner, field));
        return o;
    }

    public static void lock(ReentrantLock l, int line) {
        Hooks.site(site("lock", line));
        Hooks.beforeLock(sync(l), l, Hooks.REENTRANT_LOCK, Mode.EXCLUSIVE);
    }

    public static void lock(ReentrantLock l) {
        lock(l, 10);
    }

    public static boolean tryLock(ReentrantLock l) {
        Hooks.site(site("tryLock", 20));
        Hooks.afterTryLock(true, sync(l), l, Hooks.REENTRANT_LOCK, Mode.EXCLUSIVE);
        return true;
    }

    public static void unlock(ReentrantLock l) {
        Hooks.afterUnlock(sync(l), Mode.EXCLUSIVE);
    }

    public static void read(ReentrantReadWriteLock l) {
        Hooks.site(site("read", 30));
        Hooks.beforeLock(sync(l), l.readLock(), Hooks.READ_WRITE_LOCK, Mode.READ);
    }

    public static void write(ReentrantReadWriteLock l) {
        Hooks.site(site("write", 31));
        Hooks.beforeLock(sync(l), l.writeLock(), Hooks.READ_WRITE_LOCK, Mode.EXCLUSIVE);
    }

    public static void unlockRead(ReentrantReadWriteLock l) {
        Hooks.afterUnlock(sync(l), Mode.READ);
    }

    public static void unlockWrite(ReentrantReadWriteLock l) {
        Hooks.afterUnlock(sync(l), Mode.EXCLUSIVE);
    }

    /** What the agent's hooks pass for a ReentrantLock or read/write lock: its synchronizer. */
    public static Object sync(Object l) {
        return LockIdentity.of(l);
    }

    public static void enter(Object monitor) {
        Hooks.monitorEnter(monitor, site("enter", 40));
    }

    public static void await(Object monitor) {
        Hooks.beforeWait(monitor, WaitNotify.UNTIMED);
    }

    /** A wait that gives up after {@code millis}, like {@code monitor.wait(millis)}. */
    public static void await(Object monitor, long millis) {
        Hooks.beforeWait(monitor, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis));
    }

    public static void notifyAll(Object monitor) {
        Hooks.beforeNotify(monitor);
    }

    public static void exit(Object monitor) {
        Hooks.monitorExit(monitor);
    }
}
