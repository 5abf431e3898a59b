package io.jlockdep.it.apps;

import java.lang.instrument.Instrumentation;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Subclasses of ReentrantLock, as libraries write them (a cycle-detecting lock that overrides {@code lock()}, a pool's
 * interruptible lock kept in a field of its own type). The argument picks the case:
 * <ul>
 *   <li>{@code consistent-order}: four locks made by one factory and stored into four fields, taken in one order with
 *       an index's monitor between the first two. One class for the four would make that a cycle through the monitor;
 *       it is not one;</li>
 *   <li>{@code missed-cycle}: two queues, each with its own subclass lock in a field of the subclass's type, first
 *       taken in different methods; one queue's lock is taken before a monitor, the monitor before the other queue's
 *       lock: a real cycle, as it would be with plain ReentrantLocks;</li>
 *   <li>{@code plain}: the same with plain ReentrantLocks;</li>
 *   <li>{@code early}: the missed cycle with a subclass loaded (and one instance made) before jlockdep started, by
 *       {@link EarlyAgent}.</li>
 * </ul>
 */
public final class LockSubclasses {
    private LockSubclasses() {
    }

    /** Like a cycle-detecting lock: its own bookkeeping (under a lock of its own), then the lock. */
    static final class OrderedLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;
        private static final ReentrantLock BOOKKEEPING = new ReentrantLock();
        final String name;
        int acquisitions;

        OrderedLock(String name) {
            this.name = name;
        }

        @Override
        public void lock() {
            BOOKKEEPING.lock();
            try {
                acquisitions++;
            } finally {
                BOOKKEEPING.unlock();
            }
            super.lock();
        }
    }

    /** One allocation site for every lock it makes. */
    static Lock newLock(String name) {
        return new OrderedLock(name);
    }

    /** Fields of the lock interface, each given a lock from the factory. */
    static final class Resources {
        final Lock a = newLock("a");
        final Lock b = newLock("b");
        final Lock c = newLock("c");
        final Lock d = newLock("d");
        final Object index = new Object();

        void update() {
            a.lock();
            try {
                synchronized (index) {
                    b.lock();
                    try {
                        c.lock();
                        try {
                            d.lock();
                            d.unlock();
                        } finally {
                            c.unlock();
                        }
                    } finally {
                        b.unlock();
                    }
                }
            } finally {
                a.unlock();
            }
        }
    }

    /** Like a pool's interruptible lock. */
    static final class InterruptibleLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        void interruptWaiters() {
            for (Thread t : getQueuedThreads()) {
                t.interrupt();
            }
        }
    }

    /** A subclass whose class is loaded before jlockdep starts (see {@link EarlyAgent}). */
    static final class EarlyLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;
        static EarlyLock madeBeforeTheAgent;
    }

    /** A queue guarded by a lock of its subclass's choosing, taken in several methods. */
    abstract static class GuardedQueue {
        private final ArrayDeque<Object> items = new ArrayDeque<>();

        abstract ReentrantLock lock();

        void offer(Object o) {
            lock().lock();
            try {
                items.add(o);
            } finally {
                lock().unlock();
            }
        }

        Object poll() {
            lock().lock();
            try {
                return items.poll();
            } finally {
                lock().unlock();
            }
        }

        /** Offers, then notes it in a shared registry under the registry's monitor: lock, then monitor. */
        void offerAndRegister(Object o, Object registry) {
            lock().lock();
            try {
                items.add(o);
                synchronized (registry) {
                    registry.notifyAll();
                }
            } finally {
                lock().unlock();
            }
        }
    }

    /** The lock in a field of the subclass's own type, as a pool's deque keeps its interruptible lock. */
    static final class Queue extends GuardedQueue {
        private final InterruptibleLock lock = new InterruptibleLock();

        @Override
        ReentrantLock lock() {
            return lock;
        }
    }

    /** The lock in a field of the base type: a plain ReentrantLock, or an early-loaded subclass's. */
    static final class OtherQueue extends GuardedQueue {
        private final ReentrantLock lock;

        OtherQueue(boolean early) {
            lock = early ? new EarlyLock() : new ReentrantLock();
        }

        @Override
        ReentrantLock lock() {
            return lock;
        }
    }

    public static void main(String[] args) {
        Object registry = new Object();
        switch (args[0]) {
            case "consistent-order": {
                Resources r = new Resources();
                r.update();
                r.update();
                break;
            }
            case "missed-cycle":
                cycle(new Queue(), new Queue(), registry);
                break;
            case "plain":
            case "early": {
                boolean early = args[0].equals("early");
                if (early && EarlyLock.madeBeforeTheAgent == null) {
                    throw new IllegalStateException("EarlyAgent did not run before");
                }
                cycle(new OtherQueue(early), new OtherQueue(early), registry);
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("finished " + args[0]);
    }

    /** One queue's lock, then a monitor; the monitor, then the other queue's lock (two instances of one class). */
    private static void cycle(GuardedQueue first, GuardedQueue second, Object registry) {
        first.offer("x"); // first taken here...
        second.poll(); // ...and the other one here
        first.offerAndRegister("y", registry); // first's lock, then the registry
        synchronized (registry) {
            second.offer("z"); // the registry, then second's lock
        }
    }

    /** An agent run before jlockdep's: loads {@link EarlyLock} and makes one, so both exist before jlockdep starts. */
    public static final class EarlyAgent {
        private EarlyAgent() {
        }

        public static void premain(String args, Instrumentation inst) {
            EarlyLock.madeBeforeTheAgent = new EarlyLock();
        }
    }
}
