package io.jlockdep.runtime.lockclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sites restored from a previous JVM get the ids that JVM gave them, and only into empty tables. Sites is one table per
 * JVM, so each test uses a fresh copy of the runtime's classes, in a class loader of its own.
 */
class SitesRestoreTest {
    private Class<?> sites;
    private Class<?> registration;

    @BeforeEach
    void freshSites() throws Exception {
        URL classes = Sites.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader loader = new URLClassLoader(new URL[] {classes}, null);
        sites = Class.forName(Sites.class.getName(), true, loader);
        registration = Class.forName(Sites.Registration.class.getName(), true, loader);
    }

    private Object call(String name, Object... args) throws Exception {
        for (Method m : sites.getDeclaredMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length
                    && java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                return m.invoke(null, args);
            }
        }
        throw new AssertionError("no method " + name);
    }

    private Object registration(int kind, String className, String methodName, String sourceFile, int line,
                                String fieldOwner, String fieldName, int codeSite, int id) throws Exception {
        Constructor<?> c = registration.getConstructor(int.class, String.class, String.class, String.class, int.class,
                String.class, String.class, int.class, int.class);
        return c.newInstance(kind, className, methodName, sourceFile, line, fieldOwner, fieldName, codeSite, id);
    }

    private int code(String method, int line) throws Exception {
        return (Integer) call("code", "java/util/Hashtable", method, "Hashtable.java", line);
    }

    private int allocation(int codeSite) throws Exception {
        return (Integer) call("allocation", "java/lang/Object", codeSite, "java/util/Foo", "lock");
    }

    /** Registrations as one JVM recorded them: two code sites and an allocation, ids with gaps. */
    private List<Object> previousJvm() throws Exception {
        List<Object> recorded = new ArrayList<>();
        recorded.add(registration(Sites.Registration.CODE, "java/util/Hashtable", "equals", "Hashtable.java", 814,
                null, null, 0, 5));
        recorded.add(registration(Sites.Registration.ALLOCATION, "java/lang/Object", null, null, 0, "java/util/Foo",
                "lock", 5, 2));
        recorded.add(registration(Sites.Registration.LOCK_SITE, "java/util/Hashtable", "size", "Hashtable.java", 248,
                "java/util/Hashtable", "table", 0, 9));
        recorded.add(registration(Sites.Registration.CODE, "java/util/Hashtable", "equals", "Hashtable.java", 814,
                null, null, 0, 5)); // the same site, recorded by another rewrite of the class
        return recorded;
    }

    @Test
    void restoredSitesKeepTheirIdsAndNewOnesComeAfter() throws Exception {
        assertTrue((Boolean) call("restore", previousJvm()));
        assertEquals(5, code("equals", 814), "a registration of a restored site gets its id");
        assertEquals(2, allocation(5));
        assertEquals("Hashtable.equals(Hashtable.java:814)", call("codeSite", 5).toString().replace("java.util.", ""));
        assertNull(call("codeSite", 3), "a gap stays empty");
        assertEquals(10, code("put", 465), "new sites come after the highest restored id");
        assertEquals(3, (Integer) call("allocation", "java/lang/Object", 10, null, null));
    }

    @Test
    void refusedOnceASiteIsRegistered() throws Exception {
        assertEquals(1, code("put", 465));
        assertFalse((Boolean) call("restore", previousJvm()));
        assertEquals(1, code("put", 465), "what was registered stays");
        assertEquals(2, code("equals", 814), "nothing was restored");
    }

    @Test
    void contradictoryRegistrationsRestoreNothing() throws Exception {
        List<Object> orphan = new ArrayList<>();
        orphan.add(registration(Sites.Registration.ALLOCATION, "java/lang/Object", null, null, 0, null, null, 4, 1));
        assertFalse((Boolean) call("restore", orphan), "an allocation at a code site that is not restored");
        List<Object> recorded = previousJvm();
        recorded.add(registration(Sites.Registration.CODE, "java/util/Hashtable", "equals", "Hashtable.java", 814,
                null, null, 0, 6)); // the same site at another id
        assertFalse((Boolean) call("restore", recorded));
        assertEquals(1, code("equals", 814), "the tables were left empty");
    }

    @Test
    void recordingSeesWhatOneRewriteRegistered() throws Exception {
        Object outer = call("startRecording");
        assertNull(outer);
        int id = code("equals", 814);
        code("equals", 814);
        @SuppressWarnings("unchecked")
        List<Object> recorded = (List<Object>) call("stopRecording", outer);
        assertEquals(2, recorded.size(), "both calls, the second returning the known id");
        assertEquals(id, registration.getField("id").get(recorded.get(0)));
        code("put", 465);
        assertEquals(2, recorded.size(), "nothing recorded once stopped");
    }
}
