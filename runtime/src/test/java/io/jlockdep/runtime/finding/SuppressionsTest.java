package io.jlockdep.runtime.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suppression file: its format, its one-line errors, and baselines added to it. */
class SuppressionsTest {
    private static final String ID1 = "circular-dependency-9f3c0a6b51d2e847";
    private static final String ID2 = "wait-notify-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void oneIdAndItsReasonPerLineWithCommentsAndBlankLines() throws Exception {
        Suppressions s = Suppressions.parse("# accepted findings\n\n" + ID1 + "   Ledger before Account since JIRA-1\n"
                + "  # indented comment\r\n\t" + ID2 + "\tthe notifier never holds it in production\r\n", "s.txt");
        assertEquals("Ledger before Account since JIRA-1", s.reasonFor(ID1));
        assertEquals("the notifier never holds it in production", s.reasonFor(ID2));
        assertNull(s.reasonFor("deadlock-0123456789abcdef"));
        assertNull(s.reasonFor(null));
        assertEquals(2, s.entries().size());
    }

    @Test
    void aBadLineIsOneMessageNamingTheFileAndTheLine() {
        assertEquals("s.txt: line 2: " + ID1 + " has no reason: write after the id why this finding is accepted",
                bad("# x\n" + ID1 + "\n"));
        assertEquals("s.txt: line 1: 'Account.lock' is not a finding id (a kind and 16 hex digits, such as"
                + " circular-dependency-9f3c0a6b51d2e847, as reports print it)", bad("Account.lock some reason\n"));
        assertEquals("s.txt: line 3: " + ID1 + " is listed twice (first on line 1)",
                bad(ID1 + " a\n" + ID2 + " b\n" + ID1 + " c\n"));
        assertEquals("s.txt: line 1: longer than 4096 characters", bad(ID1 + " " + "x".repeat(5000)));
    }

    @Test
    void aMissingOrForeignFileIsOneLine() throws Exception {
        assertEquals(dir.resolve("none.txt") + ": no such file", assertThrows(Suppressions.BadFileException.class,
                () -> Suppressions.read(dir.resolve("none.txt"))).getMessage());
        Path binary = Files.write(dir.resolve("b.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertEquals(binary + ": not UTF-8 text: not a suppression file", assertThrows(
                Suppressions.BadFileException.class, () -> Suppressions.read(binary)).getMessage());
        assertEquals(dir + ": is a directory, not a suppression file", assertThrows(
                Suppressions.BadFileException.class, () -> Suppressions.read(dir)).getMessage());
    }

    @Test
    void aBaselineCreatesTheFileThenOnlyAddsWhatIsNewKeepingEditedLines() throws Exception {
        Path file = dir.resolve("baseline.txt");
        Map<String, String> run1 = new LinkedHashMap<>();
        run1.put(ID1, "baseline: possible circular locking dependency: A -> B -> A");
        assertEquals(1, Suppressions.addAll(file, run1, Suppressions.header("Written by a test")));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("# jlockdep suppression file"), text);
        assertTrue(text.endsWith("\n" + ID1 + " baseline: possible circular locking dependency: A -> B -> A\n"), text);

        Files.writeString(file, text.replace("baseline: possible", "reviewed: possible"), StandardCharsets.UTF_8);
        Map<String, String> run2 = new LinkedHashMap<>(run1);
        run2.put(ID2, "baseline: possible wait/notify deadlock: X, Y");
        assertEquals(1, Suppressions.addAll(file, run2, "# unused\n"));
        Suppressions s = Suppressions.read(file);
        assertEquals("reviewed: possible circular locking dependency: A -> B -> A", s.reasonFor(ID1), "kept as edited");
        assertEquals("baseline: possible wait/notify deadlock: X, Y", s.reasonFor(ID2));
        assertEquals(0, Suppressions.addAll(file, run2, "# unused\n"), "nothing new");
    }

    @Test
    void aBaselineRefusesToRewriteABrokenFile() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.txt"), "not an id\n", StandardCharsets.UTF_8);
        assertThrows(Suppressions.BadFileException.class,
                () -> Suppressions.addAll(file, Map.of(ID1, "baseline: x"), "# h\n"));
        assertEquals("not an id\n", Files.readString(file, StandardCharsets.UTF_8), "left as it was");
    }

    private static String bad(String text) {
        return assertThrows(Suppressions.BadFileException.class, () -> Suppressions.parse(text, "s.txt"))
                .getMessage();
    }
}
