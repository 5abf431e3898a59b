package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** Runs under JaCoCo's agent and jlockdep's, with the build's own argLine kept. */
class TransferTest {
    static final class Account {
        final ReentrantLock lock = new ReentrantLock();
    }

    static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
    }

    @Test
    void theBuildsOwnArgLineIsKept() {
        assertEquals("kept", System.getProperty("sample.argline"));
    }

    @Test
    void postsThenAuditsInTheOtherOrder() {
        Account account = new Account();
        Ledger ledger = new Ledger();
        int steps = 0;
        account.lock.lock();
        ledger.lock.lock();
        steps++;
        ledger.lock.unlock();
        account.lock.unlock();
        ledger.lock.lock();
        account.lock.lock();
        steps++;
        account.lock.unlock();
        ledger.lock.unlock();
        assertEquals(2, steps);
    }
}
