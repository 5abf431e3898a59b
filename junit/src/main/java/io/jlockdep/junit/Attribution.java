package io.jlockdep.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, for one test run, which test or test class each finding belongs to. Findings are numbered in the order
 * reported; each test and each class opens a window of numbers when it starts and closes it when it ends:
 * <ul>
 * <li>a test gets every finding reported while it ran, by any thread;</li>
 * <li>a class gets the findings reported while it ran that none of its tests (or nested classes) got: its
 * {@code @BeforeAll}/{@code @AfterAll} methods, constructors, threads still running between tests;</li>
 * <li>a top-level class that starts while no other one runs also gets the findings reported since the last one ended
 * (or before the first): between classes, during discovery, in classes not checked by the extension.</li>
 * </ul>
 * Nothing is lost and, run one at a time, nothing is counted twice. Run in parallel, a finding goes to every test
 * (or, if no test ran, every class) running when it was reported: the numbers do not say which thread reported it.
 */
final class Attribution {
    private final FindingSource source;
    /** Top-level classes running now. Guarded by this. */
    private int openTopLevel;
    /** Where the findings reported while no top-level class ran begin. Guarded by this. */
    private long idleSince;

    Attribution(FindingSource source) {
        this.source = source;
    }

    /** A class starts. */
    synchronized Window openClass(String owner, boolean topLevel) {
        long now = source.count();
        long from = now;
        if (topLevel && openTopLevel++ == 0) {
            from = idleSince;
        }
        return new Window(owner, from, now);
    }

    /** A test starts: where its findings begin. */
    long openTest() {
        return source.count();
    }

    /** A test ends: every finding since it started; its class no longer needs to report them. */
    Share closeTest(long start, Window enclosing) {
        long now = source.count();
        if (enclosing != null) {
            enclosing.cover(start, now);
        }
        return share(start, now, start, Collections.<Long>emptySet());
    }

    /** A class ends: what none of its tests got; the enclosing class no longer needs to report any of its range. */
    Share closeClass(Window window, Window enclosing, boolean topLevel) {
        long now;
        synchronized (this) {
            now = source.count();
            if (topLevel && --openTopLevel == 0) {
                idleSince = now;
            }
        }
        if (enclosing != null) {
            enclosing.cover(window.from, now);
        }
        return share(window.from, now, window.start, window.covered);
    }

    private Share share(long from, long to, long start, Set<Long> covered) {
        List<String> texts = source.reports(from, to);
        List<String> headlines = source.headlines(from, to);
        long firstRemembered = to - texts.size();
        List<Report> before = new ArrayList<>();
        List<Report> during = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            long number = firstRemembered + i;
            if (!covered.contains(number)) {
                String headline = i < headlines.size() ? headlines.get(i) : texts.get(i).strip();
                (number < start ? before : during).add(new Report(number, texts.get(i), headline));
            }
        }
        int forgotten = 0;
        for (long number = from; number < firstRemembered; number++) {
            if (!covered.contains(number)) {
                forgotten++;
            }
        }
        return new Share(before, during, forgotten);
    }

    /** The findings numbered from {@code from} on belong to a class that is running. */
    static final class Window {
        /** The JUnit unique id of the class it belongs to. */
        final String owner;
        /** Its first finding number: the class's start, or for a top-level class, where the idle time began. */
        final long from;
        /** The count when the class started. */
        final long start;
        /** Numbers its tests and nested classes took. */
        private final Set<Long> covered = ConcurrentHashMap.newKeySet();

        Window(String owner, long from, long start) {
            this.owner = owner;
            this.from = from;
            this.start = start;
        }

        void cover(long from, long to) {
            for (long n = from; n < to; n++) {
                covered.add(n);
            }
        }
    }

    /** One finding: its number, its report and its report in one line. */
    static final class Report {
        final long number;
        final String text;
        final String headline;

        Report(long number, String text, String headline) {
            this.number = number;
            this.text = text;
            this.headline = headline;
        }
    }

    /** The findings one test or class gets. */
    static final class Share {
        /** Reported before the class started, while no class ran (only a top-level class gets these). */
        final List<Report> beforeStart;
        /** Reported while it ran. */
        final List<Report> whileRunning;
        /** Its findings no longer remembered by the runtime (it keeps the latest 1024). */
        final int forgotten;

        Share(List<Report> beforeStart, List<Report> whileRunning, int forgotten) {
            this.beforeStart = beforeStart;
            this.whileRunning = whileRunning;
            this.forgotten = forgotten;
        }

        boolean isEmpty() {
            return beforeStart.isEmpty() && whileRunning.isEmpty() && forgotten == 0;
        }
    }
}
