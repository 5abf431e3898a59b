package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.graph.GraphSnapshot;
import io.jlockdep.runtime.graph.MergedGraph;
import io.jlockdep.runtime.lockclass.CodeSite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging graphs recorded by several JVMs, and the cycles that only their union has. */
class MergedGraphTest {
    private final MergedGraph merged = new MergedGraph();

    /** An input whose classes are A..E with ids 1..5 (keys as fields of com.x.Bank). */
    private MergedGraph.Input input(String label) {
        MergedGraph.Input in = merged.addInput(label);
        for (int i = 0; i < 5; i++) {
            String name = String.valueOf((char) ('A' + i));
            in.addClass(i + 1, "field:com/x/Bank." + name, "Bank." + name, "ReentrantReadWriteLock",
                    "com.x.Bank.<init>(Bank.java:" + (10 + i) + ")");
        }
        return in;
    }

    private static int id(char c) {
        return c - 'A' + 1;
    }

    private static void order(MergedGraph.Input in, char from, char to, String type, String thread, String method) {
        String fromMode = type.startsWith("E") ? "exclusive" : "read";
        String toMode = type.endsWith("R") ? "recursive-read" : "exclusive";
        in.addDependency(id(from), id(to), List.of(type), fromMode, toMode, "com.x.Bank." + method + "(Bank.java:20)",
                thread, List.of("java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock(ReentrantReadWriteLock.java:959)",
                        "com.x.Bank." + method + "(Bank.java:21)", "com.x.Main.main(Main.java:5)"));
    }

    private static void order(MergedGraph.Input in, char from, char to) {
        order(in, from, to, "EN", "main/1", "take" + from + to);
    }

    private static void assertInOrder(String text, String... parts) {
        int at = 0;
        for (String p : parts) {
            int found = text.indexOf(p, at);
            assertTrue(found >= 0, () -> "expected [" + p + "] in order in:\n" + text);
            at = found + p.length();
        }
    }

    @Test
    void twoHalvesOfAnAbbaInTwoJvmsAreOneCycleWithBothStacksAndWhereEachWasRecorded() {
        order(input("a.json (pid 11)"), 'A', 'B', "EN", "main/1", "transfer");
        order(input("b.json (pid 22)"), 'B', 'A', "EN", "worker/7", "refund");
        List<Finding> cycles = merged.crossInputCycles();
        assertEquals(1, cycles.size());
        Finding f = cycles.get(0);
        assertEquals(Finding.Kind.CIRCULAR_DEPENDENCY, f.kind());
        assertInOrder(f.text(),
                "WARNING: possible circular locking dependency detected\n",
                ", merged: a cycle across a.json (pid 11) and b.json (pid 22)\n",
                "main/1 is trying to acquire lock:\n",
                "(Bank.B){ReentrantReadWriteLock write}, at Bank.transfer(Bank.java:21)",
                "but thread is already holding lock:\n",
                "(Bank.A){ReentrantReadWriteLock write}, at Bank.transfer(Bank.java:20)",
                "the existing dependency chain (in reverse order) is:",
                "-> #1 (Bank.A){ReentrantReadWriteLock write}:\n",
                "       recorded in b.json (pid 22), thread worker/7:\n",
                "com.x.Bank.refund(Bank.java:21)",
                "-> #0 (Bank.B){ReentrantReadWriteLock write}:\n",
                "       recorded in a.json (pid 11), thread main/1:\n",
                "com.x.Bank.transfer(Bank.java:21)",
                " Possible unsafe locking scenario:",
                "  lock(Bank.A);",
                "                               lock(Bank.B);",
                "                               lock(Bank.A);",
                "  lock(Bank.B);",
                " *** DEADLOCK ***",
                "at least 1 lock held by main/1:\n #0: (Bank.A){ReentrantReadWriteLock write}, at Bank.transfer(Bank.java:20)",
                "stack backtrace:\nThread: main/1, recorded in a.json (pid 11)\n");
        assertEquals(2, f.chain().size());
        assertEquals("b.json (pid 22)", f.chain().get(0).origin());
        assertEquals("worker/7", f.chain().get(0).thread());
        assertEquals("a.json (pid 11)", f.chain().get(1).origin());
        assertEquals("field:com/x/Bank.B", f.locks().get(0).key());
    }

    @Test
    void aCycleOneJvmHadAlonePassesBecauseThatJvmReportedItLive() {
        MergedGraph.Input a = input("a.json (pid 1)");
        order(a, 'A', 'B');
        order(a, 'B', 'A');
        order(input("b.json (pid 2)"), 'A', 'B');
        assertEquals(List.of(), merged.crossInputCycles());
    }

    @Test
    void consistentOrdersMergeWithoutACycle() {
        order(input("a.json (pid 1)"), 'A', 'B');
        MergedGraph.Input b = input("b.json (pid 2)");
        order(b, 'B', 'C');
        order(b, 'A', 'C');
        assertEquals(List.of(), merged.crossInputCycles());
    }

