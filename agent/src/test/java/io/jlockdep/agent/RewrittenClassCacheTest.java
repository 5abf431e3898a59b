package io.jlockdep.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.lockclass.Sites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rewritten JDK classes go to the next JVM with the site registrations their rewrite made; a file that cannot be
 * trusted whole, or whose sites cannot be restored, gives no class at all.
 */
class RewrittenClassCacheTest {
    private static final String KEY = JdkClassCache.key("test-agent.jar@1@2");
    private static final byte[] ORIGINAL = "original class file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REWRITTEN = "rewritten class file".getBytes(StandardCharsets.UTF_8);
    private static final int FLAGS = RewrittenClassCache.CHECKED;

    @TempDir
    Path dir;

    /** What the last open asked to restore; null when it asked nothing. */
    private List<Sites.Registration> restored;

    private RewrittenClassCache open(boolean lockStat, boolean restores) {
        restored = null;
        return RewrittenClassCache.open(JdkClassCache.open(dir, KEY, false, false), false, lockStat, false,
                registrations -> {
                    restored = registrations;
                    return restores;
                });
    }

    private static List<Sites.Registration> sites() {
        return List.of(new Sites.Registration(Sites.Registration.CODE, "java/util/Hashtable", "equals",
                        "Hashtable.java", 814, null, null, 0, 7),
                new Sites.Registration(Sites.Registration.FIELD_STORE, null, null, null, 0, "java/util/Foo", "lock", 7,
                        3));
    }

    private void keepOne() {
        RewrittenClassCache cache = open(false, true);
        cache.keep("java.util.Hashtable", FLAGS, ORIGINAL, REWRITTEN, sites());
        cache.save();
    }

    private Path rewrittenFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".rewritten")).collect(Collectors.toList());
            assertEquals(1, all.size(), all::toString);
            return all.get(0);
        }
    }

    @Test
    void theNextJvmGetsTheBytesAndRestoresTheirSites() {
        keepOne();
        RewrittenClassCache next = open(false, true);
        assertEquals(2, restored.size());
        Sites.Registration code = restored.get(0);
        assertEquals(Sites.Registration.CODE, code.kind);
        assertEquals("java/util/Hashtable", code.className);
        assertEquals("equals", code.methodName);
        assertEquals("Hashtable.java", code.sourceFile);
        assertEquals(814, code.line);
        assertNull(code.fieldName);
        assertEquals(7, code.id);
        Sites.Registration store = restored.get(1);
        assertEquals(Sites.Registration.FIELD_STORE, store.kind);
        assertEquals("java/util/Foo", store.fieldOwnerInternalName);
        assertEquals("lock", store.fieldName);
        assertEquals(7, store.codeSite);
        assertEquals(3, store.id);
        assertArrayEquals(REWRITTEN, next.rewritten("java.util.Hashtable", FLAGS, ORIGINAL));
        assertEquals(1, next.hits());
        assertNull(next.rewritten("java.util.Hashtable", FLAGS, "another class file".getBytes(StandardCharsets.UTF_8)),
                "the class file it is offered must be the one that was rewritten");
        assertNull(next.rewritten("java.util.Hashtable", FLAGS | RewrittenClassCache.FIRST_DEFINITION, ORIGINAL),
                "a first definition is rewritten otherwise than a retransformation");
        assertNull(next.rewritten("java.util.Hashtable", 0, ORIGINAL), "out of scope is rewritten otherwise");
    }

    @Test
    void otherRewritingOptionsAreAnotherFile() {
        keepOne();
        RewrittenClassCache lockStat = open(true, true);
        assertNull(lockStat.rewritten("java.util.Hashtable", FLAGS, ORIGINAL));
        assertNull(restored, "no file of its own yet");
    }

    @Test
    void aRebuiltAgentJarReplacesTheFileOfTheOldOne() throws IOException {
        keepOne();
        String rebuilt = JdkClassCache.key("test-agent.jar@1@3");
        RewrittenClassCache cache = RewrittenClassCache.open(JdkClassCache.open(dir, rebuilt, false, false), false,
                false, false, registrations -> true);
        assertNull(cache.rewritten("java.util.Hashtable", FLAGS, ORIGINAL), "the old jar's classes are not used");
        cache.keep("java.util.Vector", FLAGS, ORIGINAL, REWRITTEN, List.of());
        cache.save();
        Path file = rewrittenFile(); // one file: the old one was replaced
        assertTrue(Files.readString(file, StandardCharsets.ISO_8859_1).contains("test-agent.jar@1@3"), file::toString);
        assertEquals(RewrittenClassCache.withoutSizesAndTimes(KEY), RewrittenClassCache.withoutSizesAndTimes(rebuilt));
    }

    @Test
    void whenTheSitesCannotBeRestoredNoBytesAreUsed() {
        keepOne();
        RewrittenClassCache refused = open(false, false);
        assertNull(refused.rewritten("java.util.Hashtable", FLAGS, ORIGINAL));
        assertEquals(0, refused.hits());
    }

    @Test
    void aDamagedFileIsIgnoredAndReplaced() throws IOException {
        keepOne();
        Path file = rewrittenFile();
        byte[] good = Files.readAllBytes(file);
        List<byte[]> damaged = new ArrayList<>();
        damaged.add(new byte[0]);
        damaged.add(Arrays.copyOf(good, good.length / 2));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        damaged.add(flipped);
        damaged.add("garbage\n\u0000\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] bytes : damaged) {
            Files.write(file, bytes);
            RewrittenClassCache cache = open(false, true);
            assertNull(restored, "nothing restored from a damaged file");
            assertNull(cache.rewritten("java.util.Hashtable", FLAGS, ORIGINAL));
            cache.keep("java.util.Vector", FLAGS, ORIGINAL, REWRITTEN, List.of());
            cache.save();
            assertArrayEquals(REWRITTEN, open(false, true).rewritten("java.util.Vector", FLAGS, ORIGINAL),
                    "replaced by a good file");
        }
    }

    @Test
    void offWhenTheVerdictCacheIsOff() {
        RewrittenClassCache cache = RewrittenClassCache.open(JdkClassCache.off(), false, false, false);
        assertFalse(cache.isOn());
        cache.keep("java.util.Hashtable", FLAGS, ORIGINAL, REWRITTEN, sites());
        cache.save(); // nothing to write, nothing thrown
        assertTrue(JdkClassCache.open(dir, KEY, false, false).isOn());
    }
}
