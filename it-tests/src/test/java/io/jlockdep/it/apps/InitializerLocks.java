package io.jlockdep.it.apps;

import java.util.Hashtable;
import java.util.Vector;

/**
 * Lock orders taken inside a static initializer, in the layout of Commons JXPath 1.4's JXPathContextReferenceImpl: the
 * initializer fills a static vector and calls a static synchronized method that reads it (class, then vector); the
 * constructor calls that method holding the vector (vector, then class). The argument picks the case:
 * {@code initializer} (no cycle: nobody else could reach the class or its vector during its initialization),
 * {@code outside} (the same two orders, both taken once the class is initialized: a cycle), {@code unstored} (an
 * initializer takes two tables it did not create in one order, one of them stored in its statics, later code the other
 * order: a cycle).
 */
public final class InitializerLocks {
    private InitializerLocks() {
    }

    static final class Registry {
        private static final Vector<Object> FACTORIES = new Vector<>();
        private static Object[] array;

        static {
            FACTORIES.add("default");
            build(); // Registry.class -> FACTORIES, inside <clinit> only
        }

        private static synchronized void build() {
            array = FACTORIES.toArray();
        }

        Registry() {
            synchronized (FACTORIES) { // FACTORIES -> Registry.class
                build();
            }
        }
    }

    static final class LateRegistry {
        private static final Vector<Object> FACTORIES = new Vector<>();
        private static Object[] array;

        static synchronized void build() { // LateRegistry.class -> FACTORIES
            array = FACTORIES.toArray();
        }

        LateRegistry() {
            synchronized (FACTORIES) { // FACTORIES -> LateRegistry.class
                build();
            }
        }
    }

    static final class Tables {
        static final Hashtable<String, String> FIRST = new Hashtable<>();
        static final Hashtable<String, String> SECOND = new Hashtable<>();
    }

    static final class Loader {
        static final Hashtable<String, String> VIEW = Tables.FIRST; // stored here, but shared: Tables' static
        static final int SIZE;

        static {
            synchronized (Tables.SECOND) { // SECOND -> FIRST, inside Loader's <clinit>: neither was created by it
                SIZE = VIEW.size();
            }
        }
    }

    public static void main(String[] args) {
        String kind = args[0];
        switch (kind) {
            case "initializer":
                new Registry();
                break;
            case "outside":
                LateRegistry.build();
                new LateRegistry();
                break;
            case "unstored":
                int size = Loader.SIZE;
                synchronized (Tables.FIRST) { // FIRST -> SECOND
                    size += Tables.SECOND.size();
                }
                System.out.println("size " + size);
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
        System.out.println("finished " + kind);
    }
}
