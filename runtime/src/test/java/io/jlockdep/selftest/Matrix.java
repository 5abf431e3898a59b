package io.jlockdep.selftest;

import static io.jlockdep.selftest.Expect.circular;
import static io.jlockdep.selftest.Expect.cycle;
import static io.jlockdep.selftest.Expect.instanceCycle;
import static io.jlockdep.selftest.Expect.recursive;
import static io.jlockdep.selftest.Expect.waitNotify;

import io.jlockdep.selftest.Expect.Edge;
import io.jlockdep.selftest.Expect.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * jlockdep's selftest matrix, modelled on the kernel's lib/locking-selftest.c: one definition, run by the engine
 * driver (runtime unit test, through Hooks) and by the real-JVM driver ({@link SelftestMain} under the agent).
 */
public final class Matrix {
    private static final List<Case> CASES = Collections.unmodifiableList(build());

    private Matrix() {
    }

    public static List<Case> cases() {
        return CASES;
    }

    public static Case named(String name) {
        for (Case c : CASES) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no case " + name);
    }

    static final String STRICT_WHY = "two locks of one class are held at once";
    static final String UPGRADE_WHY = "upgrading a read lock to a write lock always blocks";
    static final String STAMPED_WHY = "StampedLock is not reentrant: this thread already holds it";

    /** {@code L(x) L(y) U(y) U(x)}: lockdep's LOCK_UNLOCK_2. */
    private static String pair(String x, String y) {
        return "L(" + x + ") L(" + y + ") U(" + y + ") U(" + x + ")";
    }

