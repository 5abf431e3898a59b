package io.jlockdep.it.apps;

import java.util.Hashtable;

/**
 * Two real inversions on the very first lines of main, between instances of JDK classes that the JVM loaded before
 * the agent started: two Hashtables compared both ways ({@code equals} locks the receiver, then reads the argument
 * under its lock) and two StringBuffers appended to each other. One thread, so nothing blocks. With the argument
 * {@code consistent}, the same objects are always taken in one order: nothing to report.
 */
public final class StartupInversions {
    public static void main(String[] args) {
        boolean consistent = args.length > 0 && args[0].equals("consistent");
        Hashtable<String, String> h1 = new Hashtable<>();
        Hashtable<String, String> h2 = new Hashtable<>();
        h1.put("k", "v");
        h2.put("k", "v");
        boolean equal = h1.equals(h2) && (consistent ? h1.equals(h2) : h2.equals(h1));
        StringBuffer a = new StringBuffer("a");
        StringBuffer b = new StringBuffer("b");
        a.append(b);
        if (consistent) {
            a.append(b);
        } else {
            b.append(a);
        }
        System.out.println("finished: " + equal + " " + a + " " + b);
    }
}
