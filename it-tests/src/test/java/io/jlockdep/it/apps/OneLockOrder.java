package io.jlockdep.it.apps;

/**
 * Takes the two locks of {@link TwoLockOrders}' "reentrant" case in the one order its argument names, and nothing
 * else: one JVM alone never sees a cycle, two JVMs given opposite orders together do. The lock classes are named by
 * their fields, so they are the same in every JVM.
 */
public final class OneLockOrder {
    public static void main(String[] args) {
        TwoLockOrders.Account account = new TwoLockOrders.Account();
        TwoLockOrders.Ledger ledger = new TwoLockOrders.Ledger();
        switch (args[0]) {
            case "account-then-ledger":
                TwoLockOrders.reentrant(account, ledger);
                break;
            case "ledger-then-account":
                TwoLockOrders.reentrantReversed(account, ledger);
                break;
            case "both-then-halt":
                // A JVM that dies without running shutdown hooks, after a finding.
                TwoLockOrders.reentrant(account, ledger);
                TwoLockOrders.reentrantReversed(account, ledger);
                System.out.println("halting");
                System.out.flush();
                Runtime.getRuntime().halt(3);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("finished " + args[0]);
    }
}
