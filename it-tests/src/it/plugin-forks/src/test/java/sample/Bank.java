package sample;

import java.util.concurrent.locks.ReentrantLock;

/** Two lock classes, keyed by their fields: the same classes in every JVM that runs this code. */
final class Bank {
    static final class Account {
        final ReentrantLock lock = new ReentrantLock();
        long balance;
    }

    static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
        int entries;
    }

    private Bank() {
    }

    /** Takes the account's lock, then the ledger's. */
    static void post(Account account, Ledger ledger, long amount) {
        account.lock.lock();
        try {
            account.balance += amount;
            ledger.lock.lock();
            try {
                ledger.entries++;
            } finally {
                ledger.lock.unlock();
            }
        } finally {
            account.lock.unlock();
        }
    }

    /** Takes the ledger's lock, then the account's: the other order. */
    static long audit(Ledger ledger, Account account) {
        ledger.lock.lock();
        try {
            account.lock.lock();
            try {
                return account.balance;
            } finally {
                account.lock.unlock();
            }
        } finally {
            ledger.lock.unlock();
        }
    }
}
