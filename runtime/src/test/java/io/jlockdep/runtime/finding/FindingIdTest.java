package io.jlockdep.runtime.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The recipe of a finding's id: what changes it and what does not. */
class FindingIdTest {
    private static final String A = "field:com/x/Account.lock";
    private static final String B = "field:com/x/Ledger.lock";
    private static final String C = "site:java/util/concurrent/locks/ReentrantLock@com.x.Cache.<init>(Cache.java:42)";

    @Test
    void aCycleHasOneIdWhicheverClassItIsReadFrom() {
        String id = FindingId.fromRing("circular-dependency", List.of(A, B, C));
        assertEquals(id, FindingId.fromRing("circular-dependency", List.of(B, C, A)));
        assertEquals(id, FindingId.fromRing("circular-dependency", List.of(C, A, B)));
        assertNotEquals(id, FindingId.fromRing("circular-dependency", List.of(A, C, B)), "another direction, another"
                + " cycle");
    }

    @Test
    void lineNumbersDoNotCountSoEditsElsewhereInTheFileKeepTheId() {
        String moved = C.replace("Cache.java:42", "Cache.java:57");
        assertEquals(FindingId.fromRing("circular-dependency", List.of(A, C)),
                FindingId.fromRing("circular-dependency", List.of(A, moved)));
        assertEquals("site:x@com.x.Cache.<init>(Cache.java)",
                FindingId.withoutLineNumbers("site:x@com.x.Cache.<init>(Cache.java:42)"));
        assertEquals("explicit:MONITOR:a:1", FindingId.withoutLineNumbers("explicit:MONITOR:a:1"), "only (File:line)");
    }

    @Test
    void aCycleAmongInstancesOfOneClassIsThatClassWhateverItsLength() {
        assertEquals(FindingId.fromRing("circular-dependency", List.of(A, A)),
                FindingId.fromRing("circular-dependency", List.of(A, A, A, A, A)));
        assertNotEquals(FindingId.fromRing("circular-dependency", List.of(A, A)),
                FindingId.fromRing("circular-dependency", List.of(B, B)));
    }

    @Test
    void theKindIsPartOfItAndReadableInFront() {
        String cycle = FindingId.fromRing("circular-dependency", List.of(A, B));
        String deadlock = FindingId.fromRing("deadlock", List.of(A, B));
        assertTrue(cycle.matches("circular-dependency-[0-9a-f]{16}"), cycle);
        assertTrue(deadlock.startsWith("deadlock-"), deadlock);
        assertNotEquals(cycle.substring(cycle.length() - 16), deadlock.substring(deadlock.length() - 16));
        assertNotEquals(FindingId.fromSubjects("wait-notify", List.of(A, B)),
                FindingId.fromSubjects("wait-notify", List.of(B, A)), "waiting on A holding B is another bug");
    }

    @Test
    void theIdOfAGivenCycleNeverChanges() {
        // Suppression files name these: a change of the recipe must change its version (FindingId.RECIPE).
        assertEquals("circular-dependency-1b95468cd80b0498", FindingId.fromRing("circular-dependency", List.of(A, B)));
    }

    @Test
    void wellFormedIds() {
        assertTrue(FindingId.isWellFormed("circular-dependency-9f3c0a6b51d2e847"));
        assertTrue(FindingId.isWellFormed("wait-notify-0000000000000000"));
        assertFalse(FindingId.isWellFormed("circular-dependency-9f3c0a6b51d2e84"), "15 digits");
        assertFalse(FindingId.isWellFormed("circular-dependency-9F3C0A6B51D2E847"), "upper case");
        assertFalse(FindingId.isWellFormed("-9f3c0a6b51d2e847"), "no kind");
        assertFalse(FindingId.isWellFormed("Circular-9f3c0a6b51d2e847"));
    }
}
