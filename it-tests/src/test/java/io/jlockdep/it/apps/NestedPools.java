package io.jlockdep.it.apps;

import java.util.ArrayList;
import java.util.List;

/**
 * A connection pool whose connections each keep a statement pool of the same library, in the layout of commons-dbcp2
 * over commons-pool2: the pools' locks are fields of a shared base class, taken through two subclasses (one pool of
 * connections, one keyed pool of statements per connection); pooled objects lock themselves and are allocated by each
 * pool's own factory. Closing the outer pool closes every connection, which closes its statement pool: outer
 * closeLock, then the connection, then an inner closeLock. With one lock class for every pool's closeLock (and one for
 * every pooled object) that looks like a cycle; it is not one. The argument picks the case:
 * {@code layers} (no cycle), {@code real} (a connection that takes its own pool's lock while locked: a real cycle).
 */
public final class NestedPools {
    private NestedPools() {
    }

    /** The shared base class: both kinds of pool inherit its locks. */
    abstract static class BasePool<T> {
        final Object closeLock = new Object();
        final Object evictionLock = new Object();
        final List<Pooled<T>> all = new ArrayList<>();
        boolean closed;

        abstract Pooled<T> wrap(T object);

        Pooled<T> add(T object) {
            Pooled<T> p = wrap(object);
            synchronized (closeLock) {
                all.add(p);
            }
            return p;
        }

        /** Evicting touches every pooled object. */
        void evict() {
            synchronized (evictionLock) {
                for (Pooled<T> p : all) {
                    p.markEvicting();
                    p.markIdle();
                }
            }
        }

        void close() {
            synchronized (closeLock) {
                closed = true;
                for (Pooled<T> p : all) {
                    p.invalidate();
                }
            }
        }

        boolean isClosed() {
            synchronized (closeLock) {
                return closed;
            }
        }
    }

    /** A pool's wrapper around what it pools, with synchronized state changes (like DefaultPooledObject). */
    static final class Pooled<T> {
        final T object;
        private String state = "idle";

        Pooled(T object) {
            this.object = object;
        }

        synchronized void markEvicting() {
            state = "evicting";
            if (object instanceof Connection) {
                ((Connection) object).validate();
            }
        }

        synchronized void markIdle() {
            state = "idle";
        }

        synchronized void invalidate() {
            state = "invalid";
            if (object instanceof Connection) {
                ((Connection) object).close();
            }
        }
    }

    /** The outer pool's type. */
    static final class ObjectPool<T> extends BasePool<T> {
        @Override
        Pooled<T> wrap(T object) {
            return new Pooled<>(object); // the connection pool's factory: one allocation site
        }
    }

    /** The inner pools' type. */
    static final class KeyedPool<T> extends BasePool<T> {
        @Override
        Pooled<T> wrap(T object) {
            return new Pooled<>(object); // the statement pools' factory: another allocation site
        }
    }

    /** A pooled connection, with its own pool of prepared statements. */
    static final class Connection {
        final KeyedPool<String> statements = new KeyedPool<>();
        ObjectPool<Connection> owner;

        synchronized void validate() {
            statements.evict();
        }

        synchronized void close() {
            statements.close();
        }

        /** The bug of the real case: returning itself to its pool while locked takes the outer pool's lock. */
        synchronized void returnToPool() {
            if (!owner.isClosed()) {
                owner.evict();
            }
        }
    }

    public static void main(String[] args) {
        ObjectPool<Connection> pool = new ObjectPool<>();
        for (int i = 0; i < 2; i++) {
            Connection c = new Connection();
            c.owner = pool;
            c.statements.add("select " + i);
            c.statements.add("update " + i);
            pool.add(c);
        }
        pool.evict();
        if (args[0].equals("real")) {
            pool.all.get(0).object.returnToPool();
        }
        pool.close();
        System.out.println("finished " + args[0]);
    }
}
