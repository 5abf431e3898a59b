package io.jlockdep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The api's {@code io.jlockdep.Lockdep} and the runtime's (the one the agent puts on the boot class path) have the
 * same public members: code compiled against the api must link against the runtime's copy under the agent.
 */
class SameMembersTest {
    private static final String CLASS_FILE = "io/jlockdep/Lockdep.class";

    @Test
    void apiAndRuntimeDeclareTheSamePublicMembers() throws Exception {
        URL api = Lockdep.class.getProtectionDomain().getCodeSource().getLocation();
        URL runtime = null;
        for (URL copy : Collections.list(SameMembersTest.class.getClassLoader().getResources(CLASS_FILE))) {
            URL root = new URL(copy.toString().substring(0, copy.toString().length() - CLASS_FILE.length())
                    .replaceFirst("^jar:(.*)!/$", "$1"));
            if (!root.equals(api)) {
                runtime = root;
            }
        }
        assertFalse(runtime == null, "the runtime's Lockdep is on the test class path (test dependency)");
        List<String> apiMembers = publicMembers(api);
        assertEquals(publicMembers(runtime), apiMembers);
        // Not vacuous: the signatures were read.
        assertEquals(true, apiMembers.contains("public static java.util.List<java.lang.String>"
                + " io.jlockdep.Lockdep.reports(long,long) []"), String.join("\n", apiMembers));
    }

    /** Every public member of Lockdep and its public nested types, loaded alone from one class path root. */
    private static List<String> publicMembers(URL root) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root}, ClassLoader.getPlatformClassLoader())) {
            Class<?> c = Class.forName("io.jlockdep.Lockdep", false, loader);
            assertEquals(loader, c.getClassLoader(), "loaded from " + root);
            List<String> members = new ArrayList<>();
            describe(c, members);
            Collections.sort(members);
            return members;
        }
    }

    private static void describe(Class<?> c, List<String> members) {
        members.add(Modifier.toString(c.getModifiers()) + " " + c.getName() + " extends " + c.getGenericSuperclass()
                + " implements " + Arrays.toString(c.getGenericInterfaces()) + " "
                + Arrays.toString(c.getAnnotations()));
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers())) {
                members.add(f.toGenericString());
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers())) {
                members.add(k.toGenericString());
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                members.add(m.toGenericString() + " " + Arrays.toString(m.getAnnotations()));
            }
        }
        for (Class<?> nested : c.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers())) {
                describe(nested, members);
            }
        }
    }
}
