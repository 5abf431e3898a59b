package io.jlockdep.selftest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The expected outcome of one selftest case: silence, or these reports in this order. Each report is matched by its
 * header and key lines (lock lines' class and kind, the chain entries, the scenario), never by stacks or hashes. Both
 * drivers hand the report texts they saw to {@link #mismatch}.
 */
public final class Expect {
    public static final String CIRCULAR = "WARNING: possible circular locking dependency detected";
    public static final String RECURSIVE = "WARNING: possible recursive locking detected";
    public static final String WAIT_NOTIFY = "WARNING: possible wait/notify deadlock detected";

    static final String COLUMN_B = "                               ";

    private final List<Report> reports;

    private Expect(List<Report> reports) {
        this.reports = reports;
    }

    public static Expect silent() {
        return new Expect(Collections.emptyList());
    }

    public static Expect reports(Report... reports) {
        return new Expect(List.of(reports));
    }

    public boolean isSilent() {
        return reports.isEmpty();
    }

    public List<Report> reports() {
        return reports;
    }

    /** Null when the reports seen are exactly the expected ones, else what differs. */
    public String mismatch(List<String> actual) {
        if (actual.size() != reports.size()) {
            return "expected " + (reports.isEmpty() ? "no report" : reports.size() + " report(s): " + reports)
                    + ", got " + actual.size() + ":\n" + String.join("\n----\n", actual);
        }
        for (int i = 0; i < reports.size(); i++) {
            String m = reports.get(i).mismatch(actual.get(i));
            if (m != null) {
                return "report #" + i + ": " + m + "\n--- report ---\n" + actual.get(i);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return reports.isEmpty() ? "silent" : reports.toString();
    }

    /** One expected report: its header, then fragments that must appear in this order, and fragments that must not. */
    public static final class Report {
        final String header;
        final List<String> inOrder;
        final List<String> absent;

        Report(String header, List<String> inOrder, List<String> absent) {
            this.header = header;
            this.inOrder = inOrder;
            this.absent = absent;
        }

        String mismatch(String text) {
            int h = text.indexOf(header + "\n");
            if (h < 0) {
                return "header [" + header + "] missing";
            }
            int at = h + header.length();
            for (String part : inOrder) {
                int found = text.indexOf(part, at);
                if (found < 0) {
                    return "expected [" + part.replace("\n", "\\n") + "] (in this order)";
                }
                at = found + part.length();
            }
            for (String part : absent) {
                if (text.contains(part)) {
                    return "unexpected [" + part.replace("\n", "\\n") + "]";
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return header + " " + inOrder;
        }
    }

    /**
     * The lock class name a case's lock gets: the script's name, prefixed per lock type. Lockdep.setClass gives one
     * name one class per lock type, and numbers a name reused by another type ({@code A#2}) in registration order,
     * which differs between the drivers; the prefix keeps every name unique.
     */
    public static String className(String type, String name) {
        switch (type) {
            case "monitor":
                return "M." + name;
            case "ReentrantLock":
                return "RL." + name;
            case "ReentrantReadWriteLock":
                return "RW." + name;
            default:
                return "SL." + name;
        }
    }

    /** lockdep's scenario verb for a mode. */
    static String verb(boolean read) {
        return read ? "rlock(" : "lock(";
    }

    /** {@code (A){ReentrantReadWriteLock read}}. */
    static String lock(String cls, String type, boolean read) {
        return "(" + cls + "){" + kind(type, read) + "}";
    }

    static String kind(String type, boolean read) {
        if (type.equals("ReentrantReadWriteLock") || type.equals("StampedLock")) {
            return type + (read ? " read" : " write");
        }
        return type;
    }

    /** A lock class and the mode it is held or wanted in, for the expectation builders. */
    static final class Node {
        final String cls;
        final boolean read;

        Node(String cls, boolean read) {
            this.cls = cls;
            this.read = read;
        }
    }

    /** One dependency of the chain: from (held in fromRead) to (taken in toRead). */
    static final class Edge {
        final String from;
        final boolean fromRead;
        final String to;
        final boolean toRead;

        Edge(String from, boolean fromRead, String to, boolean toRead) {
            this.from = from;
            this.fromRead = fromRead;
            this.to = to;
            this.toRead = toRead;
        }
    }

    /**
     * The circular report for taking {@code wanted} while holding {@code held}, where {@code path} is the existing
     * chain from the wanted class to the held class (lockdep's "existing dependency chain", shortest path).
     */
    static Report circular(String type, Node wantedNode, Node heldNode, List<Edge> edges) {
        Node wanted = new Node(className(type, wantedNode.cls), wantedNode.read);
        Node held = new Node(className(type, heldNode.cls), heldNode.read);
        List<Edge> path = new ArrayList<>();
        for (Edge e : edges) {
            path.add(new Edge(className(type, e.from), e.fromRead, className(type, e.to), e.toRead));
        }
        List<String> p = new ArrayList<>();
        p.add(" is trying to acquire lock:\n");
        p.add(lock(wanted.cls, type, wanted.read) + ", at ");
        p.add("but thread is already holding lock:\n");
        p.add(lock(held.cls, type, held.read) + ", at ");
        p.add("which lock already depends on the new lock.\n");
        p.add("the existing dependency chain (in reverse order) is:\n");
        for (int i = path.size(); i >= 1; i--) {
            Edge e = path.get(i - 1);
            p.add("\n-> #" + i + " " + lock(e.to, type, e.toRead) + ":\n");
        }
        p.add("\n-> #0 " + lock(wanted.cls, type, wanted.read) + ":\n");
        p.add("other info that might help us debug this:\n");
        List<String> absent = new ArrayList<>();
        if (path.size() >= 2) {
            StringBuilder chain = new StringBuilder("Chain exists of:\n  ").append(wanted.cls);
            for (Edge e : path) {
                chain.append(" --> ").append(e.to);
            }
            p.add(chain.append('\n').toString());
        } else {
            absent.add("Chain exists of:");
        }
        Edge last = path.get(path.size() - 1);
        p.add(" Possible unsafe locking scenario:\n\n");
        p.add("\n  " + verb(held.read) + held.cls + ");\n");
        p.add(COLUMN_B + verb(last.fromRead) + last.from + ");\n");
        p.add(COLUMN_B + verb(last.toRead) + held.cls + ");\n");
        p.add("  " + verb(wanted.read) + wanted.cls + ");\n");
        // A lock both held and wanted for reading only blocks with a writer queued on it.
        List<String> queued = new ArrayList<>();
        if (held.read && last.toRead) {
            queued.add(held.cls);
        }
        if (wanted.read && path.get(0).fromRead) {
            queued.add(wanted.cls);
        }
        for (int i = 0; i + 1 < path.size(); i++) {
            if (path.get(i).toRead && path.get(i + 1).fromRead) {
                queued.add(path.get(i).to);
            }
        }
        if (queued.isEmpty()) {
            absent.add("This deadlock needs a writer queued");
        } else {
            p.add(" This deadlock needs a writer queued on " + String.join(" and ", queued) + ": ");
        }
        p.add(" *** DEADLOCK ***\n");
        return new Report(CIRCULAR, p, absent);
    }

    /** A circular report in one mode: {@code classes} is the path from the wanted class to the held one. */
    static Report cycle(String type, boolean read, String... classes) {
        List<Edge> path = new ArrayList<>();
        for (int i = 0; i + 1 < classes.length; i++) {
            path.add(new Edge(classes[i], read, classes[i + 1], read));
        }
        return circular(type, new Node(classes[0], read), new Node(classes[classes.length - 1], read), path);
    }

    /** {@code WARNING: possible recursive locking detected}. */
    static Report recursive(String type, Node wantedNode, Node heldNode, String why) {
        Node wanted = new Node(className(type, wantedNode.cls), wantedNode.read);
        Node held = new Node(className(type, heldNode.cls), heldNode.read);
        List<String> p = List.of(
                " is trying to acquire lock:\n",
                lock(wanted.cls, type, wanted.read) + ", at ",
                "but thread is already holding lock:\n",
                lock(held.cls, type, held.read) + ", at ",
                "other info that might help us debug this:\n",
                " " + why,
                " Possible unsafe locking scenario:\n\n",
                "       Thread A\n       --------\n",
                "  " + verb(held.read) + held.cls + ");\n",
                "  " + verb(wanted.read) + wanted.cls + ");\n",
                " *** DEADLOCK ***\n");
        return new Report(RECURSIVE, p, List.of());
    }

    /** Two instances of class {@code cls} taken in both orders (default nesting): names carry hashes, not checked. */
    static Report instanceCycle(String type, boolean read, String instanceClass) {
        String cls = className(type, instanceClass);
        String k = "){" + kind(type, read) + "}";
        List<String> p = List.of(
                " is trying to acquire lock:\n",
                "(" + cls + k + ", at ",
                "but thread is already holding lock:\n",
                "(" + cls + k + ", at ",
                "which lock already depends on the new lock.\n",
                "\n-> #1 (" + cls + " ", k + ":\n",
                "\n-> #0 (" + cls + " ", k + ":\n",
                " Both locks are of class " + cls + ": two instances taken in both orders.\n",
                " Possible unsafe locking scenario:\n\n",
                "\n  " + verb(read) + cls + " ",
                COLUMN_B + verb(read) + cls + " ",
                COLUMN_B + verb(read) + cls + " ",
                "\n  " + verb(read) + cls + " ",
                " *** DEADLOCK ***\n");
        return new Report(CIRCULAR, p, List.of());
    }

    /** A notifier of {@code cond} holding {@code gate}, which a waiter on {@code cond} sleeps with. */
    static Report waitNotify(String type, String gateClass, String condClass) {
        String gate = className(type, gateClass);
        String cond = className(type, condClass);
        String g = lock(gate, type, false);
        String c = lock(cond, type, false);
        List<String> p = List.of(
                " is about to wake waiters of lock:\n",
                c + ", at ",
                "while holding lock:\n",
                g + ", at ",
                "but a thread waits on the lock while holding a lock of that class:\n",
                "-> " + g + " held while waiting on (" + cond + "):\n",
                " Possible unsafe locking scenario:\n\n",
                "\n  lock(" + gate + ");\n",
                "  lock(" + cond + ");\n",
                "  wait(" + cond + ");\n",
                COLUMN_B + "lock(" + gate + ");\n",
                COLUMN_B + "lock(" + cond + ");\n",
                COLUMN_B + "notify(" + cond + ");\n",
                " *** DEADLOCK ***\n");
        return new Report(WAIT_NOTIFY, p, List.of());
    }
}
