package io.jlockdep.it.apps;

import java.util.HashMap;
import java.util.Map;

/**
 * A registry that creates databases under its class lock, in the layout of HSQLDB 1.8's DatabaseManager: a database's
 * constructor calls its own synchronized method (and locks itself in a block), so the registry's lock is held while a
 * database that no other thread can reach yet is locked; a published database, locked, looks the registry up. The
 * argument picks the case: {@code registry} (no cycle: the database locked under the registry was still being
 * constructed), {@code published} (the registry's lock is also held around locking a published database: a real
 * cycle).
 */
public final class ConstructionLocks {
    private ConstructionLocks() {
    }

    static final class Registry {
        private static final Map<String, Db> DBS = new HashMap<>();

        static synchronized Db getOrCreate(String name) {
            Db db = DBS.get(name);
            if (db == null) {
                db = new Db(name);
                DBS.put(name, db);
            }
            return db;
        }

        static synchronized Db lookup(String name) {
            return DBS.get(name);
        }

        static synchronized void reset(Db db) {
            db.setState(0);
        }
    }

    static final class Db {
        private final String name;
        private int state;

        Db(String name) {
            this.name = name;
            setState(1); // locks the Db being built
            synchronized (this) {
                state++;
            }
        }

        synchronized void setState(int s) {
            state = s;
        }

        synchronized boolean open() {
            return Registry.lookup(name) == this;
        }
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Thread t = new Thread(() -> {
            Db db = Registry.getOrCreate("a");
            db.open();
            if (kind.equals("published")) {
                Registry.reset(db);
            }
        }, "user");
        t.start();
        t.join();
        System.out.println("finished " + kind);
    }
}
