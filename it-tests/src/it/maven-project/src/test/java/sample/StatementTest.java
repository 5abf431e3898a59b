package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Nested monitors, always in one order: nothing to report. */
class StatementTest {
    private final Object statement = new Object();
    private final StringBuilder lines = new StringBuilder();

    @Test
    void printsUnderTheStatementThenTheLinesMonitor() {
        for (int i = 0; i < 3; i++) {
            synchronized (statement) {
                synchronized (lines) {
                    lines.append(i);
                }
            }
        }
        assertEquals("012", lines.toString());
    }
}
