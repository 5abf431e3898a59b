package io.jlockdep.it.apps;

import io.jlockdep.Lockdep;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Run with the jlockdep-api jar on its class path, with or without the agent: prints which copy of
 * {@code io.jlockdep.Lockdep} it runs and what the API says before and after a lock-order inversion.
 */
public final class ApiProbe {
    static final class Account {
        final ReentrantLock lock = new ReentrantLock();
    }

    static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
    }

    public static void main(String[] args) throws Exception {
        ClassLoader loader = Lockdep.class.getClassLoader();
        System.out.println("loader: " + (loader == null ? "boot" : loader.getName()));
        System.out.println("from: " + (loader == null ? "boot class path"
                : Paths.get(Lockdep.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
        System.out.println("attached: " + Lockdep.isAttached());
        long before = Lockdep.findingCount();
        Account account = new Account();
        Ledger ledger = new Ledger();
        account.lock.lock();
        ledger.lock.lock();
        ledger.lock.unlock();
        account.lock.unlock();
        ledger.lock.lock();
        account.lock.lock();
        account.lock.unlock();
        ledger.lock.unlock();
        long after = Lockdep.findingCount();
        System.out.println("findings: " + (after - before));
        List<String> reports = Lockdep.reports(before, after);
        for (String report : reports) {
            System.out.println("report: " + report.strip().lines().skip(1).findFirst().orElse(""));
        }
        try {
            Lockdep.nested(9);
            System.out.println("nested(9) accepted");
        } catch (IllegalArgumentException e) {
            System.out.println("nested(9) refused: " + e.getMessage());
        }
    }
}
