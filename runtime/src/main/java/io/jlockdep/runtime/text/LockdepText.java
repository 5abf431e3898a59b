package io.jlockdep.runtime.text;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.CodeSite;
import java.util.ArrayList;
import java.util.List;

/**
 * The one renderer of lockdep's text: turns a {@link Finding} into the report as lockdep prints it, section by
 * section (see lockdep's print_circular_bug and friends). Reads the model only: never a thread, a lock or the graph.
 */
public final class LockdepText {
    private static final String STACK_INDENT = "       ";
    /** Where the second column of a scenario starts. */
    private static final String SECOND_COLUMN = "                               ";
    private static final String SCENARIO_INDENT = "       ";
    private static final int SCENARIO_COLUMN_WIDTH = 24;

    private LockdepText() {
    }

    /** The whole report. */
    public static String render(Finding f) {
        StringBuilder sb = new StringBuilder(4096);
        switch (f.kind()) {
            case CIRCULAR_DEPENDENCY:
                circular(sb, f);
                break;
            case RECURSIVE_LOCKING:
                recursive(sb, f);
                break;
            case WAIT_NOTIFY:
                waitNotify(sb, f);
                break;
            case WAIT_FOR:
                waitFor(sb, f);
                break;
            case BAD_UNLOCK_BALANCE:
                badUnlock(sb, f);
                break;
            case LOCKS_HELD_AT_THREAD_EXIT:
                header(sb, f);
                heldAndBacktrace(sb, f.parties().get(0));
                break;
            case MAX_LOCK_DEPTH:
                depth(sb, f);
                break;
            case DEADLOCK:
                deadlock(sb, f);
                break;
            default:
                return f.text();
        }
        if (f.id() != null) {
            sb.append("finding id: ").append(f.id()).append(" (a line \"<id> <reason>\" in the suppress= file accepts it)\n\n");
        }
        return sb.toString();
    }

    /**
     * The finding in one line: what was found, the locks (around the cycle, for a cycle) and where, e.g.
     * {@code possible circular locking dependency: Ledger.lock -> Account.lock -> Ledger.lock at
     * Bank.audit(Bank.java:50)}. Used where a whole report would be too much: the JUnit failure's first line, the
     * notices printed while a test framework delivers the reports, a baseline's reasons, SARIF messages. Runs inside
     * hooks, so it uses no JDK class that a small program may not have loaded yet (no String.join, no streams).
     */
    public static String headline(Finding f) {
        StringBuilder sb = new StringBuilder(160).append(what(f.title()));
        List<String> ring = ringNames(f);
        if (!ring.isEmpty()) {
            sb.append(": ");
            if (ring.size() > 1 && allEqual(ring)) {
                sb.append(ring.get(0)).append(" (").append(ring.size()).append(" instances in a cycle)");
            } else {
                for (String name : ring) {
                    sb.append(name).append(" -> ");
                }
                sb.append(ring.get(0));
            }
        } else {
            List<String> names = new ArrayList<>();
            for (Finding.Lock l : f.subjects()) {
                if (!names.contains(l.name())) {
                    names.add(l.name());
                }
            }
            for (int i = 0; i < names.size(); i++) {
                sb.append(i == 0 ? ": " : ", ").append(names.get(i));
            }
        }
        Finding.Lock acting = f.acquiring();
        if (acting != null && acting.acquiredAt() != null) {
            sb.append(" at ").append(acting.acquiredAt());
        }
        return sb.toString();
    }

    private static boolean allEqual(List<String> names) {
        for (String n : names) {
            if (!n.equals(names.get(0))) {
                return false;
            }
        }
        return true;
    }

    /** The title without lockdep's severity and ending: {@code possible circular locking dependency}. */
    private static String what(String title) {
        String t = title;
        for (String prefix : new String[] {"WARNING: ", "BUG: "}) {
            if (t.startsWith(prefix)) {
                t = t.substring(prefix.length());
            }
        }
        for (String suffix : new String[] {" detected!", " detected", "!"}) {
            if (t.endsWith(suffix)) {
                return t.substring(0, t.length() - suffix.length());
            }
        }
        return t;
    }

    /** The classes around a cycle, in order, for a finding that is one (a circular dependency, a deadlock). */
    private static List<String> ringNames(Finding f) {
        List<String> names = new ArrayList<>();
        if (f.kind() == Finding.Kind.DEADLOCK) {
            for (Finding.Lock l : f.locks()) {
                names.add(l.name());
            }
        } else if (f.kind() == Finding.Kind.CIRCULAR_DEPENDENCY) {
            for (Finding.Link l : f.chain()) {
                names.add(l.from().name());
            }
        }
        return names;
    }

