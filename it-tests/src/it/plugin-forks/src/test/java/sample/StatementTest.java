package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Two monitors taken in both orders within one JVM: its own finding. */
class StatementTest {
    static final class Statement {
        final Object pages = new Object();
    }

    static final class Index {
        final Object entries = new Object();
    }

    @Test
    void printsAndIndexesInOppositeOrders() {
        Statement statement = new Statement();
        Index index = new Index();
        int done = 0;
        synchronized (statement.pages) {
            synchronized (index.entries) {
                done++;
            }
        }
        synchronized (index.entries) {
            synchronized (statement.pages) {
                done++;
            }
        }
        assertEquals(2, done);
    }
}
