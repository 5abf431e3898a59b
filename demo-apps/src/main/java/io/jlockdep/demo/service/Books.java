package io.jlockdep.demo.service;

import io.jlockdep.demo.Meeting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/** A bank's books: account balances and a journal of transfers, each guarded by its own lock. */
final class Books {
    private final ReentrantLock balancesLock = new ReentrantLock();
    private final ReentrantLock journalLock = new ReentrantLock();
    private final Map<String, Long> balances = new TreeMap<>();
    private final List<String> journal = new ArrayList<>();

    Books(Map<String, Long> opening) {
        balances.putAll(opening);
    }

    /** Moves money, then records it: balances, then journal. {@code meeting}: see {@link #audit}. */
    String transfer(String from, String to, long amount, Meeting meeting) {
        balancesLock.lock();
        try {
            meeting.arrive();
            balances.merge(from, -amount, Long::sum);
            balances.merge(to, amount, Long::sum);
            journalLock.lock();
            try {
                journal.add(from + " -> " + to + " " + amount);
                return "transferred " + amount + " from " + from + " to " + to;
            } finally {
                journalLock.unlock();
            }
        } finally {
            balancesLock.unlock();
        }
    }

    /**
     * The bug: reads the journal, then checks the balances against it: journal, then balances, the opposite of
     * {@link #transfer}. A {@code --deadlock} run meets a transfer at {@code meeting}, each holding its first lock.
     */
    String audit(Meeting meeting) {
        journalLock.lock();
        try {
            meeting.arrive();
            int transfers = journal.size();
            balancesLock.lock();
            try {
                long total = 0;
                for (long b : balances.values()) {
                    total += b;
                }
                return "audited " + transfers + " transfers; balances " + balances + ", total " + total;
            } finally {
                balancesLock.unlock();
            }
        } finally {
            journalLock.unlock();
        }
    }
}
