package io.jlockdep.it.apps;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A waiter that loops on a timed wait while holding a lock its notifier needs: {@code while (!ready) wait(100)}
 * never gives the outer lock back, so once the notifier wants it both are stuck, exactly as with an untimed wait. Run
 * in an order that cannot hang: the waiter gives up after a few rounds, then the notifier runs. The argument picks
 * monitors ({@code Object.wait(100)}) or a {@code ReentrantLock} and its {@code Condition.await(50, MILLISECONDS)}.
 */
public final class TimedWaitLoop {
    private final Object gate = new Object();
    private final Object changed = new Object();
    private final ReentrantLock gateLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition stateChanged = stateLock.newCondition();
    private boolean ready;

    public static void main(String[] args) throws Exception {
        TimedWaitLoop app = new TimedWaitLoop();
        boolean monitors = args[0].equals("monitor");
        Thread waiter = new Thread(monitors ? app::waitWithMonitors : app::waitWithCondition, "waiter");
        waiter.start();
        waiter.join();
        Thread notifier = new Thread(monitors ? app::notifyWithMonitors : app::notifyWithCondition, "notifier");
        notifier.start();
        notifier.join();
        System.out.println("ready=" + app.ready);
    }

    private void waitWithMonitors() {
        synchronized (gate) {
            synchronized (changed) {
                int rounds = 0;
                while (!ready && rounds++ < 3) {
                    try {
                        changed.wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.out.println("waiter gave up after " + (rounds - 1) + " timed waits");
            }
        }
    }

    private void notifyWithMonitors() {
        synchronized (gate) {
            synchronized (changed) {
                ready = true;
                changed.notifyAll();
            }
        }
    }

    private void waitWithCondition() {
        gateLock.lock();
        try {
            stateLock.lock();
            try {
                int rounds = 0;
                while (!ready && rounds++ < 3) {
                    stateChanged.await(50, TimeUnit.MILLISECONDS);
                }
                System.out.println("waiter gave up after " + (rounds - 1) + " timed waits");
            } catch (InterruptedException e) {
                return;
            } finally {
                stateLock.unlock();
            }
        } finally {
            gateLock.unlock();
        }
    }

    private void notifyWithCondition() {
        gateLock.lock();
        try {
            stateLock.lock();
            try {
                ready = true;
                stateChanged.signalAll();
            } finally {
                stateLock.unlock();
            }
        } finally {
            gateLock.unlock();
        }
    }
}
