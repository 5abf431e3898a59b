package io.jlockdep.demo.rwupgrade;

import io.jlockdep.demo.Meeting;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** A cache of computed values: many readers, a writer on a miss. */
final class Cache {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, String> values = new HashMap<>();

    void put(String key, String value) {
        lock.writeLock().lock();
        try {
            values.put(key, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The bug: on a miss it asks for the write lock while still holding the read lock, to fill the entry in. A
     * ReentrantReadWriteLock cannot upgrade: the write lock waits until no thread holds the read lock, this one
     * included, so the call never returns (unless interrupted). A {@code --deadlock} run meets another reader at
     * {@code meeting}.
     */
    String get(String key, Meeting meeting) throws InterruptedException {
        lock.readLock().lock();
        try {
            String value = values.get(key);
            if (value != null) {
                return value;
            }
            meeting.arrive();
            lock.writeLock().lockInterruptibly();
            try {
                value = key.toUpperCase(java.util.Locale.ROOT);
                values.put(key, value);
                return value;
            } finally {
                lock.writeLock().unlock();
            }
        } finally {
            lock.readLock().unlock();
        }
    }
}
