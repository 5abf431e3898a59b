package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A unit test (Surefire): nested monitors, always in one order, nothing to report. */
class LedgerTest {
    private final Object ledger = new Object();
    private final Object entries = new Object();

    @Test
    void postsUnderTheLedgerThenItsEntries() {
        int posted = 0;
        for (int i = 0; i < 3; i++) {
            synchronized (ledger) {
                synchronized (entries) {
                    posted++;
                }
            }
        }
        assertEquals(3, posted);
    }
}
