package io.jlockdep.it.apps;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Two threads that really deadlock: each takes its first lock, waits for the other to do the same, then asks for the
 * other's. The report must come out before they block. The argument picks the kind of lock.
 */
public final class RealDeadlock {
    static final CyclicBarrier BOTH_HOLD_ONE = new CyclicBarrier(2);

    static final class Left {
        final ReentrantLock lock = new ReentrantLock();
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();

        synchronized void callRight(Right r) {
            awaitBoth();
            r.touch();
        }

        synchronized void touch() {
        }
    }

    static final class Right {
        final ReentrantLock lock = new ReentrantLock();
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();

        synchronized void callLeft(Left l) {
            awaitBoth();
            l.touch();
        }

        synchronized void touch() {
        }
    }

    public static void main(String[] args) throws Exception {
        Left left = new Left();
        Right right = new Right();
        Runnable one;
        Runnable two;
        switch (args[0]) {
            case "reentrant":
                one = () -> nested(left.lock, right.lock);
                two = () -> nested(right.lock, left.lock);
                break;
            case "readwrite":
                one = () -> nested(left.rw.writeLock(), right.rw.writeLock());
                two = () -> nested(right.rw.readLock(), left.rw.writeLock());
                break;
            case "syncmethod":
                one = () -> left.callRight(right);
                two = () -> right.callLeft(left);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        Thread t1 = new Thread(one, "worker-one");
        Thread t2 = new Thread(two, "worker-two");
        t1.start();
        t2.start();
        System.out.println("started");
        t1.join();
        t2.join();
        System.out.println("finished (no deadlock this time)");
    }

    static void nested(Lock first, Lock second) {
        first.lock();
        try {
            awaitBoth();
            second.lock();
            second.unlock();
        } finally {
            first.unlock();
        }
    }

    static void awaitBoth() {
        try {
            BOTH_HOLD_ONE.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
