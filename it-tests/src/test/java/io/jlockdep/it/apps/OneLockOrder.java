package io.jlockdep.it.apps;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes two locks in the one order its argument names, and nothing else: one JVM alone never sees a cycle, two JVMs
 * given opposite orders together do. The lock classes are named by their fields, so they are the same in every JVM.
 */
public final class OneLockOrder {
    static final class Account {
        final ReentrantLock balanceLock = new ReentrantLock();
    }

    static final class Ledger {
        final ReentrantLock entriesLock = new ReentrantLock();
    }

    public static void main(String[] args) {
        Account account = new Account();
        Ledger ledger = new Ledger();
        switch (args[0]) {
            case "account-then-ledger":
                accountThenLedger(account, ledger);
                break;
            case "ledger-then-account":
                ledgerThenAccount(account, ledger);
                break;
            case "both-then-halt":
                // A JVM that dies without running shutdown hooks, after a finding.
                accountThenLedger(account, ledger);
                ledgerThenAccount(account, ledger);
                System.out.println("halting");
                System.out.flush();
                Runtime.getRuntime().halt(3);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("finished " + args[0]);
    }

    static void accountThenLedger(Account account, Ledger ledger) {
        account.balanceLock.lock();
        try {
            ledger.entriesLock.lock();
            ledger.entriesLock.unlock();
        } finally {
            account.balanceLock.unlock();
        }
    }

    static void ledgerThenAccount(Account account, Ledger ledger) {
        ledger.entriesLock.lock();
        try {
            account.balanceLock.lock();
            account.balanceLock.unlock();
        } finally {
            ledger.entriesLock.unlock();
        }
    }
}
