package io.jlockdep.demo.philosophers;

import io.jlockdep.demo.Meeting;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Five forks around a table, one between each pair of neighbours. Each fork is its own field, hence its own lock
 * class (as five different mutexes would be for lockdep), so the five dependencies form one cycle of five classes.
 */
final class Table {
    final ReentrantLock fork1 = new ReentrantLock();
    final ReentrantLock fork2 = new ReentrantLock();
    final ReentrantLock fork3 = new ReentrantLock();
    final ReentrantLock fork4 = new ReentrantLock();
    final ReentrantLock fork5 = new ReentrantLock();

    private final List<ReentrantLock> forks = List.of(fork1, fork2, fork3, fork4, fork5);

    static final int SEATS = 5;

    /**
     * The bug: philosopher {@code seat} (1-5) picks up the fork on the left, then the one on the right. Philosopher 5's
     * right fork is fork 1, which philosopher 1 picks up first: the five orders close a cycle. A {@code --deadlock}
     * run meets the others at {@code meeting}, holding the left fork.
     */
    void eat(int seat, Meeting meeting) {
        ReentrantLock left = forks.get(seat - 1);
        ReentrantLock right = forks.get(seat % SEATS);
        left.lock();
        try {
            meeting.arrive();
            right.lock();
            try {
                System.out.println("philosopher " + seat + " eats with forks " + seat + " and " + (seat % SEATS + 1));
            } finally {
                right.unlock();
            }
        } finally {
            left.unlock();
        }
    }
}
