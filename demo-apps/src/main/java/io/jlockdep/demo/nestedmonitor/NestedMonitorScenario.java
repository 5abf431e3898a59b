package io.jlockdep.demo.nestedmonitor;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Scenario;

/**
 * Nested monitor lockout: waiting on one monitor while holding another that the notifier needs. The mailbox's reader
 * waits on {@code delivered} inside a synchronized method, so it sleeps holding the mailbox; the postman must take the
 * mailbox before it can notify {@code delivered}, and blocks. No two locks are ever taken in opposite orders, so there
 * is no lock-order cycle: only the wait and the notify show it. The fix: wait on the monitor you hold outermost (or
 * hold nothing else while waiting).
 */
public final class NestedMonitorScenario implements Scenario {
    /** How long the default mode waits for the reader to start waiting. */
    private static final long WAIT_TIMEOUT_MILLIS = 10_000;

    @Override
    public String name() {
        return "nested-monitor";
    }

    @Override
    public String description() {
        return "a reader waits on one monitor while holding another that the notifier needs: nested monitor lockout";
    }

    /** The reader waits holding the mailbox while no letter comes; the demo stops it instead of posting one. */
    @Override
    public void run() throws InterruptedException {
        Mailbox mailbox = new Mailbox();
        mailbox.put("first letter");
        System.out.println("postman puts a letter: locks the mailbox, then notifies delivered");
        Thread reader = new Thread(() -> {
            try {
                System.out.println("reader takes: " + mailbox.take());
                mailbox.take();
            } catch (InterruptedException e) {
                System.out.println("reader stopped");
            }
        }, "reader");
        reader.start();
        Deadlock.awaitStuck(reader, WAIT_TIMEOUT_MILLIS);
        System.out.println("reader waits for the next letter holding the mailbox: " + Deadlock.waitingFor(reader));
        System.out.println("a put() now would block on the mailbox; stopping the reader instead");
        reader.interrupt();
        reader.join();
        System.out.println("done: nothing blocked");
    }

    /** The postman posts the next letter while the reader waits for it, holding the mailbox. */
    @Override
    public void runIntoDeadlock(long waitMillis) throws InterruptedException {
        Mailbox mailbox = new Mailbox();
        mailbox.put("first letter");
        System.out.println("postman puts a letter: locks the mailbox, then notifies delivered");
        Deadlock deadlock = new Deadlock(0, waitMillis);
        Thread reader = deadlock.thread("reader", () -> {
            try {
                System.out.println("reader takes: " + mailbox.take());
                mailbox.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        deadlock.thread("postman", () -> {
            try {
                Deadlock.awaitStuck(reader, WAIT_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            System.out.println("postman puts the next letter while the reader waits");
            mailbox.put("second letter");
        });
        deadlock.startAndAwaitDeadlock();
    }
}
