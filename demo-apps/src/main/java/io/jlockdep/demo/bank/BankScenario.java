package io.jlockdep.demo.bank;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Meeting;
import io.jlockdep.demo.Scenario;
import io.jlockdep.demo.Threads;

/**
 * Transfers between two accounts in both directions. A transfer locks the payer's account, then the payee's, so Alice
 * paying Bob locks Alice then Bob, and Bob paying Alice locks Bob then Alice: two instances of one class taken in
 * both orders. Run at different times, both transfers succeed; run at the same time, each holds the account the other
 * needs. The fix: lock the two accounts in one order whatever the direction (for example by account number).
 */
public final class BankScenario implements Scenario {
    @Override
    public String name() {
        return "bank";
    }

    @Override
    public String description() {
        return "transfers between two accounts in both directions: two instances of one class locked in both orders";
    }

    @Override
    public void run() throws InterruptedException {
        Account alice = Account.open("alice", 100);
        Account bob = Account.open("bob", 100);
        Threads.runAlone("alice-pays-bob", () -> Account.transfer(alice, bob, 30, Meeting.NONE));
        System.out.println("alice pays bob 30: locks alice, then bob");
        Threads.runAlone("bob-pays-alice", () -> Account.transfer(bob, alice, 10, Meeting.NONE));
        System.out.println("bob pays alice 10: locks bob, then alice");
        System.out.println("done: " + alice + ", " + bob + "; the transfers ran at different times, nothing blocked");
    }

    /** Both transfers at once: each thread holds its payer and waits for its payee. */
    @Override
    public void runIntoDeadlock(long waitMillis) throws InterruptedException {
        Account alice = Account.open("alice", 100);
        Account bob = Account.open("bob", 100);
        // Most transfers run alone and go through; jlockdep learns the alice-then-bob order from this one.
        Account.transfer(alice, bob, 5, Meeting.NONE);
        System.out.println("alice pays bob 5: locks alice, then bob");
        Deadlock deadlock = new Deadlock(2, waitMillis);
        deadlock.thread("alice-pays-bob", () -> Account.transfer(alice, bob, 30, deadlock.meeting()));
        deadlock.thread("bob-pays-alice", () -> Account.transfer(bob, alice, 10, deadlock.meeting()));
        System.out.println("now alice pays bob and bob pays alice at the same time");
        deadlock.startAndAwaitDeadlock();
    }
}