    private static String pairs(String... xy) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < xy.length; i += 2) {
            sb.append(pair(xy[i], xy[i + 1])).append(' ');
        }
        return sb.toString().trim();
    }

    private static Node n(String cls, boolean read) {
        return new Node(cls, read);
    }

    private static Edge e(String from, boolean fromRead, String to, boolean toRead) {
        return new Edge(from, fromRead, to, toRead);
    }

    private static List<Case> build() {
        List<Case> cases = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Adder add = (name, kind, strict, script, expect) -> {
            Case c = new Case(name, kind, strict, script, expect);
            if (!names.add(c.name)) {
                throw new IllegalStateException("duplicate case " + c.name);
            }
            cases.add(c);
        };

        // 1. lockdep's basic cycles, for every kind.
        for (Kind k : Kind.values()) {
            String t = k.type;
            boolean r = k.read;
            String s = "/" + k.label();
            add.add("AA" + s, k, false, pair("X1", "X2"), Expect.silent());
            add.add("AA-strict" + s, k, true, pair("X1", "X2"),
                    Expect.reports(recursive(t, n("X", r), n("X", r), STRICT_WHY)));
            add.add("ABBA" + s, k, false, pairs("A", "B", "B", "A"), Expect.reports(cycle(t, r, "A", "B")));
            add.add("ABBCCA" + s, k, false, pairs("A", "B", "B", "C", "C", "A"),
                    Expect.reports(cycle(t, r, "A", "B", "C")));
            add.add("ABCABC" + s, k, false, pairs("A", "B", "C", "A", "B", "C"),
                    Expect.reports(cycle(t, r, "C", "A", "B")));
            add.add("ABBCCDDA" + s, k, false, pairs("A", "B", "B", "C", "C", "D", "D", "A"),
                    Expect.reports(cycle(t, r, "A", "B", "C", "D")));
            add.add("ABCDBDDA" + s, k, false, pairs("A", "B", "C", "D", "B", "D", "D", "A"),
                    Expect.reports(cycle(t, r, "A", "B", "D")));
            add.add("ABCDBCDA" + s, k, false, pairs("A", "B", "C", "D", "B", "C", "D", "A"),
                    Expect.reports(cycle(t, r, "A", "B", "C", "D")));
            // Two instances of one class: transfer(a, b) then transfer(b, a).
            add.add("transfer-both-orders" + s, k, false, pairs("Acct1", "Acct2", "Acct2", "Acct1"),
                    Expect.reports(instanceCycle(t, r, "Acct")));
            add.add("transfer-one-order" + s, k, false, pairs("Acct1", "Acct2", "Acct1", "Acct2", "Acct2", "Acct3"),
                    Expect.silent());
            add.add("transfer-strict" + s, k, true, pairs("Acct1", "Acct2", "Acct2", "Acct1"),
                    Expect.reports(recursive(t, n("Acct", r), n("Acct", r), STRICT_WHY)));
        }

        // 1b. Gated cycles: both orders taken holding the same instance of G cannot deadlock; a lock of the cycle taken
        //     under a second instance of G, or an order taken without it (even later), makes the cycle real. Gates
        //     are exclusive holds only.
        for (Kind k : Kind.values()) {
            String t = k.type;
            boolean r = k.read;
            String s = "/" + k.label();
            String gatedAB = "L(G) " + pair("A", "B") + " U(G)";
            String gatedBA = "L(G) " + pair("B", "A") + " U(G)";
            add.add("ABBA-gated" + s, k, false, gatedAB + " " + gatedBA,
                    r ? Expect.reports(cycle(t, r, "A", "B")) : Expect.silent());
            add.add("ABBA-gated-by-two-instances" + s, k, false,
                    "L(G1) " + pair("A", "B") + " U(G1) L(G2) " + pair("B", "A") + " U(G2)",
                    Expect.reports(cycle(t, r, "A", "B")));
            add.add("ABBA-half-gated" + s, k, false, gatedAB + " " + pair("B", "A"),
                    Expect.reports(cycle(t, r, "A", "B")));
            add.add("ABBA-gated-then-ungated" + s, k, false, gatedAB + " " + gatedBA + " " + pair("A", "B"),
                    Expect.reports(cycle(t, r, "A", "B")));
            // Per instance: a gate class with several instances gates a cycle while each lock of the cycle is always
            // taken under the same one (each database's caches, inside that database's monitor).
            add.add("ABBA-gated-per-instance" + s, k, false,
                    "L(G1) " + pair("A1", "B1") + " U(G1) L(G1) " + pair("B1", "A1") + " U(G1) "
                            + "L(G2) " + pair("A2", "B2") + " U(G2) L(G2) " + pair("B2", "A2") + " U(G2)",
                    r ? Expect.reports(cycle(t, r, "A", "B")) : Expect.silent());
            add.add("ABBA-gate-gets-second-instance" + s, k, false,
                    "L(G1) " + pair("A", "B") + " U(G1) L(G1) " + pair("B", "A") + " U(G1) L(G2) U(G2)",
                    r ? Expect.reports(cycle(t, r, "A", "B")) : Expect.silent());
            add.add("ABBA-gated-lock-under-second-instance" + s, k, false,
                    "L(G1) " + pair("A", "B") + " U(G1) L(G1) " + pair("B", "A") + " U(G1) L(G2) " + pair("A", "B")
                            + " U(G2)",
                    Expect.reports(cycle(t, r, "A", "B")));
            // The same for two instances of one class (two directories renamed under the file system's lock).
            String gatedTransfers = "L(G) " + pair("Acct1", "Acct2") + " U(G) L(G) " + pair("Acct2", "Acct1") + " U(G)";
            add.add("transfer-gated" + s, k, false, gatedTransfers,
                    r ? Expect.reports(instanceCycle(t, r, "Acct")) : Expect.silent());
            add.add("transfer-gated-then-ungated" + s, k, false, gatedTransfers + " " + pair("Acct1", "Acct2"),
                    Expect.reports(instanceCycle(t, r, "Acct")));
            add.add("transfer-gated-by-two-instances" + s, k, false,
                    "L(G1) " + pair("Acct1", "Acct2") + " U(G1) L(G2) " + pair("Acct2", "Acct1") + " U(G2)",
                    Expect.reports(instanceCycle(t, r, "Acct")));
        }

        // 2. Read/write ABBA on both read/write lock types: m1(A) -> W(B), then W(B) -> m2(A). Java readers are
        //    non-recursive (lockdep's rsem): every combination deadlocks.
        for (Kind k : new Kind[] {Kind.RW_WRITE, Kind.STAMPED_WRITE}) {
            String t = k.type;
            for (boolean first : new boolean[] {true, false}) {
                for (boolean second : new boolean[] {true, false}) {
                    String m1 = first ? "R" : "W";
                    String m2 = second ? "R" : "W";
                    add.add("rw-ABBA-" + m1 + "A-" + m2 + "A/" + t, k, false,
                            m1 + "(A) W(B) U(B) U(A) W(B) " + m2 + "(A) U(A) U(B)",
                            Expect.reports(circular(t, n("A", second), n("B", false), List.of(e("A", first, "B", false)))));
                }
            }
            // Both read: the read/read cycle needs a queued writer.
            add.add("rw-ABBA-RR/" + t, k, false, "R(A) R(B) U(B) U(A) R(B) R(A) U(A) U(B)",
                    Expect.reports(cycle(t, true, "A", "B")));

            // Chain cache (lockdep's "chain cached R-L/L-W ABBA"): W(A) -> B, then B -> R(A) closes the cycle; the
            // write after the cached read chain is a new chain but the same cycle, reported once.
            add.add("rw-chaincache-R-then-W/" + t, k, false, "W(A) W(B) U(B) U(A) W(B) R(A) U(A) U(B) W(B) W(A) U(A) U(B)",
                    Expect.reports(circular(t, n("A", true), n("B", false), List.of(e("A", false, "B", false)))));

            // Three-lock mixed cycles (lockdep's rlock rows); Java readers are all "r": each one deadlocks.
            add.add("rw3-W1R2-W2R3-W3R1/" + t, k, false, "W(A) R(B) U(B) U(A) W(B) R(C) U(C) U(B) W(C) R(A) U(A) U(C)",
                    Expect.reports(circular(t, n("A", true), n("C", false),
                            List.of(e("A", false, "B", true), e("B", false, "C", true)))));
            add.add("rw3-W1W2-R2R3-W3R1/" + t, k, false, "W(A) W(B) U(B) U(A) R(B) R(C) U(C) U(B) W(C) R(A) U(A) U(C)",
                    Expect.reports(circular(t, n("A", true), n("C", false),
                            List.of(e("A", false, "B", false), e("B", true, "C", true)))));
            add.add("rw3-W1W2-R2R3-R3W1/" + t, k, false, "W(A) W(B) U(B) U(A) R(B) R(C) U(C) U(B) R(C) W(A) U(A) U(C)",
                    Expect.reports(circular(t, n("A", false), n("C", true),
                            List.of(e("A", false, "B", false), e("B", true, "C", true)))));
            add.add("rw3-W1R2-R2R3-W3W1/" + t, k, false, "W(A) R(B) U(B) U(A) R(B) R(C) U(C) U(B) W(C) W(A) U(A) U(C)",
                    Expect.reports(circular(t, n("A", false), n("C", false),
                            List.of(e("A", false, "B", true), e("B", true, "C", true)))));
        }

        // 3. lockdep's recursive readers (rlock), engine only: no Java lock has them.
        String rw = Kind.RW_WRITE.type;
        add.add("rlock-chaincache-RR-then-W", Kind.RW_WRITE, false,
                "RR(A) W(B) U(B) U(A) W(B) RR(A) U(A) U(B) W(B) W(A) U(A) U(B)",
                Expect.reports(circular(rw, n("A", false), n("B", false), List.of(e("A", true, "B", false)))));
        add.add("rlock-W1R2-W2R3-W3R1", Kind.RW_WRITE, false,
                "W(A) RR(B) U(B) U(A) W(B) RR(C) U(C) U(B) W(C) RR(A) U(A) U(C)",
                Expect.reports(circular(rw, n("A", true), n("C", false),
                        List.of(e("A", false, "B", true), e("B", false, "C", true)))));
        add.add("rlock-W1W2-R2R3-W3R1", Kind.RW_WRITE, false,
                "W(A) W(B) U(B) U(A) RR(B) RR(C) U(C) U(B) W(C) RR(A) U(A) U(C)",
                Expect.reports(circular(rw, n("A", true), n("C", false),
                        List.of(e("A", false, "B", false), e("B", true, "C", true)))));
        add.add("rlock-W1W2-R2R3-R3W1", Kind.RW_WRITE, false,
                "W(A) W(B) U(B) U(A) RR(B) RR(C) U(C) U(B) RR(C) W(A) U(A) U(C)", Expect.silent());
        add.add("rlock-W1R2-R2R3-W3W1", Kind.RW_WRITE, false,
                "W(A) RR(B) U(B) U(A) RR(B) RR(C) U(C) U(B) W(C) W(A) U(A) U(C)", Expect.silent());
        add.add("rlock-ABBA-RR", Kind.RW_WRITE, false, "RR(A) RR(B) U(B) U(A) RR(B) RR(A) U(A) U(B)",
                Expect.silent());

        // 4. Trylocks and non-LIFO release, for every kind that has a trylock.
        for (Kind k : Kind.values()) {
            if (!k.canTry()) {
                continue;
            }
            String t = k.type;
            boolean r = k.read;
            String s = "/" + k.label();
            add.add("trylock-no-dependency-into" + s, k, false, "L(A) T(B) U(B) U(A) " + pair("B", "A"),
                    Expect.silent());
            add.add("trylock-later-locks-depend" + s, k, false,
                    "L(A) T(B) L(C) U(C) U(B) U(A) " + pairs("C", "B", "C", "A"),
                    Expect.reports(cycle(t, r, "B", "C"), cycle(t, r, "A", "C")));
            add.add("non-LIFO-release" + s, k, false,
                    "L(A) T(B) U(A) L(C) U(C) U(B) " + pairs("C", "A", "C", "B"),
                    Expect.reports(cycle(t, r, "B", "C")));
        }

        // 5. Re-acquisitions of one lock.
        add.add("upgrade/ReentrantReadWriteLock", Kind.RW_WRITE, false, "R(A) W(A)!",
                Expect.reports(recursive(rw, n("A", false), n("A", true), UPGRADE_WHY)));
        add.add("downgrade/ReentrantReadWriteLock", Kind.RW_WRITE, false, "W(A) R(A) U(A) U(A) " + pair("A", "B"),
                Expect.silent());
        String st = Kind.STAMPED_WRITE.type;
        add.add("stamped-reacquire-W-W", Kind.STAMPED_WRITE, false, "W(A) W(A)!",
                Expect.reports(recursive(st, n("A", false), n("A", false), STAMPED_WHY)));
        add.add("stamped-reacquire-R-W", Kind.STAMPED_WRITE, false, "R(A) W(A)!",
                Expect.reports(recursive(st, n("A", false), n("A", true), STAMPED_WHY)));
        add.add("stamped-reacquire-R-R", Kind.STAMPED_WRITE, false, "R(A) R(A) U(A) U(A)",
                Expect.reports(recursive(st, n("A", true), n("A", true), STAMPED_WHY)));

        // 6. Waits: the wait gives the lock back and takes it again above every other held lock.
        for (Kind k : Kind.values()) {
            if (!k.canWait()) {
                continue;
            }
            String t = k.type;
            String s = "/" + k.label();
            add.add("wait-below-another-lock" + s, k, false, "L(A) L(B) WAIT(A) U(B) U(A)",
                    Expect.reports(cycle(t, false, "A", "B")));
            add.add("wait-on-top-lock" + s, k, false, "L(A) L(B) WAIT(B) U(B) U(A) " + pair("A", "B"),
                    Expect.silent());
            add.add("wait-notify-lockout" + s, k, false,
                    "L(G) L(C) WAIT(C) U(C) U(G) THREAD(2) L(G) L(C) NOTIFY(C) U(C) U(G)",
                    Expect.reports(waitNotify(t, "G", "C")));
            add.add("wait-notify-without-gate" + s, k, false,
                    "L(G) L(C) WAIT(C) U(C) U(G) THREAD(2) L(C) NOTIFY(C) U(C)", Expect.silent());
            // a thread never wakes itself: it notified before it waits (a shutdown, then its awaitTermination)
            add.add("wait-notify-own-notify" + s, k, false,
                    "L(G) L(C) NOTIFY(C) U(C) U(G) L(G) L(C) WAIT(C) U(C) U(G)", Expect.silent());
            // each thread holds its own lock of one class (G1, G2): not the waiter's lock
            add.add("wait-notify-other-instance" + s, k, false,
                    "L(G1) L(C) WAIT(C) U(C) U(G1) THREAD(2) L(G2) L(C) NOTIFY(C) U(C) U(G2)", Expect.silent());
            add.add("wait-notify-other-instance-strict" + s, k, true,
                    "L(G1) L(C) WAIT(C) U(C) U(G1) THREAD(2) L(G2) L(C) NOTIFY(C) U(C) U(G2)",
                    Expect.reports(waitNotify(t, "G", "C")));
        }
        return cases;
    }

    @FunctionalInterface
    private interface Adder {
        void add(String name, Kind kind, boolean strict, String script, Expect expect);
    }
}