    @Test
    void eachCycleIsReportedOnceShortestFirstAndLongChainsAreNamed() {
        MergedGraph.Input a = input("a.json (pid 1)");
        MergedGraph.Input b = input("b.json (pid 2)");
        MergedGraph.Input c = input("c.json (pid 3)");
        order(a, 'C', 'D');
        order(b, 'D', 'E');
        order(c, 'E', 'C');
        order(a, 'A', 'B');
        order(b, 'B', 'A');
        List<Finding> cycles = merged.crossInputCycles();
        assertEquals(2, cycles.size(), () -> texts(cycles));
        assertEquals(2, cycles.get(0).chain().size());
        assertEquals(3, cycles.get(1).chain().size());
        assertInOrder(cycles.get(1).text(), "across a.json (pid 1), b.json (pid 2) and c.json (pid 3)",
                "Chain exists of:\n  Bank.D --> Bank.E --> Bank.C\n");
    }

    @Test
    void readersFollowTheStrongPathRuleAcrossJvmsToo() {
        // -(SR)-> then -(SR)->: a recursive read followed by a shared hold is no deadlock.
        order(input("a.json (pid 1)"), 'A', 'B', "SR", "main/1", "scan");
        order(input("b.json (pid 2)"), 'B', 'A', "SR", "main/1", "scan");
        assertEquals(List.of(), merged.crossInputCycles());
    }

    @Test
    void readsWantedWhileHoldingReadsAcrossJvmsNeedAQueuedWriterAndSaySo() {
        // Non-recursive readers (a ReentrantReadWriteLock's): a writer queued on each lock blocks the second read.
        List<String> stack = List.of("com.x.Bank.scan(Bank.java:21)");
        MergedGraph.Input a = input("a.json (pid 1)");
        MergedGraph.Input b = input("b.json (pid 2)");
        a.addDependency(id('A'), id('B'), List.of("SN"), "read", "read", null, "main/1", stack);
        b.addDependency(id('B'), id('A'), List.of("SN"), "read", "read", null, "main/1", stack);
        List<Finding> cycles = merged.crossInputCycles();
        assertEquals(1, cycles.size());
        assertInOrder(cycles.get(0).text(), "(Bank.B){ReentrantReadWriteLock read}", "  rlock(Bank.A);",
                "                               rlock(Bank.B);", "                               rlock(Bank.A);",
                "  rlock(Bank.B);", " This deadlock needs a writer queued on Bank.A and Bank.B");
    }

    @Test
    void aCycleThatIsStrongOnlyWithAnotherJvmsTypesIsACycleAcrossJvms() {
        MergedGraph.Input a = input("a.json (pid 1)");
        order(a, 'A', 'B', "SR", "main/1", "scan");
        order(a, 'B', 'A', "SR", "main/1", "scan");
        order(input("b.json (pid 2)"), 'A', 'B', "EN", "main/1", "write");
        assertEquals(1, merged.crossInputCycles().size());
    }

    @Test
    void everyDependencyOnACycleOfTheUnionIsInAReportedCycleWhenNoJvmHadOneAlone() {
        java.util.Random random = new java.util.Random(3);
        for (int round = 0; round < 30; round++) {
            MergedGraph m = new MergedGraph();
            int n = 4 + random.nextInt(20);
            boolean[][] edge = new boolean[n + 1][n + 1];
            for (int in = 0; in < 3; in++) {
                MergedGraph.Input input = m.addInput("f" + in + ".json (pid " + in + ")");
                for (int c = 1; c <= n; c++) {
                    input.addClass(c, "k" + c, "L" + c, "monitor", null);
                }
                // Each input alone is acyclic: its own random order of the classes, edges only forward in it.
                List<Integer> order = new ArrayList<>();
                for (int c = 1; c <= n; c++) {
                    order.add(c);
                }
                java.util.Collections.shuffle(order, random);
                for (int k = 0; k < n; k++) {
                    int i = random.nextInt(n - 1);
                    int j = i + 1 + random.nextInt(n - 1 - i);
                    int from = order.get(i);
                    int to = order.get(j);
                    input.addDependency(from, to, List.of("EN"), "exclusive", "exclusive", null, "t/1",
                            List.of("x.Y.z(Y.java:1)"));
                    edge[from][to] = true;
                }
            }
            java.util.Set<String> reported = new java.util.HashSet<>();
            for (Finding f : m.crossInputCycles()) {
                for (Finding.Link l : f.chain()) {
                    reported.add(l.from().name() + ">" + l.to().name());
                }
            }
            for (int a = 1; a <= n; a++) {
                for (int b = 1; b <= n; b++) {
                    if (edge[a][b] && reaches(edge, b, a)) {
                        assertTrue(reported.contains("L" + a + ">L" + b), "round " + round + ": L" + a + " -> L" + b);
                    }
                }
            }
        }
    }

