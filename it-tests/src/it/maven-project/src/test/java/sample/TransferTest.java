package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The second test takes the two locks in the order opposite to the first: a deadlock waiting to happen. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferTest {
    static final class Account {
        final ReentrantLock lock = new ReentrantLock();
        long balance;
    }

    static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
        int entries;
    }

    private final Account account = new Account();
    private final Ledger ledger = new Ledger();

    @Test
    @Order(1)
    void postsToTheLedgerWhileHoldingTheAccount() {
        account.lock.lock();
        try {
            account.balance += 10;
            ledger.lock.lock();
            try {
                ledger.entries++;
            } finally {
                ledger.lock.unlock();
            }
        } finally {
            account.lock.unlock();
        }
        assertEquals(1, ledger.entries);
    }

    @Test
    @Order(2)
    void auditsTheAccountWhileHoldingTheLedger() {
        ledger.lock.lock();
        try {
            account.lock.lock();
            try {
                assertEquals(0, account.balance);
            } finally {
                account.lock.unlock();
            }
        } finally {
            ledger.lock.unlock();
        }
    }

    @Test
    @Order(3)
    void depositsUnderTheAccountLockAlone() {
        account.lock.lock();
        try {
            account.balance += 5;
        } finally {
            account.lock.unlock();
        }
        assertEquals(5, account.balance);
    }
}
