package io.jlockdep.runtime.finding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A suppression file: the findings a team has looked at and accepts, each with the reason. Plain UTF-8 text, one
 * finding per line, {@code <id> <reason>}: the finding's identifier ({@link FindingId}), then, after spaces, why it
 * is accepted (mandatory). Blank lines and lines whose first non-blank character is {@code #} are comments.
 *
 * <pre>
 * # jlockdep suppressions
 * circular-dependency-9f3c0a6b51d2e847  Ledger is always locked before Account since JIRA-123; old path is dead code
 * </pre>
 *
 * <p>Read by the agent ({@code suppress=<file>}), the {@code merge}, {@code sarif} and {@code baseline} commands, and
 * any build tool: {@code Suppressions.read(path).reasonFor(id)}. Written as a baseline (every finding of a run, each
 * with its headline as the reason) by {@link #addAll}. A bad file is refused whole with one line naming the file, the
 * line and what is wrong ({@link BadFileException}).
 */
public final class Suppressions {
    /** Longer lines are refused: a suppression file holds ids and sentences. */
    static final int MAX_LINE_CHARS = 4096;
    /** Larger files are refused: far more than any team's list of accepted findings. */
    static final long MAX_FILE_BYTES = 16L << 20;

    private static final Suppressions NONE = new Suppressions(Collections.<String, String>emptyMap(), null);

    private final Map<String, String> reasons;
    private final String file;

    private Suppressions(Map<String, String> reasons, String file) {
        this.reasons = reasons;
        this.file = file;
    }

    /** No finding suppressed. */
    public static Suppressions none() {
        return NONE;
    }

    /** A suppression file that cannot be used; the message is one line: {@code <file>: line <n>: <what is wrong>}. */
    public static final class BadFileException extends Exception {
        private static final long serialVersionUID = 1L;

        BadFileException(String message) {
            super(message);
        }
    }

    /** Reads and checks a suppression file. */
    public static Suppressions read(Path file) throws BadFileException {
        return parse(readText(file), file.toString());
    }

    /** Checks the text of a suppression file; {@code file} names it in messages. */
    public static Suppressions parse(String text, String file) throws BadFileException {
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        int number = 0;
        for (String raw : text.split("\n", -1)) {
            number++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.length() > MAX_LINE_CHARS) {
                throw bad(file, number, "longer than " + MAX_LINE_CHARS + " characters");
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int space = 0;
            while (space < trimmed.length() && !Character.isWhitespace(trimmed.charAt(space))) {
                space++;
            }
            String id = trimmed.substring(0, space);
            String reason = trimmed.substring(space).strip();
            if (!FindingId.isWellFormed(id)) {
                throw bad(file, number, "'" + shortened(id) + "' is not a finding id (a kind and 16 hex digits, such"
                        + " as circular-dependency-9f3c0a6b51d2e847, as reports print it)");
            }
            if (reason.isEmpty()) {
                throw bad(file, number, id + " has no reason: write after the id why this finding is accepted");
            }
            Integer first = lineOf.putIfAbsent(id, number);
            if (first != null) {
                throw bad(file, number, id + " is listed twice (first on line " + first + ")");
            }
            reasons.put(id, reason);
        }
        return new Suppressions(Collections.unmodifiableMap(reasons), file);
    }

    /** Why the finding with this id is suppressed, or null when it is not. */
    public String reasonFor(String id) {
        return id == null ? null : reasons.get(id);
    }

    /** The ids and reasons, in the file's order. */
    public Map<String, String> entries() {
        return reasons;
    }

    public boolean isEmpty() {
        return reasons.isEmpty();
    }

    /** The file read, or null for {@link #none()}. */
    public String file() {
        return file;
    }

    /**
     * Adds each finding (id to reason) not listed yet to the suppression file {@code file}, creating it with a header
     * when it does not exist; the lines already there are kept as they are. Several JVMs may add to one file at once
     * (test forks writing one baseline): the file is locked while it is read and rewritten. Returns how many were
     * added.
     */
    public static int addAll(Path file, Map<String, String> findings, String header) throws IOException,
            BadFileException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            String text = decode(readAll(Channels.newInputStream(channel), channel.size(), file.toString()),
                    file.toString());
            Suppressions existing = parse(text, file.toString());
            StringBuilder added = new StringBuilder();
            int count = 0;
            for (Map.Entry<String, String> e : findings.entrySet()) {
                if (existing.reasonFor(e.getKey()) == null && FindingId.isWellFormed(e.getKey())) {
                    added.append(e.getKey()).append(' ').append(oneLine(e.getValue())).append('\n');
                    count++;
                }
            }
            StringBuilder out = new StringBuilder(text);
            if (text.isBlank()) {
                out.setLength(0);
                out.append(header);
            } else if (!text.endsWith("\n")) {
                out.append('\n');
            }
            out.append(added);
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.position(0);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            return count;
        }
    }

    /** The reason a baseline gives a finding: its headline, marked as taken over from a baseline. */
    public static String baselineReason(String headline) {
        return "baseline: " + headline;
    }

    /** The first lines of a file written by {@link #addAll}: what it is and how to edit it. */
    public static String header(String writer) {
        return "# jlockdep suppression file: findings that are accepted, so they fail nothing.\n"
                + "# One finding per line: <id> <reason>. Lines starting with # are comments.\n"
                + "# " + writer + "; replace the reasons with why each finding is accepted.\n";
    }

    private static String oneLine(String reason) {
        String s = reason == null || reason.isBlank() ? "baseline" : reason.replace('\n', ' ').replace('\r', ' ');
        return s.length() > MAX_LINE_CHARS - 40 ? s.substring(0, MAX_LINE_CHARS - 43) + "..." : s;
    }

    /** The file's text, strictly UTF-8. */
    private static String readText(Path file) throws BadFileException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new BadFileException(name + ": is a directory, not a suppression file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return decode(readAll(in, -1, name), name);
        } catch (NoSuchFileException e) {
            throw new BadFileException(name + ": no such file");
        } catch (IOException e) {
            throw new BadFileException(name + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private static byte[] readAll(InputStream in, long size, String name) throws IOException, BadFileException {
        if (size > MAX_FILE_BYTES) {
            throw new BadFileException(name + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB: not a suppression"
                    + " file");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size > 0 ? (int) size : 4096);
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) > 0; ) {
            if (out.size() + n > MAX_FILE_BYTES) {
                throw new BadFileException(name + ": larger than " + (MAX_FILE_BYTES >> 20) + " MiB: not a"
                        + " suppression file");
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static String decode(byte[] bytes, String name) throws BadFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadFileException(name + ": not UTF-8 text: not a suppression file");
        }
    }

    private static BadFileException bad(String file, int line, String what) {
        return new BadFileException(file + ": line " + line + ": " + what);
    }

    private static String shortened(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
