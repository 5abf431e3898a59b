package io.jlockdep.agent;

import io.jlockdep.runtime.lockclass.Sites;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JDK classes as the agent rewrote them, kept beside the {@link JdkClassCache} (same directory, same rules: not
 * used when other users can write the directory, written whole and renamed, a damaged or foreign file ignored with a
 * debug line and replaced). Rewriting the few dozen JDK classes with monitors that are loaded before main costs most
 * of the agent's start-up, with the JIT still cold; a later JVM of the same JDK build, agent jar and rewriting options
 * ({@link #key}) takes the bytes from here instead, when the class file it is offered has the CRC-32 of the one that
 * was rewritten.
 *
 * <p>Why cached bytes stay right: the rewriters are functions of the class file, its name, whether it is a first
 * definition (only then may method modifiers change), whether the class is in scope, and the options in the key; they
 * consult no run-time state (which types lock themselves is a fixed list in the agent jar) except one: the ids of
 * {@link Sites} baked into the bytecode, given out in registration order. So each class is kept with the registrations
 * its rewrite made (arguments and ids), and at premain, before anything else registers a site, {@link Sites#restore}
 * puts all of them back at their ids. When that is refused, no cached bytes are used in this JVM, and what it saves
 * has only its own classes. Classes rewritten later in a JVM that restored get ids after the restored ones, so
 * everything one file holds comes from one consistent table.
 *
 * <p>Trust: unlike the verdicts, these are class files the JVM runs, inside the JDK's own classes. The CRC-32s only
 * catch accidents (a torn or stale file), not tampering: anyone who can write the file can write a matching checksum.
 * The file is as trusted as the directory it is in, which must be the user's own: it is refused when other users can
 * write it. Whoever can write it can already change what this user's JVMs run in other ways; {@code cache=off}
 * keeps no class files at all.
 *
 * <p>One file per agent jar path, JDK home and rewriting options ({@link #withoutSizesAndTimes}).
 *
 * <p>Format (binary, {@link DataOutputStream}'s big-endian numbers; strings as their UTF-8 length, -1 for null, and
 * bytes): the header, the key, the number of classes, per class its name, flags, the CRC-32 of the class file it was
 * rewritten from, the rewritten bytes and its registrations; then the CRC-32 of everything before it.
 */
final class RewrittenClassCache {
    private static final String HEADER = "jlockdep-rewritten-jdk-classes 2";
    /** Flags of an entry: rewritten as the class was first defined (else retransformed), and in the checked scope. */
    static final int FIRST_DEFINITION = 1;
    static final int CHECKED = 2;
    /**
     * The rewritten bytes this JVM keeps at most (for the file), so that a program that loads ever more JDK classes
     * does not hold ever more memory for the cache; beyond it, classes are still rewritten, only not kept.
     */
    private static final long MAX_KEPT_BYTES = 16L << 20;

    private final Path file;
    private final String key;
    private final boolean debug;
    /** Flags and binary name to the entry. */
    private final Map<String, Entry> entries = new HashMap<>();
    private boolean dirty;
    private int hits;
    private long keptBytes;

    private static final class Entry {
        final String className;
        final int flags;
        final long originalCrc;
        final byte[] rewritten;
        final List<Sites.Registration> registrations;
        /** Read from the file (else rewritten in this JVM). */
        final boolean read;

        Entry(String className, int flags, long originalCrc, byte[] rewritten, List<Sites.Registration> registrations,
              boolean read) {
            this.read = read;
            this.className = className;
            this.flags = flags;
            this.originalCrc = originalCrc;
            this.rewritten = rewritten;
            this.registrations = registrations;
        }
    }

    private RewrittenClassCache(Path file, String key, boolean debug) {
        this.file = file;
        this.key = key;
        this.debug = debug;
    }

    static RewrittenClassCache off() {
        return new RewrittenClassCache(null, null, false);
    }

    /**
     * The cache beside the verdicts, for the rewriting options; its entries' sites restored. Must be called before
     * anything registers a site. Never throws; off when the verdict cache is.
     */
    static RewrittenClassCache open(JdkClassCache verdicts, boolean markAcquired, boolean lockStat, boolean debug) {
        return open(verdicts, markAcquired, lockStat, debug, new Predicate<List<Sites.Registration>>() {
            @Override
            public boolean test(List<Sites.Registration> registrations) {
                return Sites.restore(registrations);
            }
        });
    }

    /** {@link #open}, with what restores the sites of the file's classes (the tests' own, Sites being per JVM). */
    static RewrittenClassCache open(JdkClassCache verdicts, boolean markAcquired, boolean lockStat, boolean debug,
                                    Predicate<List<Sites.Registration>> restoreSites) {
        if (!verdicts.isOn()) {
            return off();
        }
        String key = key(verdicts.key(), markAcquired, lockStat);
        byte[] name = withoutSizesAndTimes(key).getBytes(StandardCharsets.UTF_8);
        RewrittenClassCache cache = new RewrittenClassCache(verdicts.directory().resolve(
                "jdk-" + Long.toHexString(JdkClassCache.crc(name, name.length)) + ".rewritten"), key, debug);
        cache.read(restoreSites);
        return cache;
    }

    /** The verdicts' key (JDK build, agent jar) and every option that changes the rewritten bytes. */
    static String key(String verdictKey, boolean markAcquired, boolean lockStat) {
        return verdictKey + " markAcquired=" + markAcquired + " lockStat=" + lockStat;
    }

    /**
     * The key without the agent jar's and the runtime image's sizes and times ({@code @<digits>}): what names the file.
     * A rebuilt agent jar or an updated JDK at the same place then replaces its file (the key inside tells them apart)
     * instead of leaving one more megabyte-sized file behind.
     */
    static String withoutSizesAndTimes(String key) {
        StringBuilder name = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '@') {
                while (i + 1 < key.length() && (Character.isDigit(key.charAt(i + 1)) || key.charAt(i + 1) == '-')) {
                    i++;
                }
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    boolean isOn() {
        return file != null;
    }

    /** The bytes kept for this class file, or null: none kept, or kept for another class file. */
    byte[] rewritten(String className, int flags, byte[] classFile) {
        Entry entry;
        synchronized (this) {
            entry = entries.get(entryKey(className, flags));
        }
        if (entry == null || entry.originalCrc != JdkClassCache.crc(classFile, classFile.length)) {
            return null;
        }
        if (entry.read) {
            synchronized (this) {
                hits++;
            }
        }
        return entry.rewritten;
    }

    /** Keeps what a rewrite of this class file made, with the site registrations it made. */
    void keep(String className, int flags, byte[] classFile, byte[] rewritten,
              List<Sites.Registration> registrations) {
        if (file == null) {
            return;
        }
        Entry entry = new Entry(className, flags, JdkClassCache.crc(classFile, classFile.length), rewritten,
                registrations, false);
        synchronized (this) {
            if (keptBytes + rewritten.length > MAX_KEPT_BYTES) {
                return;
            }
            keptBytes += rewritten.length;
            entries.put(entryKey(className, flags), entry);
            dirty = true;
        }
    }

    /** How many classes were taken from what the file held, so far. */
    synchronized int hits() {
        return hits;
    }

    private static String entryKey(String className, int flags) {
        return flags + className;
    }

    /** Writes the file when something new was kept; never throws. The file is written outside the cache's lock. */
    void save() {
        List<Entry> all;
        synchronized (this) {
            if (file == null || !dirty) {
                return;
            }
            dirty = false;
            all = new ArrayList<>(entries.values());
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            DataOutputStream out = new DataOutputStream(bytes);
            writeNullable(out, HEADER);
            writeNullable(out, key);
            out.writeInt(all.size());
            for (Entry e : all) {
                writeNullable(out, e.className);
                out.writeByte(e.flags);
                out.writeLong(e.originalCrc);
                out.writeInt(e.rewritten.length);
                out.write(e.rewritten);
                out.writeInt(e.registrations.size());
                for (Sites.Registration r : e.registrations) {
                    write(out, r);
                }
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            out.writeLong(JdkClassCache.crc(body, body.length));
            out.flush();
            JdkClassCache.writeWhole(file, bytes.toByteArray());
            if (debug) {
                Messages.debug("cache: wrote " + file + " (" + all.size() + " rewritten JDK classes)");
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) { // at exit too: never a stack trace
            if (debug) {
                Messages.debug("cache: cannot write " + file + ": " + e);
            }
        }
    }

    private static void write(DataOutputStream out, Sites.Registration r) throws IOException {
        out.writeByte(r.kind);
        writeNullable(out, r.className);
        writeNullable(out, r.methodName);
        writeNullable(out, r.sourceFile);
        out.writeInt(r.line);
        writeNullable(out, r.fieldOwnerInternalName);
        writeNullable(out, r.fieldName);
        out.writeInt(r.codeSite);
        out.writeInt(r.id);
    }

    /** A string as its length in UTF-8 bytes (-1 for null) and those bytes: read back without a loop per char. */
    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
        } else {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }

    private static String readNullable(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /** Reads a valid file of this key and restores its sites; anything else leaves the cache empty, to be replaced. */
    private void read(Predicate<List<Sites.Registration>> restoreSites) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String problem;
        try {
            problem = parse(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            problem = "cannot read it (" + e + ")";
        }
        if (problem == null) {
            List<Sites.Registration> all = new ArrayList<>();
            for (Entry e : entries.values()) {
                all.addAll(e.registrations);
            }
            if (!restoreSites.test(all)) {
                problem = "its sites cannot be restored (sites were registered before it was read, or it contradicts"
                        + " itself)";
            }
        }
        if (problem != null) {
            entries.clear();
            keptBytes = 0;
            dirty = true; // replaced by this JVM's classes
            if (debug) {
                Messages.debug("cache: ignoring " + file + ": " + problem);
            }
        } else if (debug) {
            Messages.debug("cache: read " + file + " (" + entries.size() + " rewritten JDK classes)");
        }
    }

    /** Null when the bytes were a valid file of this key (then the entries hold them); else what is wrong. */
    private String parse(byte[] bytes) {
        if (bytes.length < 8) {
            return "it is cut short";
        }
        long stored = 0;
        for (int i = bytes.length - 8; i < bytes.length; i++) {
            stored = (stored << 8) | (bytes[i] & 0xff);
        }
        if (stored != JdkClassCache.crc(bytes, bytes.length - 8)) {
            return "it is damaged (its checksum does not match)";
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 8);
        if (!HEADER.equals(readNullable(in))) {
            return "it is not a jlockdep cache file of this version";
        }
        if (!key.equals(readNullable(in))) {
            return "it was written for another JDK build, agent or rewriting options";
        }
        for (int count = in.getInt(); count > 0; count--) {
            String className = readNullable(in);
            int flags = in.get();
            long originalCrc = in.getLong();
            int length = in.getInt();
            if (className == null || length < 0 || length > in.remaining()) {
                return "a class's length is wrong";
            }
            byte[] rewritten = new byte[length];
            in.get(rewritten);
            List<Sites.Registration> registrations = new ArrayList<>();
            for (int n = in.getInt(); n > 0; n--) {
                registrations.add(new Sites.Registration(in.get(), readNullable(in), readNullable(in),
                        readNullable(in), in.getInt(), readNullable(in), readNullable(in), in.getInt(),
                        in.getInt()));
            }
            keptBytes += rewritten.length;
            entries.put(entryKey(className, flags), new Entry(className, flags, originalCrc, rewritten, registrations,
                    true));
        }
        return in.remaining() == 0 ? null : "it has bytes after its last class";
    }
}
