package io.jlockdep.it.apps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Vector;

/**
 * Lock-order inversions that live entirely inside JDK classes: the program only calls JDK methods, every lock is the
 * JDK's own. One thread, one order then the other: nothing blocks. The argument picks the case.
 */
public final class JdkOnlyInversions {
    public static void main(String[] args) {
        switch (args[0]) {
            case "maps": {
                // Hashtable.equals locks the Hashtable, then asks the synchronized map its size (its mutex);
                // the synchronized map's equals locks its mutex, then asks the Hashtable (its lock).
                Map<String, String> table = new Hashtable<>(Map.of("k", "v"));
                Map<String, String> synced = Collections.synchronizedMap(new HashMap<>(Map.of("k", "v")));
                System.out.println("equal: " + synced.equals(table) + " " + table.equals(synced));
                break;
            }
            case "lists": {
                // addAll locks the receiving list's mutex, then the argument's in toArray(): two instances of one
                // JDK class in both orders.
                List<Integer> first = Collections.synchronizedList(new ArrayList<>(List.of(1)));
                List<Integer> second = Collections.synchronizedList(new ArrayList<>(List.of(2)));
                first.addAll(second);
                second.addAll(first);
                System.out.println("sizes: " + first.size() + " " + second.size());
                break;
            }
            case "vector-hashtable": {
                // Vector.addAll(0, hashtable.values()) locks the Vector, then the Hashtable (the values view's mutex);
                // Hashtable.containsValue(...) locks the Hashtable, then compares its value, that same Vector, with
                // equals, which locks it: both synchronized methods of classes loaded before the agent started.
                Vector<Object> vector = new Vector<>(List.of("x"));
                Hashtable<String, Object> table = new Hashtable<>();
                vector.addAll(0, table.values());
                table.put("v", vector);
                System.out.println("contains: " + table.containsValue(new Vector<>(List.of("z"))));
                break;
            }
            case "string-buffers": {
                StringBuffer a = new StringBuffer("a");
                StringBuffer b = new StringBuffer("b");
                a.append(b);
                b.append(a);
                System.out.println("appended: " + a + " " + b);
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("finished " + args[0]);
    }
}
