package io.jlockdep.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache keeps what one JVM learnt about the JDK's classes for the next, and a file it cannot trust is never used:
 * start-up then reads the class files, as without a cache. Nothing here may throw into the agent's start.
 */
class JdkClassCacheTest {
    private static final String KEY = JdkClassCache.key("test-agent.jar@1@2");

    @TempDir
    Path dir;

    private JdkClassCache open(String key) {
        return JdkClassCache.open(dir, key, false, false);
    }

    private void learn(String key) {
        JdkClassCache cache = open(key);
        cache.recordMonitorOperations("java.util.Hashtable", true);
        cache.recordMonitorOperations("java.lang.Integer", false);
        cache.save();
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.collect(Collectors.toList());
            assertEquals(1, all.size(), all::toString);
            return all.get(0);
        }
    }

    @Test
    void whatOneJvmLearntTheNextOneKnows() {
        assertNull(open(KEY).hasMonitorOperations("java.util.Hashtable"), "nothing known at first");
        learn(KEY);
        JdkClassCache next = open(KEY);
        assertEquals(Boolean.TRUE, next.hasMonitorOperations("java.util.Hashtable"));
        assertEquals(Boolean.FALSE, next.hasMonitorOperations("java.lang.Integer"));
        assertNull(next.hasMonitorOperations("java.util.Vector"));
    }

    @Test
    void anotherJdkBuildOrAgentIsAnotherFile() throws IOException {
        learn(KEY);
        String otherJdk = KEY.replace("java.runtime.version=", "java.runtime.version=0");
        assertNull(open(otherJdk).hasMonitorOperations("java.util.Hashtable"));
        assertNull(open(JdkClassCache.key("test-agent.jar@1@3")).hasMonitorOperations("java.util.Hashtable"));
        learn(otherJdk);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "one file per key");
        }
        assertEquals(Boolean.TRUE, open(KEY).hasMonitorOperations("java.util.Hashtable"), "the first is still there");
    }

    @Test
    void aFileOfAnotherKeyUnderThisKeysNameIsIgnored() throws IOException {
        learn(KEY);
        Path file = onlyFile();
        String text = Files.readString(file).replace("test-agent.jar@1@2", "test-agent.jar@1@9");
        Files.writeString(file, withChecksum(text.substring(0, text.lastIndexOf("end "))));
        assertNull(open(KEY).hasMonitorOperations("java.util.Hashtable"));
    }

    @Test
    void aDamagedFileIsIgnoredAndReplaced() throws IOException {
        learn(KEY);
        Path file = onlyFile();
        byte[] good = Files.readAllBytes(file);
        List<byte[]> damaged = new ArrayList<>();
        damaged.add(new byte[0]);
        damaged.add(java.util.Arrays.copyOf(good, good.length / 2)); // cut short
        byte[] flipped = good.clone();
        int verdict = new String(good, StandardCharsets.UTF_8).indexOf("+java.util.Hashtable");
        flipped[verdict] = '-'; // a verdict changed: the checksum no longer matches
        damaged.add(flipped);
        damaged.add("garbage\n\u0000\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        damaged.add(withChecksum("jlockdep-jdk-classes 1\nkey " + KEY + "\nnot a class line\n")
                .getBytes(StandardCharsets.UTF_8));
        for (byte[] bytes : damaged) {
            Files.write(file, bytes);
            JdkClassCache cache = open(KEY);
            assertNull(cache.hasMonitorOperations("java.util.Hashtable"), new String(bytes, StandardCharsets.UTF_8));
            cache.recordMonitorOperations("java.util.Vector", true);
            cache.save();
            assertEquals(Boolean.TRUE, open(KEY).hasMonitorOperations("java.util.Vector"), "replaced by a good file");
        }
    }

    @Test
    void aDirectoryThatCannotBeMadeOrWrittenOnlyCostsTime() throws IOException {
        Path readOnly = dir.resolve("read-only");
        Files.createDirectory(readOnly, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
        if (Files.isWritable(readOnly)) {
            return; // root ignores permissions: nothing to show here (the it-test uses a path under a plain file)
        }
        JdkClassCache cache = JdkClassCache.open(readOnly.resolve("jlockdep"), KEY, false, false);
        cache.recordMonitorOperations("java.util.Hashtable", true);
        cache.save();
        assertFalse(cache.isOn());
    }

    @Test
    void aPathUnderAFileIsNoCache() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        JdkClassCache cache = JdkClassCache.open(file.resolve("jlockdep"), KEY, false, false);
        assertFalse(cache.isOn());
        cache.recordMonitorOperations("java.util.Hashtable", true);
        cache.save(); // nothing to write, nothing thrown
    }

    @Test
    void aDirectoryOthersCanWriteIsNotUsed() throws IOException {
        Path shared = dir.resolve("shared");
        Files.createDirectory(shared, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
        assertFalse(JdkClassCache.open(shared, KEY, false, false).isOn());
        assertTrue(JdkClassCache.open(dir.resolve("own"), KEY, false, false).isOn(), "a new directory is made private");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("own"))));
    }

    @Test
    void jvmsWritingAtOnceLeaveOneWholeFile() throws Exception {
        int writers = 8;
        CountDownLatch opened = new CountDownLatch(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                boolean counted = false;
                try {
                    // Each its own instance, as each JVM has; all read the empty directory before any writes (a JVM
                    // that starts after another's write reads that file and keeps its verdicts too).
                    JdkClassCache cache = open(KEY);
                    for (int i = 0; i < 500; i++) {
                        cache.recordMonitorOperations("writer" + id + ".C" + i, i % 2 == 0);
                    }
                    opened.countDown();
                    counted = true;
                    start.await();
                    cache.save();
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    if (!counted) {
                        opened.countDown(); // never leave the test waiting
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        opened.await();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), failures::toString);
        JdkClassCache read = open(KEY);
        int whole = 0;
        for (int w = 0; w < writers; w++) {
            if (read.hasMonitorOperations("writer" + w + ".C499") != null) {
                whole++;
                assertEquals(Boolean.TRUE, read.hasMonitorOperations("writer" + w + ".C0"));
            }
        }
        assertEquals(1, whole, "the last rename wins, whole");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void withoutARuntimeImageOrAnAgentJarNothingIsCached() {
        assertNull(JdkClassCache.key(null));
    }

    private static String withChecksum(String body) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        crc.update(bytes, 0, bytes.length);
        return body + "end " + Long.toHexString(crc.getValue()) + "\n";
    }
}
