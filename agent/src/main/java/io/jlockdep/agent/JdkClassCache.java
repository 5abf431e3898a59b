package io.jlockdep.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Which of the JDK's classes take, release, wait on or notify a monitor, kept on disk per JDK build and agent jar. Before
 * main the agent must find, among the ~1,000 classes loaded before it, the few dozen to retransform; without the cache
 * it reads each one's class file from the runtime image. This file keeps only verdicts (a wrong one can at worst leave a
 * JDK class unchecked); the rewritten classes themselves are kept beside it by {@link RewrittenClassCache}, whose
 * comment says what trusting those means: class files in the cache directory do put code into the program, so the
 * directory is only used when it is the user's own.
 *
 * <p>One file per key ({@link #key}); a file that cannot be read, belongs to another key or fails its CRC-32 is ignored
 * (with {@code debug=true}, one line says why) and replaced by the next write: never wrong, only slower. Files are
 * written whole under a temporary name and renamed, so concurrent JVMs each read either the old file or a new one.
 *
 * <p>Format (text): {@code jlockdep-jdk-classes 1}, {@code key <key>}, then per class {@code +name} (monitors) or
 * {@code -name}, then {@code end <CRC-32 of everything before this line, hex>}.
 */
final class JdkClassCache {
    private static final String HEADER = "jlockdep-jdk-classes 1";

    private final Path file;
    private final String key;
    private final boolean debug;
    /** Binary class name to whether its class file has monitor operations. */
    private final Map<String, Boolean> verdicts = new HashMap<>();
    private boolean dirty;

    private JdkClassCache(Path file, String key, boolean debug) {
        this.file = file;
        this.key = key;
        this.debug = debug;
    }

    /** A cache that keeps nothing. */
    static JdkClassCache off() {
        return new JdkClassCache(null, null, false);
    }

    /**
     * The cache in {@code dir} for this key, with what a valid file there holds. Never throws: a directory that cannot
     * be made or is writable by other users gives a cache that keeps nothing; {@code explicit} (the directory was
     * given in the options) says so in one line, otherwise only debug does.
     */
    static JdkClassCache open(Path dir, String key, boolean explicit, boolean debug) {
        String problem;
        try {
            problem = unusable(dir);
        } catch (IOException | RuntimeException e) {
            problem = "cannot create it (" + e.getMessage() + ")";
        }
        if (problem != null) {
            if (explicit) {
                Messages.error("option 'cache': not using " + dir + ": " + problem + "; start-up reads the JDK's class"
                        + " files instead");
            } else if (debug) {
                Messages.debug("cache: not using " + dir + ": " + problem);
            }
            return off();
        }
        JdkClassCache cache = new JdkClassCache(dir.resolve(fileName(key)), key, debug);
        cache.read();
        return cache;
    }

    /**
     * What the verdicts depend on, on one line: the agent (its jar's path, size and time: a rebuilt agent may judge
     * class files differently) and the JDK build (its home, versions, and the size and time of its runtime image).
     * Null when the JDK's classes may not be the runtime image's ({@code --patch-module}, {@code --upgrade-module-path})
     * or there is no runtime image: then nothing is cached.
     */
    static String key(String agentJar) {
        for (String property : System.getProperties().stringPropertyNames()) {
            if (property.startsWith("jdk.module.patch") || property.startsWith("jdk.module.upgrade")) {
                return null;
            }
        }
        File modules = new File(new File(System.getProperty("java.home"), "lib"), "modules");
        if (agentJar == null || !modules.isFile()) {
            return null;
        }
        return "agent=" + agentJar + " java.home=" + System.getProperty("java.home") + " java.runtime.version="
                + System.getProperty("java.runtime.version") + " java.vm.version=" + System.getProperty("java.vm.version")
                + " modules=" + modules.length() + '@' + modules.lastModified();
    }

    private static String fileName(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return "jdk-" + Long.toHexString(crc(bytes, bytes.length)) + ".classes";
    }

    /** Null when the directory exists (or was made) and no other user can write it; else what is wrong. */
    private static String unusable(Path dir) throws IOException {
        boolean posix = Files.getFileAttributeView(dir.toAbsolutePath().getRoot(), PosixFileAttributeView.class)
                != null;
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (view == null) {
            return null;
        }
        PosixFileAttributes attributes = view.readAttributes();
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "other users can write it";
        }
        return null;
    }

    boolean isOn() {
        return file != null;
    }

    /** The directory of a cache that is on (see {@link #isOn}). */
    Path directory() {
        return file.getParent();
    }

    /** The key of a cache that is on (see {@link #key(String)}). */
    String key() {
        return key;
    }

    /** Whether the JDK class (binary name) has monitor operations; null when not known. */
    synchronized Boolean hasMonitorOperations(String className) {
        return verdicts.get(className);
    }

    synchronized void recordMonitorOperations(String className, boolean monitors) {
        if (file != null && !Boolean.valueOf(monitors).equals(verdicts.put(className, monitors))) {
            dirty = true;
        }
    }

    /** Writes the file when something new was learnt; never throws. */
    synchronized void save() {
        if (file == null || !dirty) {
            return;
        }
        dirty = false;
        try {
            StringBuilder text = new StringBuilder(verdicts.size() * 40);
            text.append(HEADER).append('\n').append("key ").append(key).append('\n');
            for (Map.Entry<String, Boolean> e : verdicts.entrySet()) {
                text.append(e.getValue() ? '+' : '-').append(e.getKey()).append('\n');
            }
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] end = ("end " + Long.toHexString(crc(body, body.length)) + '\n').getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[body.length + end.length];
            System.arraycopy(body, 0, all, 0, body.length);
            System.arraycopy(end, 0, all, body.length, end.length);
            writeWhole(file, all);
            if (debug) {
                Messages.debug("cache: wrote " + file + " (" + verdicts.size() + " JDK classes)");
            }
        } catch (IOException | RuntimeException e) {
            if (debug) {
                Messages.debug("cache: cannot write " + file + ": " + e);
            }
        }
    }

    /**
     * Writes the file whole under a temporary name in its directory and renames it, so that concurrent JVMs each read
     * either the old file or the new one; no temporary file is left behind.
     */
    static void writeWhole(Path file, byte[] content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "jdk-", ".tmp");
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** Reads a valid file of this key; anything else leaves the cache empty (and marked to be written). */
    private void read() {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String problem;
        try {
            problem = parse(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            problem = "cannot read it (" + e + ")";
        }
        if (problem != null) {
            verdicts.clear();
            dirty = true; // replaced by this JVM's findings
            if (debug) {
                Messages.debug("cache: ignoring " + file + ": " + problem);
            }
        } else if (debug) {
            Messages.debug("cache: read " + file + " (" + verdicts.size() + " JDK classes)");
        }
    }

    /** Null when the bytes were a valid file of this key (then the verdicts hold them); else what is wrong. */
    private String parse(byte[] bytes) {
        int endLine = bytes.length - 1;
        if (endLine < 0 || bytes[endLine] != '\n') {
            return "it is cut short";
        }
        int endStart = endLine;
        while (endStart > 0 && bytes[endStart - 1] != '\n') {
            endStart--;
        }
        String end = new String(bytes, endStart, endLine - endStart, StandardCharsets.UTF_8);
        if (!end.equals("end " + Long.toHexString(crc(bytes, endStart)))) {
            return "it is damaged (its checksum does not match)";
        }
        String text = new String(bytes, 0, endStart, StandardCharsets.UTF_8);
        int from = 0;
        for (int number = 1; from < text.length(); number++) {
            int to = text.indexOf('\n', from);
            String line = text.substring(from, to);
            from = to + 1;
            if (number == 1 && !line.equals(HEADER)) {
                return "it is not a jlockdep cache file of this version";
            } else if (number == 2 && !line.equals("key " + key)) {
                return "it was written for another JDK build or agent";
            } else if (number > 2) {
                if (line.length() < 2 || (line.charAt(0) != '+' && line.charAt(0) != '-')) {
                    return "line " + number + " is not a class";
                }
                verdicts.put(line.substring(1), line.charAt(0) == '+');
            }
        }
        return from == 0 ? "it is empty" : null;
    }

    static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
