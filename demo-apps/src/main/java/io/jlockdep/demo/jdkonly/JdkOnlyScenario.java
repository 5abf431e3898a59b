package io.jlockdep.demo.jdkonly;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Meeting;
import io.jlockdep.demo.Scenario;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A lock-order inversion that lives entirely inside the JDK: the application takes no lock. A list made by
 * {@code Collections.synchronizedList} guards every call with its own monitor, so {@code inbox.addAll(outbox)} takes
 * the inbox's monitor, then the outbox's (to copy it with {@code toArray()}); {@code outbox.addAll(inbox)} takes them
 * in the opposite order. Two threads merging the lists into each other at once each hold the list the other wants.
 * The fix: copy first ({@code inbox.addAll(new ArrayList<>(outbox))} holds one monitor at a time).
 */
public final class JdkOnlyScenario implements Scenario {
    @Override
    public String name() {
        return "jdk-only";
    }

    @Override
    public String description() {
        return "two Collections.synchronizedList lists merged into each other: a lock inversion with no application lock";
    }

    @Override
    public void run() {
        List<String> inbox = Collections.synchronizedList(new ArrayList<>(List.of("a letter")));
        List<String> outbox = Collections.synchronizedList(new ArrayList<>(List.of("a reply")));
        inbox.addAll(outbox);
        System.out.println("inbox.addAll(outbox): the inbox's monitor, then the outbox's");
        outbox.addAll(inbox);
        System.out.println("outbox.addAll(inbox): the outbox's monitor, then the inbox's");
        System.out.println("done: inbox has " + inbox.size() + ", outbox " + outbox.size()
                + "; one thread, nothing blocked");
    }

    /**
     * Both merges at once. Each list's storage meets the other merge from inside {@code addAll}, where the JDK holds
     * that list's monitor: every lock in the cycle is still the JDK's.
     */
    @Override
    public void runIntoDeadlock(long waitMillis) throws InterruptedException {
        MeetingList inboxStorage = new MeetingList("a letter");
        MeetingList outboxStorage = new MeetingList("a reply");
        List<String> inbox = Collections.synchronizedList(inboxStorage);
        List<String> outbox = Collections.synchronizedList(outboxStorage);
        // A merge on its own goes through; jlockdep learns the inbox-then-outbox order from this one.
        inbox.addAll(outbox);
        System.out.println("inbox.addAll(outbox): the inbox's monitor, then the outbox's");
        Deadlock deadlock = new Deadlock(2, waitMillis);
        inboxStorage.meeting = deadlock.meeting();
        outboxStorage.meeting = deadlock.meeting();
        deadlock.thread("merge-outbox-into-inbox", () -> inbox.addAll(outbox));
        deadlock.thread("merge-inbox-into-outbox", () -> outbox.addAll(inbox));
        System.out.println("now inbox.addAll(outbox) and outbox.addAll(inbox) at the same time");
        deadlock.startAndAwaitDeadlock();
    }

    /** List storage whose {@code addAll} waits for the other merge, called with the JDK's list monitor held. */
    private static final class MeetingList extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        /** Set before the merging threads start. */
        transient Meeting meeting = Meeting.NONE;

        MeetingList(String first) {
            add(first);
        }

        @Override
        public boolean addAll(Collection<? extends String> other) {
            meeting.arrive();
            return super.addAll(other);
        }
    }
}
