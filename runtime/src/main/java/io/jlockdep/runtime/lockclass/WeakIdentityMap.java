package io.jlockdep.runtime.lockclass;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Identity map with weak keys: lookups are lock-free and allocation-free, writes lock one of several segments.
 * Buckets are immutable linked chains published with release stores, so a reader sees either the old or the new
 * chain, never a half-built one. Entries whose key was collected are dropped on later writes to their segment, so a
 * program that creates and drops millions of locks keeps a bounded map.
 */
public final class WeakIdentityMap<V> {
    private static final VarHandle BUCKETS = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final int SEGMENT_BITS = 4;

    private final Segment<V>[] segments;

    public WeakIdentityMap() {
        this(1 << SEGMENT_BITS, 16);
    }

    /**
     * {@code segments} (a power of two, at most 16) of {@code buckets} buckets each (a power of two) to start with;
     * the concurrency test uses one small segment, so that chains form and tables grow under concurrent readers.
     */
    @SuppressWarnings("unchecked")
    WeakIdentityMap(int segments, int buckets) {
        this.segments = new Segment[segments];
        for (int i = 0; i < segments; i++) {
            this.segments[i] = new Segment<>(buckets);
        }
    }

    public V get(Object key) {
        int h = System.identityHashCode(key);
        return segmentOf(h).get(key, h);
    }

    public void put(Object key, V value) {
        int h = System.identityHashCode(key);
        segmentOf(h).put(key, h, value);
    }

    /**
     * Like {@link #put} for a key the map cannot have yet (an object just created, or one {@link #get} just missed
     * that no other thread registers): no search of its bucket.
     */
    void putNew(Object key, V value) {
        int h = System.identityHashCode(key);
        segmentOf(h).putNew(key, h, value);
    }

    /** Identity hashes have 31 bits at most (25 on some VMs): mix them so every segment is used. */
    private Segment<V> segmentOf(int h) {
        return segments[((h * 0x9E3779B9) >>> (32 - SEGMENT_BITS)) & (segments.length - 1)];
    }

    /** Forgets every entry (the between-cases reset). */
    public void clear() {
        for (Segment<V> s : segments) {
            s.clear();
        }
    }

    /** Live entries, after dropping collected ones. */
    public int size() {
        int n = 0;
        for (Segment<V> s : segments) {
            n += s.expungedSize();
        }
        return n;
    }

    private static final class Entry<V> extends WeakReference<Object> {
        final int hash;
        final V value;
        final Entry<V> next;

        Entry(Object key, int hash, V value, Entry<V> next, ReferenceQueue<Object> queue) {
            super(key, queue);
            this.hash = hash;
            this.value = value;
            this.next = next;
        }
    }

    private static final class Segment<V> {
        private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
        private final int initialBuckets;
        private volatile Entry<V>[] table;
        private int size;

        Segment(int initialBuckets) {
            this.initialBuckets = initialBuckets;
            this.table = newTable(initialBuckets);
        }

        @SuppressWarnings("unchecked")
        private static <V> Entry<V>[] newTable(int n) {
            return new Entry[n];
        }

        @SuppressWarnings("unchecked")
        V get(Object key, int h) {
            Entry<V>[] t = table;
            for (Entry<V> e = (Entry<V>) BUCKETS.getAcquire(t, h & (t.length - 1)); e != null; e = e.next) {
                if (e.hash == h && e.refersTo(key)) {
                    return e.value;
                }
            }
            return null;
        }

        synchronized void put(Object key, int h, V value) {
            expunge();
            Entry<V>[] t = table;
            int i = h & (t.length - 1);
            Entry<V> old = t[i];
            Entry<V> head = without(old, key);
            BUCKETS.setRelease(t, i, new Entry<>(key, h, value, head, queue));
            if (head == old) {
                // the chain had no mapping for key: the map grew by one
                size++;
            }
            if (size > t.length) {
                resize(t);
            }
        }

        synchronized void putNew(Object key, int h, V value) {
            expunge();
            Entry<V>[] t = table;
            int i = h & (t.length - 1);
            BUCKETS.setRelease(t, i, new Entry<>(key, h, value, t[i], queue));
            if (++size > t.length) {
                resize(t);
            }
        }

        synchronized void clear() {
            table = newTable(initialBuckets);
            size = 0;
        }

        synchronized int expungedSize() {
            expunge();
            return size;
        }

        /** The chain without the entry for key (and without collected entries), sharing the untouched tail. */
        private Entry<V> without(Entry<V> chain, Object key) {
            for (Entry<V> e = chain; e != null; e = e.next) {
                if (e.refersTo(key)) {
                    return rebuildWithout(chain, e);
                }
            }
            return chain;
        }

        private Entry<V> rebuildWithout(Entry<V> chain, Entry<V> drop) {
            if (chain == drop) {
                return drop.next;
            }
            Object key = chain.get();
            Entry<V> rest = rebuildWithout(chain.next, drop);
            if (key == null) {
                return rest;
            }
            return new Entry<>(key, chain.hash, chain.value, rest, queue);
        }

        @SuppressWarnings("unchecked")
        private void expunge() {
            Reference<?> r;
            while ((r = queue.poll()) != null) {
                Entry<V> stale = (Entry<V>) r;
                Entry<V>[] t = table;
                int i = stale.hash & (t.length - 1);
                Entry<V> chain = t[i];
                for (Entry<V> e = chain; e != null; e = e.next) {
                    if (e == stale) {
                        BUCKETS.setRelease(t, i, dropCleared(chain));
                        size--;
                        break;
                    }
                }
            }
        }

        private Entry<V> dropCleared(Entry<V> chain) {
            if (chain == null) {
                return null;
            }
            Entry<V> rest = dropCleared(chain.next);
            Object key = chain.get();
            if (key == null) {
                return rest;
            }
            return rest == chain.next ? chain : new Entry<>(key, chain.hash, chain.value, rest, queue);
        }

        /** Doubles the table, or just compacts it when most counted entries turned out to be collected. */
        private void resize(Entry<V>[] old) {
            int counted = 0;
            for (Entry<V> head : old) {
                for (Entry<V> e = head; e != null; e = e.next) {
                    if (!e.refersTo(null)) {
                        counted++;
                    }
                }
            }
            Entry<V>[] grown = newTable(counted > old.length / 2 ? old.length * 2 : old.length);
            int live = 0;
            for (Entry<V> head : old) {
                for (Entry<V> e = head; e != null; e = e.next) {
                    Object key = e.get();
                    if (key != null) {
                        int i = e.hash & (grown.length - 1);
                        grown[i] = new Entry<>(key, e.hash, e.value, grown[i], queue);
                        live++;
                    }
                }
            }
            // Counting restarts from the live set; stale entries still queued are not found in the new table.
            size = live;
            table = grown;
        }
    }
}
