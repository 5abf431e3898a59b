package io.jlockdep.it.apps;

import io.jlockdep.Lockdep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints {@code tracked} when the agent tracks monitors taken inside JDK code, else {@code not tracked}: a synchronized
 * list's {@code add} holds the list's monitor (a synchronized block in java.util.Collections) while it calls the
 * storage list's {@code add}, which asks jlockdep whether that monitor is held.
 */
public final class JdkMonitorProbe {
    public static void main(String[] args) {
        List<Object> synchronizedList = new ArrayList<>(1);
        boolean[] held = new boolean[1];
        List<String> storage = new ArrayList<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean add(String s) {
                held[0] = isHeld(synchronizedList.get(0));
                return super.add(s);
            }
        };
        List<String> list = Collections.synchronizedList(storage);
        synchronizedList.add(list);
        list.add("x");
        System.out.println(held[0] ? "tracked" : "not tracked");
    }

    private static boolean isHeld(Object lock) {
        try {
            Lockdep.assertHeld(lock);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
