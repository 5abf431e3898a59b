package io.jlockdep.selftest;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * The real-JVM backend: every step takes or releases a real lock, which the agent's instrumentation reports to the
 * engine. Waits are untimed and return at once: the thread interrupts itself first, and both Object.wait and
 * Condition.await throw InterruptedException before they give the lock up.
 */
public final class RealLocks implements Interpreter.Backend {
    private final Map<Object, Condition> conditions = new IdentityHashMap<>();

    @Override
    public Object create(Kind kind) {
        switch (kind) {
            case MONITOR:
                return new Object();
            case REENTRANT_LOCK: {
                ReentrantLock l = new ReentrantLock();
                conditions.put(l, l.newCondition());
                return l;
            }
            case RW_READ:
            case RW_WRITE: {
                ReentrantReadWriteLock l = new ReentrantReadWriteLock();
                conditions.put(l, l.writeLock().newCondition());
                return l;
            }
            default:
                return new StampedLock();
        }
    }

    @Override
    public void synchronize(Object monitor, Runnable body) {
        synchronized (monitor) {
            body.run();
        }
    }

    @Override
    public long lock(Kind kind, Object lock, int mode, boolean blocks) {
        if (mode == Interpreter.RECURSIVE_READ) {
            throw new UnsupportedOperationException("no Java lock is a recursive reader");
        }
        boolean read = mode == Interpreter.READ;
        if (lock instanceof ReentrantLock) {
            ((ReentrantLock) lock).lock();
        } else if (lock instanceof ReentrantReadWriteLock) {
            ReentrantReadWriteLock rw = (ReentrantReadWriteLock) lock;
            if (read) {
                rw.readLock().lock();
            } else {
                rw.writeLock().lock();
            }
        } else {
            StampedLock s = (StampedLock) lock;
            return read ? s.readLock() : s.writeLock();
        }
        return 0L;
    }

    @Override
    public long tryLock(Kind kind, Object lock, int mode) {
        boolean read = mode == Interpreter.READ;
        boolean ok;
        long stamp = 0L;
        if (lock instanceof ReentrantLock) {
            ok = ((ReentrantLock) lock).tryLock();
        } else if (lock instanceof ReentrantReadWriteLock) {
            ReentrantReadWriteLock rw = (ReentrantReadWriteLock) lock;
            ok = read ? rw.readLock().tryLock() : rw.writeLock().tryLock();
        } else {
            StampedLock s = (StampedLock) lock;
            stamp = read ? s.tryReadLock() : s.tryWriteLock();
            ok = stamp != 0L;
        }
        if (!ok) {
            throw new IllegalStateException("an uncontended trylock failed");
        }
        return stamp;
    }

    @Override
    public void unlock(Kind kind, Object lock, int mode, long stamp) {
        boolean read = mode == Interpreter.READ;
        if (lock instanceof ReentrantLock) {
            ((ReentrantLock) lock).unlock();
        } else if (lock instanceof ReentrantReadWriteLock) {
            ReentrantReadWriteLock rw = (ReentrantReadWriteLock) lock;
            if (read) {
                rw.readLock().unlock();
            } else {
                rw.writeLock().unlock();
            }
        } else {
            StampedLock s = (StampedLock) lock;
            if (read) {
                s.unlockRead(stamp);
            } else {
                s.unlockWrite(stamp);
            }
        }
    }

    @Override
    public void await(Kind kind, Object lock) {
        Thread.currentThread().interrupt();
        try {
            if (kind == Kind.MONITOR) {
                lock.wait();
            } else {
                conditions.get(lock).await();
            }
            throw new IllegalStateException("an interrupted wait returned normally");
        } catch (InterruptedException expected) {
            // the wait was checked and returned at once
        }
    }

    @Override
    public void signal(Kind kind, Object lock) {
        if (kind == Kind.MONITOR) {
            lock.notifyAll();
        } else {
            conditions.get(lock).signalAll();
        }
    }
}
