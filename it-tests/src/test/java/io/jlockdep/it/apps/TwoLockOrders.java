package io.jlockdep.it.apps;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Takes two locks in one order, then (other instances of the same classes) in the other, in one thread: nothing
 * blocks, but the orders can deadlock. Each argument picks a kind of lock: several arguments, several cycles.
 */
public final class TwoLockOrders {
    static final class Account {
        final ReentrantLock balanceLock = new ReentrantLock();
        final ReentrantReadWriteLock historyLock = new ReentrantReadWriteLock();
        final Object auditMonitor = new Object();
    }

    static final class Ledger {
        final ReentrantLock entriesLock = new ReentrantLock();
        final ReentrantReadWriteLock indexLock = new ReentrantReadWriteLock();
        final Object pageMonitor = new Object();
    }

    /** Each argument picks a kind of lock, and runs its two orders. */
    public static void main(String[] args) {
        for (String kind : args) {
            run(kind);
        }
    }

    private static void run(String kind) {
        switch (kind) {
            case "reentrant":
                reentrant(new Account(), new Ledger());
                reentrantReversed(new Account(), new Ledger());
                break;
            case "readwrite":
                readThenWrite(new Account(), new Ledger());
                writeThenRead(new Account(), new Ledger());
                break;
            case "monitor":
                monitors(new Account(), new Ledger());
                monitorsReversed(new Account(), new Ledger());
                break;
            case "consistent":
                for (int i = 0; i < 3; i++) {
                    reentrant(new Account(), new Ledger());
                    monitors(new Account(), new Ledger());
                }
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
        System.out.println("finished " + kind);
    }

    static void reentrant(Account a, Ledger l) {
        a.balanceLock.lock();
        try {
            l.entriesLock.lock();
            l.entriesLock.unlock();
        } finally {
            a.balanceLock.unlock();
        }
    }

    static void reentrantReversed(Account a, Ledger l) {
        l.entriesLock.lock();
        try {
            a.balanceLock.lock();
            a.balanceLock.unlock();
        } finally {
            l.entriesLock.unlock();
        }
    }

    static void readThenWrite(Account a, Ledger l) {
        a.historyLock.readLock().lock();
        try {
            l.indexLock.writeLock().lock();
            l.indexLock.writeLock().unlock();
        } finally {
            a.historyLock.readLock().unlock();
        }
    }

    static void writeThenRead(Account a, Ledger l) {
        l.indexLock.writeLock().lock();
        try {
            a.historyLock.writeLock().lock();
            a.historyLock.writeLock().unlock();
        } finally {
            l.indexLock.writeLock().unlock();
        }
    }

    static void monitors(Account a, Ledger l) {
        synchronized (a.auditMonitor) {
            synchronized (l.pageMonitor) {
                a.hashCode();
            }
        }
    }

    static void monitorsReversed(Account a, Ledger l) {
        synchronized (l.pageMonitor) {
            synchronized (a.auditMonitor) {
                l.hashCode();
            }
        }
    }
}
