package io.jlockdep.demo.bank;

import io.jlockdep.demo.Meeting;

/** A bank account. Its monitor guards its balance. */
final class Account {
    private final String owner;
    private long balance;

    private Account(String owner, long balance) {
        this.owner = owner;
        this.balance = balance;
    }

    /** Opens an account: the one place accounts are made. */
    static Account open(String owner, long balance) {
        return new Account(owner, balance);
    }

    /**
     * The bug: locks the payer, then the payee, so the order of the two locks depends on the direction of the
     * transfer. A {@code --deadlock} run meets the opposite transfer at {@code meeting}, holding the payer.
     */
    static void transfer(Account from, Account to, long amount, Meeting meeting) {
        synchronized (from) {
            meeting.arrive();
            synchronized (to) {
                from.balance -= amount;
                to.balance += amount;
            }
        }
    }

    @Override
    public synchronized String toString() {
        return owner + " " + balance;
    }
}
