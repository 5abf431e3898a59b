package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.LockClasses;
import io.jlockdep.runtime.lockclass.LockIdentity;
import io.jlockdep.runtime.lockclass.LockType;
import io.jlockdep.runtime.finding.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/** The engine side of {@link io.jlockdep.Lockdep}. Not an API: call {@code Lockdep}. */
public final class Annotations {
    private Annotations() {
    }

    public static void setClass(Object lock, String name) {
        boolean previous = Engine.enterAgentCode();
        try {
            LockType type = typeOf(lock);
            LockClass c = LockClasses.register("explicit:" + type.name() + ':' + name, name, type, null);
            if (c != null) {
                LockClasses.assign(lock, c);
            }
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    public static void nested(int subclass) {
        ThreadState.current().pendingSubclass = subclass;
    }

    public static void setOrder(Object lock, Comparator<?> order) {
        boolean previous = Engine.enterAgentCode();
        try {
            setOrderOfClass(lock, order);
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    @SuppressWarnings("unchecked")
    private static void setOrderOfClass(Object lock, Comparator<?> order) {
        LockClass c = classOf(lock);
        if (c == null) {
            return;
        }
        c.order = (Comparator<Object>) order;
        for (LockClass sub : c.subclasses) {
            if (sub != null) {
                sub.order = c.order;
            }
        }
    }

    /** Null when the calling thread holds the lock, else the message of the failed assertion. */
    public static String held(Object lock, boolean expected) {
        boolean previous = Engine.enterAgentCode();
        try {
            return heldByThisThread(lock, expected);
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    private static String heldByThisThread(Object lock, boolean expected) {
        ThreadState ts = ThreadState.current();
        Tracker.repair(ts, null); // an assertion about the records asks what the JVM holds first
        Object identity = LockIdentity.of(lock);
        boolean holds = false;
        for (int i = 0; i < ts.depth; i++) {
            if (ts.held[i].instance == identity) {
                holds = true;
                break;
            }
        }
        if (holds == expected) {
            return null;
        }
        LockClass c = classOf(lock);
        List<String> held = new ArrayList<>();
        for (int i = 0; i < ts.depth; i++) {
            held.add(ts.held[i].lockClass.name());
        }
        return "jlockdep: " + ts.threadLabel() + (expected ? " does not hold " : " holds ")
                + (c == null ? lock.getClass().getName() : c.name()) + " ("
                + Finding.instanceId(identity) + "); locks held: " + held;
    }

    public static void off() {
        ThreadState.current().off++;
    }

    public static void on() {
        ThreadState ts = ThreadState.current();
        if (ts.off > 0) {
            ts.off--;
        }
    }

    private static LockClass classOf(Object lock) {
        LockType type = typeOf(lock);
        if (type == LockType.MONITOR) {
            return LockClasses.ofMonitor(lock, 0);
        }
        return LockClasses.ofLock(LockIdentity.of(lock), type, ThreadState.current(), 0);
    }

    private static LockType typeOf(Object lock) {
        if (lock instanceof ReentrantLock) {
            return LockType.REENTRANT_LOCK;
        }
        if (lock instanceof ReentrantReadWriteLock || lock instanceof ReentrantReadWriteLock.ReadLock
                || lock instanceof ReentrantReadWriteLock.WriteLock) {
            return LockType.READ_WRITE_LOCK;
        }
        if (lock instanceof StampedLock) {
            return LockType.STAMPED_LOCK;
        }
        return LockType.MONITOR;
    }
}
