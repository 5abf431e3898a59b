package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A loader's {@code loadClass} answers the names jlockdep's runtime has from the boot class path first, and behaves as
 * before for every other name, and for such a name the boot class path does not have. Here the names answered are
 * {@code java.util.*} (the runtime is not on the boot class path of a unit test); the sample loaders answer every name
 * they are asked with {@code String.class}, so it shows which way an answer came.
 */
class ClassLoaderInstrumenterTest {
    private static final String[] JAVA_UTIL = {"java.util."};

    /** Overrides the one-argument form, the one the JVM calls; starts with a loop (a frame at its first insn). */
    public static final class OneArgument extends ClassLoader {
        @Override
        public Class<?> loadClass(String name) {
            int spins = 0;
            while (spins < 2) {
                spins++;
            }
            return String.class;
        }
    }

    /** Overrides the two-argument form, which ClassLoader's one-argument form calls. */
    public static final class TwoArguments extends ClassLoader {
        @Override
        protected Class<?> loadClass(String name, boolean resolve) {
            return String.class;
        }
    }

    /** Overrides only findClass: its inherited loadClass asks its parent first, and needs no change. */
    public static final class FindClassOnly extends ClassLoader {
        @Override
        protected Class<?> findClass(String name) {
            return String.class;
        }
    }

    @Test
    void bothFormsOfLoadClassAnswerTheBootClassPathsNamesFromIt() throws Exception {
        for (Class<?> sample : new Class<?>[] {OneArgument.class, TwoArguments.class}) {
            ClassLoader loader = (ClassLoader) bridged(sample).getConstructor().newInstance();
            assertSame(java.util.ArrayList.class, loader.loadClass("java.util.ArrayList"), sample.getSimpleName());
            assertSame(String.class, loader.loadClass("com.example.Other"), sample.getSimpleName());
            assertSame(String.class, loader.loadClass("java.util.NoSuchClass"), "not on the boot class path");
            assertSame(String.class, loader.loadClass(null), sample.getSimpleName());
        }
    }

    @Test
    void classesWithoutALoadClassOfTheirOwnAndJlockdepsOwnAreLeftAlone() {
        assertNull(ClassLoaderInstrumenter.instrument(renamed(FindClassOnly.class, "sample/FindClassOnly"), JAVA_UTIL));
        assertNull(ClassLoaderInstrumenter.instrument(TestSupport.classBytes(OneArgument.class)), "jlockdep's own");
        assertTrue(ClassLoaderInstrumenter.mayDeclareLoadClass(TestSupport.classBytes(TwoArguments.class)));
        assertTrue(!ClassLoaderInstrumenter.mayDeclareLoadClass(TestSupport.jdkClassBytes(String.class)),
                "no loadClass constant at all");
    }

    @Test
    void theRuntimesNamesAreThoseAnswered() {
        assertEquals("[io.jlockdep.runtime., io.jlockdep.Lockdep]",
                java.util.Arrays.toString(ClassLoaderInstrumenter.BOOT_PREFIXES));
        assertNotNull(ClassLoaderInstrumenter.instrument(renamed(OneArgument.class, "sample/OneArgument")));
    }

    private static Class<?> bridged(Class<?> sample) {
        // renamed out of jlockdep's own packages, which are never rewritten
        String name = "sample/" + sample.getSimpleName();
        byte[] rewritten = ClassLoaderInstrumenter.instrument(renamed(sample, name), JAVA_UTIL);
        assertNotNull(rewritten, sample.getName());
        Map<String, byte[]> classes = new TreeMap<>();
        classes.put(name, rewritten);
        TestSupport.verify(rewritten, ClassLoaderInstrumenterTest.class.getClassLoader());
        return TestSupport.load(classes, name);
    }

    private static byte[] renamed(Class<?> c, String name) {
        org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(0);
        new org.objectweb.asm.ClassReader(TestSupport.classBytes(c)).accept(new org.objectweb.asm.commons.ClassRemapper(
                writer, new org.objectweb.asm.commons.SimpleRemapper(c.getName().replace('.', '/'), name)), 0);
        return writer.toByteArray();
    }
}
