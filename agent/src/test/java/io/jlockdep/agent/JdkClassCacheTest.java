package io.jlockdep.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.lockclass.Sites;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache keeps what it learnt across JVMs, and a file it cannot trust is never used: a start-up then takes the long
 * way. (Serving rewritten bytes needs an empty site registry, which only a fresh JVM has: {@code StartupWindowIT}
 * checks that a warm JVM takes its JDK classes from the cache.)
 */
class JdkClassCacheTest {
    private static final String KEY = JdkClassCache.key("test-agent.jar@1@2", "options");

    @TempDir
    Path dir;

    private JdkClassCache open(String key) {
        JdkClassCache cache = JdkClassCache.open(dir, key, false);
        cache.replaySites();
        return cache;
    }

    private JdkClassCache learnt() {
        JdkClassCache cache = open(KEY);
        cache.recordMonitorOperations("java.util.Hashtable", true);
        cache.recordMonitorOperations("java.lang.Integer", false);
        cache.recordRewriterClasses(List.of("b:java.util.ArrayDeque"));
        cache.save();
        return cache;
    }

    @Test
    void whatOneJvmLearntTheNextOneKnows() {
        assertNull(open(KEY).hasMonitorOperations("java.util.Hashtable"), "nothing known at first");
        assertNull(open(KEY).rewriterClasses());
        learnt();
        JdkClassCache next = open(KEY);
        assertEquals(Boolean.TRUE, next.hasMonitorOperations("java.util.Hashtable"));
        assertEquals(Boolean.FALSE, next.hasMonitorOperations("java.lang.Integer"));
        assertNull(next.hasMonitorOperations("java.util.Vector"));
        assertEquals(List.of("b:java.util.ArrayDeque"), next.rewriterClasses());
    }

    @Test
    void anotherKeyIsAnotherFile() {
        learnt();
        String otherJdk = KEY.replace("test-agent.jar@1@2", "test-agent.jar@1@3");
        assertNull(open(otherJdk).hasMonitorOperations("java.util.Hashtable"));
        assertEquals(Boolean.TRUE, open(KEY).hasMonitorOperations("java.util.Hashtable"));
    }

    @Test
    void aDamagedFileIsIgnoredAndReplaced() throws IOException {
        learnt();
        Path file = cacheFile();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        JdkClassCache damaged = open(KEY);
        assertNull(damaged.hasMonitorOperations("java.util.Hashtable"));
        damaged.recordMonitorOperations("java.util.Vector", true);
        damaged.save();
        assertEquals(Boolean.TRUE, open(KEY).hasMonitorOperations("java.util.Vector"));
        Files.write(file, new byte[] {1, 2, 3});
        assertNull(open(KEY).hasMonitorOperations("java.util.Vector"), "a short file is damaged too");
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws IOException {
        learnt();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        JdkClassCache shared = open(KEY);
        assertNull(shared.hasMonitorOperations("java.util.Hashtable"));
        assertFalse(shared.isOn());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertTrue(open(KEY).isOn());
    }

    @Test
    void aMissingDirectoryIsMadeForThisUserAlone() throws IOException {
        Path fresh = dir.resolve("a").resolve("cache");
        JdkClassCache cache = JdkClassCache.open(fresh, KEY, false);
        assertTrue(cache.isOn());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void rewrittenBytesAreServedForTheSameClassFileOnly() {
        JdkClassCache cache = open(KEY);
        byte[] original = {(byte) 0xCA, (byte) 0xFE, 1, 2, 3};
        byte[] rewritten = {(byte) 0xCA, (byte) 0xFE, 4, 5, 6, 7};
        cache.recordRewrite("java/util/Hashtable", false, original, rewritten);
        cache.recordRewrite("java/util/Vector", false, original, null);
        boolean[] found = new boolean[1];
        assertArrayEquals(rewritten, cache.rewritten("java/util/Hashtable", false, original, found));
        assertTrue(found[0]);
        assertNull(cache.rewritten("java/util/Vector", false, original, found));
        assertTrue(found[0], "unchanged is a result too");
        cache.rewritten("java/util/Hashtable", false, new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2, 4}, found);
        assertFalse(found[0], "another class file of the same name");
        cache.rewritten("java/util/Hashtable", true, original, found);
        assertFalse(found[0], "a rewrite at load is not one by retransformation");
    }

    @Test
    void savedBytesAreServedOnlyWhereTheirSitesGetTheirIdsAgain() {
        boolean noSites = Sites.counts()[0] == 0 && Sites.counts()[1] == 0;
        JdkClassCache cache = open(KEY);
        byte[] original = {(byte) 0xCA, (byte) 0xFE, 1, 2, 3};
        byte[] rewritten = {(byte) 0xCA, (byte) 0xFE, 4, 5, 6, 7};
        cache.recordRewrite("java/util/Hashtable", false, original, rewritten);
        cache.save();
        // Saved with every site registered so far in this JVM; a registry that already has some cannot replay them.
        boolean[] found = new boolean[1];
        byte[] served = open(KEY).rewritten("java/util/Hashtable", false, original, found);
        assertEquals(noSites, found[0]);
        if (noSites) {
            assertArrayEquals(rewritten, served);
        }
    }

    @Test
    void offKeepsNothing() {
        JdkClassCache off = JdkClassCache.off();
        off.replaySites();
        off.recordMonitorOperations("java.util.Hashtable", true);
        off.save();
        assertNull(off.hasMonitorOperations("java.util.Hashtable"));
        assertFalse(off.isOn());
    }

    private Path cacheFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cache")).findFirst().orElseThrow();
        }
    }
}
