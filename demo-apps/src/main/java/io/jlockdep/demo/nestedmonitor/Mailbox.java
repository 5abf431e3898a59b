package io.jlockdep.demo.nestedmonitor;

import java.util.ArrayDeque;
import java.util.Deque;

/** A mailbox: {@link #take()} waits for a letter, {@link #put} delivers one and wakes the reader. */
final class Mailbox {
    private final Object delivered = new Object();
    private final Deque<String> letters = new ArrayDeque<>();

    /**
     * The bug: a synchronized method (one reader at a time) that waits on {@code delivered}. {@code wait()} gives back
     * only the monitor it waits on; the reader sleeps holding the mailbox's own monitor.
     */
    synchronized String take() throws InterruptedException {
        synchronized (delivered) {
            while (letters.isEmpty()) {
                delivered.wait();
            }
            return letters.poll();
        }
    }

    /** Needs the mailbox's monitor before it can notify: a reader waiting in {@link #take()} holds it. */
    synchronized void put(String letter) {
        synchronized (delivered) {
            letters.add(letter);
            delivered.notifyAll();
        }
    }
}
