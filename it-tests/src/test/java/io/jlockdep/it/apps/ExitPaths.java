package io.jlockdep.it.apps;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Ends the JVM one way or another, with or without a lock-order inversion first, for the exit-code option. A shutdown
 * hook that takes a while prints "hook finished", so a test can see that hooks still run to completion.
 *
 * <p>Arguments: what to do before ending ({@code inversion}, {@code clean}, or {@code inversion-in-hook}: the hook
 * itself inverts the order), then how to end ({@code return}, {@code exit=<status>}, {@code throw}).
 */
public final class ExitPaths {
    static final class Account {
        final ReentrantLock balanceLock = new ReentrantLock();
    }

    static final class Ledger {
        final ReentrantLock entriesLock = new ReentrantLock();
    }

    public static void main(String[] args) throws Exception {
        String before = args[0];
        String end = args[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (before.equals("inversion-in-hook")) {
                invert();
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("hook finished");
            System.out.flush();
        }, "slow-hook"));
        if (before.equals("inversion")) {
            invert();
        }
        System.out.println("main done");
        if (end.startsWith("exit=")) {
            System.exit(Integer.parseInt(end.substring("exit=".length())));
        } else if (end.equals("throw")) {
            throw new IllegalStateException("main gives up");
        }
    }

    static void invert() {
        Account a = new Account();
        Ledger l = new Ledger();
        a.balanceLock.lock();
        l.entriesLock.lock();
        l.entriesLock.unlock();
        a.balanceLock.unlock();
        l.entriesLock.lock();
        a.balanceLock.lock();
        a.balanceLock.unlock();
        l.entriesLock.unlock();
    }
}
