package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.finding.Finding;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A finding as a JFR event, so it shows up in JDK Mission Control next to the recording's lock and thread events. */
@Name("io.jlockdep.Finding")
@Label("jlockdep Finding")
@Category("jlockdep")
@Description("A lock-order inversion or other locking bug reported by jlockdep")
@StackTrace(true)
public final class FindingEvent extends Event {
    @Label("Kind")
    @Description("circular-dependency, recursive-locking, wait-notify, deadlock, ...")
    String kind;

    @Label("Id")
    @Description("The finding's stable identifier, as a suppression file names it")
    String id;

    @Label("Suppressed")
    @Description("Listed in the suppression file: counted, not printed, failing nothing")
    boolean suppressed;

    @Label("Title")
    String title;

    @Label("Thread")
    @Description("The reporting thread, name/id")
    String reportingThread;

    @Label("Locks")
    @Description("The lock classes involved, the one being acquired first")
    String locks;

    @Label("Report")
    @Description("The whole report as printed")
    String report;

    /** Commits the finding if a recording wants it. */
    public static void record(Finding f) {
        FindingEvent e = new FindingEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.kind = f.kind().id();
        e.id = f.id();
        e.suppressed = f.isSuppressed();
        e.title = f.title();
        e.reportingThread = f.thread();
        StringBuilder names = new StringBuilder();
        for (Finding.Lock l : f.locks()) {
            if (names.length() > 0) {
                names.append(" -> ");
            }
            names.append(l.name());
        }
        e.locks = names.toString();
        e.report = f.text();
        e.commit();
    }
}
