package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Account, then ledger. Alone in its JVM, nothing to report. */
class PostTest {
    @Test
    void postsUnderTheAccountThenTheLedger() {
        Bank.Account account = new Bank.Account();
        Bank.Ledger ledger = new Bank.Ledger();
        Bank.post(account, ledger, 10);
        assertEquals(1, ledger.entries);
    }
}