    private static void circular(StringBuilder sb, Finding f) {
        Finding.Party actor = f.parties().get(0);
        header(sb, f);
        tryingAndHolding(sb, actor, f);
        sb.append("which lock already depends on the new lock.\n\n\n");
        sb.append("the existing dependency chain (in reverse order) is:\n\n");
        List<Finding.Step> steps = f.steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Finding.Step s = steps.get(i);
            sb.append("-> #").append(i).append(" (").append(displayName(s.lock())).append("){").append(s.lock().kind())
                    .append("}:\n");
            chainStack(sb, s.stack());
            sb.append('\n');
        }
        sb.append("other info that might help us debug this:\n\n");
        if (steps.size() > 2) {
            sb.append("Chain exists of:\n  ").append(displayName(steps.get(0).lock()));
            for (int i = 1; i < steps.size(); i++) {
                sb.append(" --> ").append(displayName(steps.get(i).lock()));
            }
            sb.append("\n\n");
        }
        notes(sb, f);
        scenario(sb, f.scenario());
        heldAndBacktrace(sb, actor);
    }

    private static void recursive(StringBuilder sb, Finding f) {
        Finding.Party actor = f.parties().get(0);
        header(sb, f);
        tryingAndHolding(sb, actor, f);
        sb.append("other info that might help us debug this:\n");
        notes(sb, f);
        scenario(sb, f.scenario());
        heldAndBacktrace(sb, actor);
    }

    /** A wait's timeout as a report shows it: {@code 100 ms}, {@code 2 s}, {@code 250 us}, {@code 40 ns}. */
    public static String duration(long nanos) {
        if (nanos != 0 && nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        return nanos % 1_000L == 0 ? nanos / 1_000L + " us" : nanos + " ns";
    }

    /** The waiter is the reporting thread when it is the one waiting for a lock; else it is the notifier. */
    private static void waitNotify(StringBuilder sb, Finding f) {
        Finding.Party actor = f.parties().get(0);
        boolean waiterIsCurrent = actor.waitingFor() != null;
        Finding.Lock x = f.acquiring();
        header(sb, f);
        String timeout = f.waitTimeoutNanos() < 0 ? "" : ", with a timeout of " + duration(f.waitTimeoutNanos()) + ",";
        sb.append(actor.thread()).append(waiterIsCurrent ? " is about to wait" + timeout + " on lock:\n"
                : " is about to wake waiters of lock:\n");
        ownerLine(lockLine(sb, x), x, 0).append("\n\n");
        sb.append("while holding lock:\n");
        ownerLine(lockLine(sb, f.holding()), f.holding(), 0).append("\n\n");
        Finding.Step other = f.steps().get(0);
        sb.append(waiterIsCurrent ? "but the lock is notified by code that holds a lock of that class:\n\n"
                : "but a thread waits on the lock while holding a lock of that class:\n\n");
        sb.append("-> (").append(other.lock().name()).append("){").append(other.lock().kind())
                .append(waiterIsCurrent ? "} held while notifying (" : "} held while waiting" + timeout + " on (")
                .append(x.name())
                .append("):\n");
        chainStack(sb, other.stack());
        sb.append('\n');
        sb.append("other info that might help us debug this:\n\n");
        notes(sb, f);
        scenario(sb, f.scenario());
        heldAndBacktrace(sb, actor);
    }

    /**
     * A wait for an event while holding a lock its producer needs: what the reporting thread is about to do (wait, take
     * the lock in the awaited task, or produce the event), the lock (or pool) in between, then the other side.
     */
    private static void waitFor(StringBuilder sb, Finding f) {
        Finding.Party actor = f.parties().get(0);
        Finding.Wait w = f.waitFor();
        Finding.Lock lock = w.role() == Finding.Wait.Role.TAKING ? f.acquiring() : f.holding();
        Finding.Lock event = w.role() == Finding.Wait.Role.TAKING ? f.holding() : f.acquiring();
        header(sb, f);
        switch (w.role()) {
            case WAITER:
                sb.append(actor.thread()).append(" is about to ").append(w.waitCall()).append(":\n");
                lockLine(sb, event).append("\n\n");
                if (w.need() == Finding.Wait.Need.POOL_WORKER) {
                    sb.append("while running in a worker of:\n");
                    sb.append('(').append(lock.name()).append("){").append(lock.kind()).append("}\n\n");
                    sb.append("but that task, handed to the same pool, has not started, and every worker is")
                            .append(" busy.\n\n");
                } else {
                    sb.append("while holding lock:\n");
                    ownerLine(lockLine(sb, lock), lock, 0).append("\n\n");
                    sb.append("but producing that event needs a lock of that class:\n\n");
                }
                break;
            case TAKING:
                sb.append(actor.thread()).append(" is trying to acquire lock:\n");
                ownerLine(lockLine(sb, lock), lock, 0).append("\n\n");
                sb.append("while running ").append(w.producer()).append(", which must end before:\n");
                lockLine(sb, event).append("\n\n");
                sb.append("but a thread waits for that event while holding a lock of that class:\n\n");
                break;
            default:
                sb.append(actor.thread()).append(" is about to ").append(w.produceCall()).append(":\n");
                lockLine(sb, event).append("\n\n");
                sb.append(w.need() == Finding.Wait.Need.HELD ? "while holding lock:\n" : "after taking lock:\n");
                ownerLine(lockLine(sb, lock), lock, 0).append("\n\n");
                sb.append("but a thread waits for that event while holding a lock of that class:\n\n");
                break;
        }
        for (Finding.Step other : f.steps()) {
            Finding.Lock l = other.lock();
            sb.append("-> (").append(l.name()).append("){").append(l.kind()).append("} ");
            if (w.role() != Finding.Wait.Role.WAITER) {
                sb.append("held while waiting for (").append(event.name()).append(')');
            } else if (w.need() == Finding.Wait.Need.TAKEN_IN_TASK) {
                sb.append("taken by ").append(w.producer()).append(" before it ").append(w.produceCall()).append('s');
            } else {
                String at = l.acquiredAt();
                sb.append(w.need() == Finding.Wait.Need.HELD ? "held at "
                        : "taken at " + (at == null ? "<unknown site>" : at) + ", before ");
                sb.append(w.produceCall()).append('(').append(event.name()).append(')');
                if (w.producer() != null) {
                    sb.append(" by ").append(w.producer());
                }
            }
            sb.append(":\n");
            chainStack(sb, other.stack());
            sb.append('\n');
        }
        sb.append("other info that might help us debug this:\n\n");
        notes(sb, f);
        if (f.scenario() != null) {
            scenario(sb, f.scenario());
        } else {
            sb.append(" *** DEADLOCK ***\n\n");
        }
        heldAndBacktrace(sb, actor);
    }

    private static void badUnlock(StringBuilder sb, Finding f) {
        Finding.Party actor = f.parties().get(0);
        Finding.Lock released = f.acquiring();
        CodeSite at = released.acquiredAtSite();
        header(sb, f);
        sb.append(actor.thread()).append(" is trying to release lock (").append(released.name()).append(") at:\n");
        sb.append(at == null ? "<unknown>" : at.longForm()).append('\n');
        sb.append("but there are no more locks to release!\n\n");
        sb.append("other info that might help us debug this:\n");
        heldAndBacktrace(sb, actor);
    }

    private static void depth(StringBuilder sb, Finding f) {
        Finding.Party actor = f.parties().get(0);
        header(sb, f);
        sb.append(actor.thread()).append(" holds ").append(f.limit())
                .append(" locks and is trying to acquire another; this thread is not checked until it holds fewer.\n")
                .append("Raise the limit with max-depth=<n>.\n");
        lockLine(sb, f.acquiring()).append("\n\n");
        heldAndBacktrace(sb, actor);
    }

    /** Each thread of the cycle, what it waits for and who holds it, then each one's held locks and stack. */
    private static void deadlock(StringBuilder sb, Finding f) {
        List<Finding.Party> stuck = f.parties();
        header(sb, f);
        boolean events = false;
        for (Finding.Party p : stuck) {
            events |= p.waitingFor().isEvent();
        }
        sb.append(stuck.size()).append(stuck.size() == 1 ? " thread has" : " threads have")
                .append(" been waiting for ").append(f.limit())
                .append(events ? " ms or more, each for a lock that another of them holds or a task that another of"
                        + " them must run:\n\n" : " ms or more, each for a lock that another of them holds:\n\n");
        for (Finding.Party p : stuck) {
            sb.append(p.thread()).append(p.waitingFor().isEvent() ? " is waiting for:\n"
                    : " is trying to acquire lock:\n");
            ownerLine(lockLine(sb, p.waitingFor()), p.waitingFor(), 0).append('\n');
            sb.append(p.blockedReason()).append(' ').append(p.blockedBy())
                    .append(p.blockedBy().equals(p.thread()) ? " itself" : "").append(".\n\n");
        }
        sb.append(" *** DEADLOCK ***\n\n");
        for (Finding.Party p : stuck) {
            heldAndBacktrace(sb, p);
        }
    }

    /**
     * Every lock every listed thread holds, as lockdep's debug_show_all_locks prints them.
     */
    public static String allHeldLocks(List<Finding.Party> threads) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("\nShowing all locks held in the system:\n");
        for (Finding.Party p : threads) {
            heldLocks(sb, p);
        }
        sb.append("=============================================\n\n");
        return sb.toString();
    }

    /** One thread's held locks, one lock line each, as in a report's held-locks section. */
    public static List<String> heldLockLines(Finding.Party p) {
        List<String> lines = new ArrayList<>(p.held().size());
        for (Finding.Held h : p.held()) {
            lines.add(heldLine(new StringBuilder(), h).toString());
        }
        return lines;
    }

    private static void header(StringBuilder sb, Finding f) {
        String title = f.title();
        sb.append('\n').append("=".repeat(title.length())).append('\n').append(title).append('\n')
                .append(f.subtitle()).append('\n').append("-".repeat(title.length())).append('\n');
    }

    /** The two lock lines every conflict report opens with. */
    private static void tryingAndHolding(StringBuilder sb, Finding.Party actor, Finding f) {
        sb.append(actor.thread()).append(" is trying to acquire lock:\n");
        ownerLine(lockLine(sb, f.acquiring()), f.acquiring(), 0).append("\n\n");
        sb.append("but thread is already holding lock:\n");
        ownerLine(lockLine(sb, f.holding()), f.holding(), 0).append("\n\n");
    }

    /** {@code 1b6d3586 (Inode.iRwsem){ReentrantReadWriteLock write}, at Inode.write(Ntfs.java:57)}. */
    private static StringBuilder lockLine(StringBuilder sb, Finding.Lock l) {
        if (l.instance() != null) {
            sb.append(l.instance()).append(' ');
        }
        String at = l.acquiredAt();
        sb.append('(').append(l.name()).append("){").append(l.kind()).append("}, at ")
                .append(at == null ? "<unknown site>" : at);
        String type = shortenedType(l);
        if (type != null) {
            sb.append(" [").append(type).append(']');
        }
        return sb;
    }

    /**
     * Under a lock line that starts {@code column} characters into its line: what tells this instance from the others
     * of its class, the object whose field holds it ({@code of Inode 5e2de80c}), lined up under the class.
     */
    private static StringBuilder ownerLine(StringBuilder sb, Finding.Lock l, int column) {
        if (l.ownerType() != null && l.instance() != null) {
            sb.append('\n').append(" ".repeat(column + l.instance().length() + 1)).append("of ")
                    .append(simpleName(l.ownerType())).append(' ').append(l.ownerInstance());
        }
        return sb;
    }

    /** {@code com.x.Outer$Inner} as {@code Inner}. */
    private static String simpleName(String binaryName) {
        String name = binaryName.substring(binaryName.lastIndexOf('.') + 1);
        int nested = name.lastIndexOf('$');
        return nested >= 0 && nested < name.length() - 1 && !Character.isDigit(name.charAt(nested + 1))
                ? name.substring(nested + 1) : name;
    }

    /**
     * The fully qualified type of a class named by its type's simple name ({@code monitor of Account}), for its lock
     * lines; null when the name is not shortened.
     */
    private static String shortenedType(Finding.Lock l) {
        String full = l.fullName();
        if (full == null || l.name().equals(full) || l.name().startsWith(full + '#')) {
            return null;
        }
        return full.startsWith(MONITOR_OF) ? full.substring(MONITOR_OF.length()) : full;
    }

    private static final String MONITOR_OF = "monitor of ";

    /** A class, or a class and an instance for a cycle among instances of one class. */
    private static String displayName(Finding.Lock l) {
        return l.instance() == null ? l.name() : l.name() + ' ' + l.instance();
    }

    private static void notes(StringBuilder sb, Finding f) {
        if (f.notes().isEmpty()) {
            return;
        }
        for (String note : f.notes()) {
            sb.append(' ').append(note).append('\n');
        }
        sb.append('\n');
    }

    private static void scenario(StringBuilder sb, Finding.Scenario s) {
        sb.append(" Possible unsafe locking scenario:\n\n");
        List<String> columns = s.columns();
        StringBuilder names = new StringBuilder(SCENARIO_INDENT);
        StringBuilder rules = new StringBuilder(SCENARIO_INDENT);
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i);
            names.append(name);
            rules.append("-".repeat(name.length()));
            if (i + 1 < columns.size()) {
                names.append(" ".repeat(SCENARIO_COLUMN_WIDTH - name.length()));
                rules.append(" ".repeat(SCENARIO_COLUMN_WIDTH - name.length()));
            }
        }
        sb.append(names).append('\n').append(rules).append('\n');
        for (Finding.Action a : s.actions()) {
            sb.append(a.column() == 0 ? "  " : SECOND_COLUMN).append(a.word()).append('(').append(a.lock())
                    .append(");\n");
        }
        sb.append('\n');
        if (s.note() != null) {
            sb.append(' ').append(s.note()).append("\n\n");
        }
        sb.append(" *** DEADLOCK ***\n\n");
    }

    private static void heldAndBacktrace(StringBuilder sb, Finding.Party p) {
        heldLocks(sb, p);
        backtrace(sb, p);
    }

    private static void heldLocks(StringBuilder sb, Finding.Party p) {
        List<Finding.Held> held = p.held();
        int depth = held.size();
        if (depth == 0) {
            sb.append("no locks held by ").append(p.thread()).append(".\n\n");
            return;
        }
        if (!p.allHeldKnown()) {
            sb.append("at least ");
        }
        sb.append(depth).append(depth == 1 ? " lock held by " : " locks held by ").append(p.thread()).append(":\n");
        for (int i = 0; i < depth; i++) {
            int start = sb.length();
            sb.append(" #").append(i).append(": ");
            int column = sb.length() - start;
            ownerLine(heldLine(sb, held.get(i)), held.get(i).lock(), column).append('\n');
        }
        sb.append('\n');
    }

    private static StringBuilder heldLine(StringBuilder sb, Finding.Held h) {
        lockLine(sb, h.lock());
        if (h.trylock()) {
            sb.append(" (trylock)");
        }
        if (h.state() == Finding.Held.State.ACQUIRING) {
            sb.append(" (acquiring)");
        } else if (h.state() == Finding.Held.State.GIVEN_BACK_FOR_WAIT) {
            sb.append(" (given back while waiting)");
        }
        return sb;
    }

    private static void backtrace(StringBuilder sb, Finding.Party p) {
        Finding.Stack stack = p.trace();
        sb.append("stack backtrace:\n");
        sb.append("Thread: ").append(p.thread());
        if (p.threadKind() != null) {
            sb.append(' ').append(p.threadKind());
        }
        if (stack.origin() != null) {
            sb.append(", recorded in ").append(stack.origin());
        }
        sb.append('\n');
        frames(sb, stack, " ");
        sb.append('\n');
    }

    /** A chain entry's stack; a stack read from a file first says which file, JVM and thread it comes from. */
    private static void chainStack(StringBuilder sb, Finding.Stack stack) {
        if (stack.origin() != null) {
            sb.append(STACK_INDENT).append("recorded in ").append(stack.origin()).append(", thread ")
                    .append(stack.thread()).append(":\n");
        }
        frames(sb, stack, STACK_INDENT);
    }

    private static void frames(StringBuilder sb, Finding.Stack stack, String indent) {
        List<CodeSite> frames = stack.frames();
        int end = frames.size();
        int tail = FrameFolding.tailStart(frames);
        for (int i = 0; i < tail; ) {
            int run = i == 0 ? 0 : Math.min(tail, FrameFolding.runEnd(frames, i));
            if (run - i >= FrameFolding.MIN_RUN) {
                sb.append(indent).append(FrameFolding.describe(frames, i, run)).append('\n');
                i = run;
            } else {
                sb.append(indent).append(frames.get(i).longForm()).append('\n');
                i++;
            }
        }
        if (tail < end) {
            sb.append(indent).append(FrameFolding.describe(frames, tail, end)).append('\n');
        }
    }
}