    private static boolean reaches(boolean[][] edge, int from, int to) {
        boolean[] seen = new boolean[edge.length];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(from));
        seen[from] = true;
        while (!queue.isEmpty()) {
            int v = queue.poll();
            if (v == to) {
                return true;
            }
            for (int w = 1; w < edge.length; w++) {
                if (edge[v][w] && !seen[w]) {
                    seen[w] = true;
                    queue.add(w);
                }
            }
        }
        return false;
    }

    @Test
    void aClassIsTheSameInEveryJvmByItsKeyWhateverItsShownName() {
        MergedGraph.Input a = merged.addInput("a.json (pid 1)");
        a.addClass(1, "monitor:com.x.Account", "monitor of com.x.Account", "monitor", null);
        a.addClass(2, "site:java/lang/Object@com.x.Cache.<init>(Cache.java:4)", "Object@Cache.java:4", "monitor",
                "com.x.Cache.<init>(Cache.java:4)");
        MergedGraph.Input b = merged.addInput("b.json (pid 2)");
        b.addClass(7, "site:java/lang/Object@com.x.Cache.<init>(Cache.java:4)", "Object@Cache.java:4#2", "monitor",
                "com.x.Cache.<init>(Cache.java:4)");
        b.addClass(8, "site:java/lang/Object@com.y.Cache.<init>(Cache.java:4)", "Object@Cache.java:4", "monitor",
                "com.y.Cache.<init>(Cache.java:4)");
        b.addClass(9, "monitor:com.x.Account", "monitor of com.x.Account", "monitor", null);
        a.addDependency(1, 2, List.of("EN"), "exclusive", "exclusive", null, "main/1", List.of("com.x.A.a(A.java:1)"));
        b.addDependency(9, 7, List.of("EN"), "exclusive", "exclusive", null, "main/1", List.of("com.x.A.b(A.java:2)"));
        GraphSnapshot g = merged.snapshot();
        List<String> names = new ArrayList<>();
        for (GraphSnapshot.Node n : g.nodes()) {
            names.add(n.name());
        }
        assertEquals(List.of("monitor of com.x.Account", "Object@Cache.java:4", "Object@Cache.java:4#2"), names);
        assertEquals(1, g.edges().size(), "one dependency, recorded twice");
        assertEquals(List.of("a.json (pid 1)", "b.json (pid 2)"), g.edges().get(0).sources());
        assertEquals(List.of("com.x.A.a(A.java:1)"), g.edges().get(0).stack(), "the first input's stack");
    }

    @Test
    void dependencyTypesRecordedByDifferentJvmsAddUp() {
        order(input("a.json (pid 1)"), 'A', 'B', "SN", "main/1", "scan");
        order(input("b.json (pid 2)"), 'A', 'B', "EN", "main/1", "write");
        assertEquals(List.of("EN", "SN"), merged.snapshot().edges().get(0).types());
    }

    @Test
    void malformedClassesAndDependenciesAreRefusedWithWhatIsWrong() {
        MergedGraph.Input in = input("a.json (pid 1)");
        assertMessage("class id 1 appears twice", () -> in.addClass(1, "k", "n", "monitor", null));
        assertMessage("unknown lock type 'Semaphore'", () -> in.addClass(9, "k", "n", "Semaphore", null));
        assertMessage("declaredAt 'here' is not a code location", () -> in.addClass(9, "k", "n", "monitor", "here"));
        assertMessage("dependency names class id 42, which is not in the classes",
                () -> in.addDependency(1, 42, List.of("EN"), "exclusive", "exclusive", null, "t/1", List.of()));
        assertMessage("unknown dependency type 'XY'",
                () -> in.addDependency(1, 2, List.of("XY"), "exclusive", "exclusive", null, "t/1", List.of()));
        assertMessage("a dependency without types",
                () -> in.addDependency(1, 2, List.of(), "exclusive", "exclusive", null, "t/1", List.of()));
        assertMessage("unknown lock mode 'shared'",
                () -> in.addDependency(1, 2, List.of("EN"), "shared", "exclusive", null, "t/1", List.of()));
        assertMessage("stack 'at Foo' is not a code location",
                () -> in.addDependency(1, 2, List.of("EN"), "exclusive", "exclusive", null, "t/1", List.of("at Foo")));
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void codeSitesReadBackAsWritten() {
        for (String frame : List.of("com.x.Foo.bar(Foo.java:12)", "com.x.Foo$Inner.<init>(Foo.java:3)",
                "com.x.Foo$$Lambda/0x0000000800c03000.run(Unknown Source)", "jdk.internal.Thing.go(Thing.java)",
                "a.b.C.lambda$run$0(C.kt:7)")) {
            assertEquals(frame, CodeSite.parse(frame).longForm());
        }
        for (String bad : List.of("", "noParens", "Foo(Foo.java:1)", "com.x.Foo.bar(Foo.java:1", "com.x.Foo.(F.java:1)")) {
            assertEquals(null, CodeSite.parse(bad), bad);
        }
    }

    private static String texts(List<Finding> fs) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : fs) {
            sb.append(f.text());
        }
        return sb.toString();
    }
}
