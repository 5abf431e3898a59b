package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Ledger, then account: in its own JVM no cycle, but with PostTest's JVM a deadlock waiting to happen. */
class AuditTest {
    @Test
    void auditsUnderTheLedgerThenTheAccount() {
        assertEquals(0, Bank.audit(new Bank.Ledger(), new Bank.Account()));
    }
}
