package io.jlockdep.it.apps;

import java.util.Date;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;

/**
 * JDK objects that lock themselves, used for unrelated purposes: a program's own {@code Properties}, and the JVM's
 * system properties (allocated before any agent). The argument picks the case:
 * <ul>
 *   <li>{@code properties}: going through the program's own properties (Hashtable.forEach holds their lock) it formats
 *       a date in the default time zone, which is found under {@code TimeZone.class} and recorded in the system
 *       properties: the program's Properties, then TimeZone.class, then the system Properties. One class for every
 *       Properties would make that a cycle; it is not one;</li>
 *   <li>{@code hashtables}: {@code h1.equals(h2)} then {@code h2.equals(h1)}: a real inversion between two
 *       instances.</li>
 * </ul>
 * Two synchronized lists added into each other, and two StringBuffers appended to each other, are in
 * {@link JdkOnlyInversions}.
 */
public final class SelfLockingJdkObjects {
    private SelfLockingJdkObjects() {
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "properties": {
                Properties mine = new Properties();
                mine.setProperty("started", "0");
                TimeZone.setDefault(null); // the next use of the default time zone looks it up again
                StringBuilder out = new StringBuilder();
                mine.forEach((key, millis) -> out.append(key).append('=')
                        .append(new Date(Long.parseLong((String) millis)))); // Date.toString: the default time zone
                System.out.println(out.length() > 0 ? "formatted" : "nothing");
                break;
            }
            case "hashtables": {
                Map<String, String> h1 = new Hashtable<>(Map.of("k", "v"));
                Map<String, String> h2 = new Hashtable<>(Map.of("k", "v"));
                System.out.println("equal: " + h1.equals(h2) + " " + h2.equals(h1));
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("finished " + args[0]);
    }
}
