package io.jlockdep.it.apps;

/**
 * Accounts that lock themselves, opened at two places (checking and savings): each place is a lock class of its own.
 * Each account's constructor opens its ledger, which locks itself too (a construction inside a construction). A
 * transfer locks the source account, then the target. The argument picks the case: {@code one-order} (checking before
 * savings only: no cycle), {@code both-orders} (savings before checking too: a cycle between the two sites).
 */
public final class AllocationSites {
    private AllocationSites() {
    }

    static final class Ledger {
        private long entries;

        synchronized void add() {
            entries++;
        }
    }

    static final class Account {
        private final Ledger ledger;
        private long balance;

        Account() {
            ledger = new Ledger(); // ledger
        }

        synchronized void transferTo(Account target, long amount) {
            balance -= amount;
            ledger.add();
            target.deposit(amount);
        }

        synchronized void deposit(long amount) {
            balance += amount;
        }
    }

    /** Opens accounts; rewritten by the agent for its synchronized count, its allocations get the site hint. */
    static final class Bank {
        private static int opened;

        static Account checking() {
            count();
            return new Account(); // checking
        }

        static Account savings() {
            count();
            return new Account(); // savings
        }

        static synchronized void count() {
            opened++;
        }
    }

    /** Transfers from a new checking account to a new savings account. */
    public static final int TRANSFERS = 1000;

    public static void main(String[] args) {
        String kind = args[0];
        for (int i = 0; i < TRANSFERS; i++) {
            Bank.checking().transferTo(Bank.savings(), 1);
        }
        if (kind.equals("both-orders")) {
            Bank.savings().transferTo(Bank.checking(), 1);
        }
        System.out.println("finished " + kind);
    }
}
