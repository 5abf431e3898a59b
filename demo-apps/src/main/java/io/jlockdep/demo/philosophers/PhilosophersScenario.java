package io.jlockdep.demo.philosophers;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Meeting;
import io.jlockdep.demo.Scenario;
import io.jlockdep.demo.Threads;

/**
 * The dining philosophers: five philosophers, five forks, each philosopher takes the left fork, then the right one.
 * Eating one at a time, everyone eats. If all five pick up their left fork at once, each waits for a fork held by
 * the neighbour: a cycle through five locks, which no pair of threads shows on its own. The fix: one order for all
 * forks (the last philosopher picks up fork 1 first).
 */
public final class PhilosophersScenario implements Scenario {
    @Override
    public String name() {
        return "philosophers";
    }

    @Override
    public String description() {
        return "five philosophers, five forks, left fork first: a cycle through five locks";
    }

    @Override
    public void run() throws InterruptedException {
        Table table = new Table();
        for (int seat = 1; seat <= Table.SEATS; seat++) {
            int s = seat;
            Threads.runAlone("philosopher-" + s, () -> table.eat(s, Meeting.NONE));
        }
        System.out.println("done: the philosophers ate one at a time, nothing blocked");
    }

    /** All five pick up their left fork, then reach for the right one. */
    @Override
    public void runIntoDeadlock(long waitMillis) throws InterruptedException {
        Table table = new Table();
        Deadlock deadlock = new Deadlock(Table.SEATS, waitMillis);
        for (int seat = 1; seat <= Table.SEATS; seat++) {
            int s = seat;
            deadlock.thread("philosopher-" + s, () -> table.eat(s, deadlock.meeting()));
        }
        System.out.println("all five philosophers pick up their left fork, then reach for the right one");
        deadlock.startAndAwaitDeadlock();
    }
}
