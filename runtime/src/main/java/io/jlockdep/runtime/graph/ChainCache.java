package io.jlockdep.runtime.graph;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The set of lock chains already validated, keyed by the 64-bit chain key. Lock-free, allocation-free lookups from any
 * thread; inserts only under the graph lock (one writer), so a plain open-addressing table published with release
 * stores is enough. A reader that misses a concurrent insert just takes the slow path and finds it there.
 */
public final class ChainCache {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long EMPTY = 0L;

    private final int initialCapacity;
    private volatile long[] table;
    private int size;

    ChainCache() {
        this(1 << 10);
    }

    /** A table of {@code initialCapacity} slots (a power of two), which the concurrency test keeps small to grow it. */
    ChainCache(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.table = new long[initialCapacity];
    }

    boolean contains(long key) {
        long k = nonEmpty(key);
        long[] t = table;
        int mask = t.length - 1;
        for (int i = spread(k) & mask; ; i = (i + 1) & mask) {
            long slot = (long) SLOTS.getAcquire(t, i);
            if (slot == k) {
                return true;
            }
            if (slot == EMPTY) {
                return false;
            }
        }
    }

    /** Adds key; graph lock held. Returns false when it was already present. */
    boolean add(long key) {
        long k = nonEmpty(key);
        long[] t = table;
        if ((size + 1) * 2 > t.length) {
            t = grow(t);
        }
        int mask = t.length - 1;
        for (int i = spread(k) & mask; ; i = (i + 1) & mask) {
            long slot = t[i];
            if (slot == k) {
                return false;
            }
            if (slot == EMPTY) {
                SLOTS.setRelease(t, i, k);
                size++;
                return true;
            }
        }
    }

    int size() {
        return size;
    }

    void clear() {
        table = new long[initialCapacity];
        size = 0;
    }

    private long[] grow(long[] old) {
        long[] grown = new long[old.length * 2];
        int mask = grown.length - 1;
        for (long k : old) {
            if (k != EMPTY) {
                int i = spread(k) & mask;
                while (grown[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                grown[i] = k;
            }
        }
        table = grown;
        return grown;
    }

    private static long nonEmpty(long key) {
        return key == EMPTY ? 1L : key;
    }

    private static int spread(long k) {
        return (int) (k ^ (k >>> 32));
    }

    /**
     * Extends a chain key by one held lock: an order-sensitive 64-bit mix of (class id, mode). One multiply and one
     * xor-shift, both bijections, so for a given key every lock extends it differently, and the other way round; it
     * runs on every acquisition.
     */
    public static long extend(long chainKey, int classId, int mode) {
        long z = (chainKey ^ (((long) classId << 2) | mode)) * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 29);
    }
}
