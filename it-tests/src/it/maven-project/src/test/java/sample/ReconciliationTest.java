package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The inversion is in @BeforeAll, outside any test: the class fails, its test passes. */
class ReconciliationTest {
    static final class Book {
        final Object pages = new Object();
    }

    static final class Index {
        final Object entries = new Object();
    }

    static int opened;

    @BeforeAll
    static void openBooks() {
        Book book = new Book();
        Index index = new Index();
        synchronized (book.pages) {
            synchronized (index.entries) {
                opened++;
            }
        }
        synchronized (index.entries) {
            synchronized (book.pages) {
                opened++;
            }
        }
    }

    @Test
    void bothBooksWereOpened() {
        assertEquals(2, opened);
    }
}
