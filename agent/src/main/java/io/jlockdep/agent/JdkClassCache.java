package io.jlockdep.agent;

import io.jlockdep.runtime.lockclass.Sites;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * What the agent learnt about the JDK's own classes, kept on disk per JDK build so that the next JVM starts without
 * doing it again: which classes loaded before the agent take monitors, what the transformer made of each JDK class
 * file it saw (the rewritten bytes, or "unchanged"), the code sites those bytes name, and the JDK classes the rewriting
 * code loads. With all of that known, a JVM checks every lock from the first line of main without running ASM or
 * reading the runtime image at start-up.
 *
 * <p>One file per key: the JDK build (its home, versions, and the size and time of its runtime image), the VM's mode
 * (class data sharing changes the class files the JVM hands over for retransformation), the agent jar and the options
 * that change what is rewritten. Rewritten bytes are used only for the very class file they were made from (same
 * name, same CRC-32, same kind of rewrite: at load or by retransformation), and only once the code sites they name have
 * their ids again in this JVM ({@link Sites#replay}), which is the first thing the agent does. A file that cannot be
 * read, belongs to another key, is damaged, or lies in a directory another user could write is ignored and start-up
 * takes the long way: never wrong, only slower. Files are written whole under a temporary name, then renamed, so a JVM
 * reads either the old file or the new one.
 *
 * <p>Only the index (names, CRCs, offsets, sites) is read at start-up; a class file is read from the file when the
 * transformer asks for it, and checked against its own CRC-32.
 */
final class JdkClassCache {
    private static final int FORMAT = 1;
    private static final int MAGIC = 0x4a4c4443; // "JLDC"
    /** Files kept in the directory (one per JDK build, agent jar and options): the most recently written ones. */
    private static final int FILES_KEPT = 16;
    /** Bytes of new class files kept in memory for the next write; past this, new results are not recorded. */
    private static final int PENDING_LIMIT = 4 << 20;

    /** Whether a class loaded before the agent takes, releases, waits on or notifies a monitor (binary name). */
    private final Map<String, Boolean> monitorVerdicts = new HashMap<>();
    /** What the transformer made of a class file: {@link #rewriteKey} to the result. */
    private final Map<String, Rewrite> rewrites = new HashMap<>();
    /**
     * JDK classes the rewriting path loads, as {@code b:name} (boot loader) or {@code p:name} (platform loader); null
     * when not known yet.
     */
    private List<String> rewriterClasses;
    /** The code sites the cached class files name, in id order. */
    private List<Sites.SiteCall> sites = new ArrayList<>();
    private final Path file;
    private final String key;
    private final boolean debug;
    /** The file read at start-up, open for the class files asked for later; null when there was none. */
    private RandomAccessFile data;
    private long dataStart;
    /** Site counts that every result recorded so far is within: the registrations written are those. */
    private int codeSitesUsed;
    private int allocationSitesUsed;
    private int pendingBytes;
    private boolean dirty;
    /** Cached rewritten bytes may be served: their sites have their ids in this JVM. */
    private boolean usable;

    private JdkClassCache(Path file, String key, boolean debug) {
        this.file = file;
        this.key = key;
        this.debug = debug;
    }

    /**
     * One transformation's result: the CRC-32 of the class file given; the class file returned (null: unchanged), held
     * in memory ({@code bytes}) when made in this JVM, else at {@code offset} in the data part of the file.
     */
    private static final class Rewrite {
        final long crc;
        final int length;
        final long bytesCrc;
        final long offset;
        byte[] bytes;

        Rewrite(long crc, int length, long bytesCrc, long offset, byte[] bytes) {
            this.crc = crc;
            this.length = length;
            this.bytesCrc = bytesCrc;
            this.offset = offset;
            this.bytes = bytes;
        }
    }

    /** A cache that keeps nothing. */
    static JdkClassCache off() {
        return new JdkClassCache(null, null, false);
    }

    /**
     * The cache for this JVM and agent in {@code dir}, with what its file holds when there is a valid one. Never
     * throws: when the directory cannot be used, the cache keeps nothing.
     */
    static JdkClassCache open(Path dir, String key, boolean debug) {
        try {
            if (!safeDirectory(dir)) {
                if (debug) {
                    Messages.debug("cache: not using " + dir + ": it is not a directory that only this user can write");
                }
                return off();
            }
            JdkClassCache cache = new JdkClassCache(dir.resolve(fileName(key)), key, debug);
            cache.read();
            return cache;
        } catch (IOException | RuntimeException e) {
            if (debug) {
                Messages.debug("cache: not using " + dir + ": " + e);
            }
            return off();
        }
    }

    /** The key of this JVM: what the cached facts depend on; null when there is no runtime image to key on. */
    static String key(String agentJar, String options) {
        StringBuilder sb = new StringBuilder();
        sb.append("format=").append(FORMAT).append('\n');
        sb.append("agent=").append(agentJar).append('\n');
        sb.append("options=").append(options).append('\n');
        for (String property : new String[] {"java.home", "java.vm.version", "java.runtime.version", "java.vm.info"}) {
            sb.append(property).append('=').append(System.getProperty(property)).append('\n');
        }
        for (String property : System.getProperties().stringPropertyNames()) {
            if (property.startsWith("jdk.module.patch") || property.startsWith("jdk.module.upgrade")) {
                return null; // JDK classes that are not the runtime image's
            }
        }
        File modules = new File(new File(System.getProperty("java.home"), "lib"), "modules");
        if (!modules.isFile()) {
            return null;
        }
        sb.append("modules=").append(modules.length()).append('@').append(modules.lastModified()).append('\n');
        return sb.toString();
    }

    private static String fileName(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return "jdk-" + Long.toHexString(crc(bytes, 0, bytes.length)) + "-" + Integer.toHexString(key.hashCode())
                + ".cache";
    }

    /** The directory exists (or is made) and only this user can write it: nobody else may plant class files there. */
    private static boolean safeDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.getFileAttributeView(dir.toAbsolutePath().getParent(), PosixFileAttributeView.class) != null) {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS); // no POSIX owner to check (Windows)
        }
        PosixFileAttributes attributes = view.readAttributes();
        Set<PosixFilePermission> permissions = attributes.permissions();
        return attributes.isDirectory()
                && attributes.owner().getName().equals(System.getProperty("user.name"))
                && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    boolean isOn() {
        return file != null;
    }

    /**
     * Gives the cached sites their ids; must come before anything registers a site. Cached rewritten bytes are served
     * only if that worked.
     */
    synchronized void replaySites() {
        if (file == null) {
            return;
        }
        usable = sites.isEmpty() || Sites.replay(sites);
        if (!usable) {
            if (debug) {
                Messages.debug("cache: code sites were registered before the cache was read; its rewritten classes"
                        + " are not used");
            }
            return;
        }
        for (Sites.SiteCall call : sites) {
            if (call.kind == Sites.SiteCall.CODE) {
                codeSitesUsed++;
            } else {
                allocationSitesUsed++;
            }
        }
    }

    /**
     * The JDK classes the rewriting path loads, to be loaded before it first runs inside class loading; null when not
     * known.
     */
    synchronized List<String> rewriterClasses() {
        return rewriterClasses;
    }

    synchronized void recordRewriterClasses(List<String> classes) {
        if (usable) {
            rewriterClasses = new ArrayList<>(classes);
            dirty = true;
        }
    }

    /** Whether the class (binary name) takes monitors; null when not known. */
    synchronized Boolean hasMonitorOperations(String className) {
        return monitorVerdicts.get(className);
    }

    synchronized void recordMonitorOperations(String className, boolean monitors) {
        if (file != null && !Boolean.valueOf(monitors).equals(monitorVerdicts.put(className, monitors))) {
            dirty = true;
        }
    }

    /**
     * The transformer's result for this class file when it is cached: sets {@code found[0]} and returns the rewritten
     * bytes (null for "unchanged"). A class file that is not byte for byte the one cached is not found.
     */
    synchronized byte[] rewritten(String internalName, boolean atLoad, byte[] classFile, boolean[] found) {
        found[0] = false;
        Rewrite r = usable ? rewrites.get(rewriteKey(internalName, atLoad)) : null;
        if (r == null || r.crc != crc(classFile, 0, classFile.length)) {
            return null;
        }
        if (r.length < 0) {
            found[0] = true;
            return null;
        }
        byte[] bytes = bytes(r);
        found[0] = bytes != null;
        return bytes; // the JVM reads what a transformer returns, never writes it
    }

    /**
     * Records the transformer's result (null: unchanged) for a JDK class file, and that every site it names is among
     * those registered so far.
     */
    synchronized void recordRewrite(String internalName, boolean atLoad, byte[] classFile, byte[] rewritten) {
        if (!usable || pendingBytes > PENDING_LIMIT) {
            return;
        }
        int[] counts = Sites.counts();
        long crc = crc(classFile, 0, classFile.length);
        rewrites.put(rewriteKey(internalName, atLoad), rewritten == null ? new Rewrite(crc, -1, 0L, -1L, null)
                : new Rewrite(crc, rewritten.length, crc(rewritten, 0, rewritten.length), -1L, rewritten));
        pendingBytes += rewritten == null ? 0 : rewritten.length;
        codeSitesUsed = Math.max(codeSitesUsed, counts[0]);
        allocationSitesUsed = Math.max(allocationSitesUsed, counts[1]);
        dirty = true;
    }

    private static String rewriteKey(String internalName, boolean atLoad) {
        return (atLoad ? "l:" : "r:").concat(internalName);
    }

    /** A cached class file, from memory or from the file (checked against its CRC); null when it cannot be read. */
    private byte[] bytes(Rewrite r) {
        if (r.bytes != null) {
            return r.bytes;
        }
        try {
            byte[] bytes = new byte[r.length];
            data.seek(dataStart + r.offset);
            data.readFully(bytes);
            return crc(bytes, 0, bytes.length) == r.bytesCrc ? bytes : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long crc(byte[] bytes, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, length);
        return crc.getValue();
    }

    /** Writes the file when something new was learnt; never throws. */
    synchronized void save() {
        if (file == null || !dirty) {
            return;
        }
        dirty = false;
        Path temporary = null;
        try {
            temporary = Files.createTempFile(file.getParent(), "jdk-", ".tmp");
            long length = write(temporary);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            keepRecentFiles();
            if (debug) {
                Messages.debug("cache: wrote " + file + " (" + length + " bytes: " + monitorVerdicts.size()
                        + " classes known, " + rewrites.size() + " class files)");
            }
        } catch (IOException | RuntimeException e) {
            if (debug) {
                Messages.debug("cache: cannot write " + file + ": " + e);
            }
        } finally {
            try {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    /**
     * Layout: magic, format, key, the index's length, the index, its CRC-32, then the class files one after the other.
     * The index: the sites, the rewriter's JDK classes (-1: unknown), the monitor verdicts, and per result its name,
     * the CRC-32 of the class file given, the length of the class file returned (-1: unchanged), its CRC-32 and offset.
     */
    private long write(Path to) throws IOException {
        List<Sites.SiteCall> registered = new ArrayList<>();
        int codes = 0;
        int allocations = 0;
        for (Sites.SiteCall call : Sites.calls()) {
            if (call.kind == Sites.SiteCall.CODE ? codes++ < codeSitesUsed : allocations++ < allocationSitesUsed) {
                registered.add(call);
            }
        }
        ByteArrayOutputStream indexBytes = new ByteArrayOutputStream(64 * 1024);
        DataOutputStream index = new DataOutputStream(indexBytes);
        index.writeInt(registered.size());
        for (Sites.SiteCall call : registered) {
            index.writeByte(call.kind);
            writeString(index, call.owner);
            writeString(index, call.method);
            writeString(index, call.sourceFile);
            index.writeInt(call.number);
            writeString(index, call.fieldOwner);
            writeString(index, call.fieldName);
        }
        index.writeInt(rewriterClasses == null ? -1 : rewriterClasses.size());
        if (rewriterClasses != null) {
            for (String name : rewriterClasses) {
                writeString(index, name);
            }
        }
        index.writeInt(monitorVerdicts.size());
        for (Map.Entry<String, Boolean> e : monitorVerdicts.entrySet()) {
            writeString(index, e.getKey());
            index.writeBoolean(e.getValue());
        }
        List<byte[]> classFiles = new ArrayList<>();
        long offset = 0;
        index.writeInt(rewrites.size());
        for (Map.Entry<String, Rewrite> e : rewrites.entrySet()) {
            Rewrite r = e.getValue();
            byte[] bytes = r.length < 0 ? null : bytes(r);
            writeString(index, e.getKey());
            index.writeLong(r.crc);
            index.writeInt(bytes == null ? -1 : bytes.length); // a class file that cannot be read is dropped
            index.writeLong(r.bytesCrc);
            index.writeLong(offset);
            if (bytes != null) {
                classFiles.add(bytes);
                offset += bytes.length;
            }
        }
        index.flush();
        byte[] indexArray = indexBytes.toByteArray();
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(to)))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            writeString(out, key);
            out.writeInt(indexArray.length);
            out.write(indexArray);
            out.writeLong(crc(indexArray, 0, indexArray.length));
            for (byte[] classFile : classFiles) {
                out.write(classFile);
            }
            return out.size();
        }
    }

    private void read() throws IOException {
        File f = file.toFile();
        if (!f.isFile()) {
            return;
        }
        RandomAccessFile in = new RandomAccessFile(f, "r");
        boolean keep = false;
        try {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                return;
            }
            byte[] keyBytes = new byte[in.readUnsignedShort()];
            in.readFully(keyBytes);
            int indexLength = in.readInt();
            if (!new String(keyBytes, StandardCharsets.UTF_8).equals(key) || indexLength < 0
                    || indexLength > in.length()) {
                return;
            }
            byte[] indexArray = new byte[indexLength];
            in.readFully(indexArray);
            if (in.readLong() != crc(indexArray, 0, indexArray.length)) {
                return; // damaged: ignored, and replaced by the next write
            }
            Index index = new Index(indexArray);
            List<Sites.SiteCall> registrations = new ArrayList<>();
            for (int n = index.readInt(); n > 0; n--) {
                registrations.add(new Sites.SiteCall(index.readByte(), index.readString(), index.readString(),
                        index.readString(), index.readInt(), index.readString(), index.readString()));
            }
            int rewriterCount = index.readInt();
            List<String> classes = rewriterCount < 0 ? null : new ArrayList<String>();
            for (int n = rewriterCount; n > 0; n--) {
                classes.add(index.readString());
            }
            Map<String, Boolean> verdicts = new HashMap<>();
            for (int n = index.readInt(); n > 0; n--) {
                verdicts.put(index.readString(), index.readByte() != 0);
            }
            Map<String, Rewrite> results = new HashMap<>();
            for (int n = index.readInt(); n > 0; n--) {
                String name = index.readString();
                results.put(name, new Rewrite(index.readLong(), index.readInt(), index.readLong(), index.readLong(),
                        null));
            }
            sites = registrations;
            rewriterClasses = classes;
            monitorVerdicts.putAll(verdicts);
            rewrites.putAll(results);
            data = in;
            dataStart = in.getFilePointer();
            keep = true;
        } finally {
            if (!keep) {
                in.close();
            }
        }
    }

    /** A string as its UTF-8 length (0xFFFF for null) and bytes: read back without decoding char by char. */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeShort(0xFFFF);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 0xFFFF) {
            throw new IOException("name too long for the cache: " + s.length() + " characters");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    /** Reads the index as {@link #write} wrote it; a short or malformed index fails with an unchecked exception. */
    private static final class Index {
        private final byte[] bytes;
        private int at;

        Index(byte[] bytes) {
            this.bytes = bytes;
        }

        int readByte() {
            return bytes[at++];
        }

        int readInt() {
            int v = ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                    | (bytes[at + 3] & 0xFF);
            at += 4;
            return v;
        }

        long readLong() {
            long high = readInt();
            return (high << 32) | (readInt() & 0xFFFFFFFFL);
        }

        String readString() {
            int length = ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
            at += 2;
            if (length == 0xFFFF) {
                return null;
            }
            String s = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return s;
        }
    }

    /** Deletes the oldest cache files beyond {@link #FILES_KEPT} (other JDK builds, agent jars, options). */
    private void keepRecentFiles() throws IOException {
        final Map<Path, Long> times = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent(), "jdk-*.cache")) {
            for (Path p : dir) {
                times.put(p, Files.getLastModifiedTime(p).toMillis());
            }
        }
        if (times.size() <= FILES_KEPT) {
            return;
        }
        List<Path> files = new ArrayList<>(times.keySet());
        files.sort(new Comparator<Path>() {
            @Override
            public int compare(Path a, Path b) {
                return Long.compare(times.get(b), times.get(a)); // newest first
            }
        });
        for (Path p : files.subList(FILES_KEPT, files.size())) {
            Files.deleteIfExists(p);
        }
    }
}
