package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Breadth-first search for the shortest strong path between two lock classes, under lockdep's rule: no -(xR)-> may
 * be followed by -(Sx)->. The live graph and the offline (merged) graphs use this one search. An instance keeps its
 * work arrays between searches and is not thread-safe: the live graph calls it under its graph lock.
 */
public final class PathSearch {
    // Visit stamps by lock class id, one per "reached only through -(xR)->" state: nothing is cleared between searches.
    private int[] visited = new int[64];
    private int[] visitedOnlyRecursive = new int[64];
    private int generation;

    private LockClass[] queueClass = new LockClass[64];
    private boolean[] queueOnlyRecursive = new boolean[64];
    private int[] queueParent = new int[64];
    private Dependency[] queueVia = new Dependency[64];

    /**
     * The shortest strong path from {@code source} (about to be taken in {@code sourceMode}) to {@code target} (held in
     * {@code targetMode}), as its edges in order; null when there is none. Each class is visited at most once per
     * only-recursive state, which keeps the search linear and exact under the strong-path rule.
     */
    List<Dependency> find(LockClass source, int sourceMode, LockClass target, int targetMode) {
        int gen = nextGeneration();
        int head = 0;
        int tail = 0;
        boolean rootOnlyRecursive = sourceMode == Mode.RECURSIVE_READ;
        enqueue(tail++, source, rootOnlyRecursive, -1, null);
        mark(source, rootOnlyRecursive, gen);
        while (head < tail) {
            int at = head++;
            LockClass c = queueClass[at];
            boolean onlyRecursive = queueOnlyRecursive[at];
            List<Dependency> edges = c.after;
            for (int i = 0, n = edges.size(); i < n; i++) {
                Dependency d = edges.get(i);
                int types = d.types;
                if (onlyRecursive) {
                    // -(xR)-> followed by -(Sx)-> is not a strong path
                    types &= ~DepType.FROM_SHARED;
                }
                if (types == 0) {
                    continue;
                }
                boolean childOnlyRecursive = (types & DepType.TO_NON_RECURSIVE) == 0;
                LockClass to = d.to;
                if (to == target && (targetMode == Mode.EXCLUSIVE || !childOnlyRecursive)) {
                    return pathTo(at, d);
                }
                if (isMarked(to, childOnlyRecursive, gen)) {
                    continue;
                }
                mark(to, childOnlyRecursive, gen);
                enqueue(tail++, to, childOnlyRecursive, at, d);
            }
        }
        return null;
    }

    /**
     * Whether some path leads from {@code source} to {@code target} through at least one dependency not gated by
     * {@code gate} (see {@link LockGraph}). Every dependency counts, whatever its modes: more paths than the strong
     * ones, so a cycle is only ever taken for gated when it is.
     */
    boolean reachesWithout(LockClass source, LockClass target, LockClass gate) {
        // The two visit stamps hold the two states: reached with every dependency so far gated (dominated), or not.
        int gen = nextGeneration();
        int head = 0;
        int tail = 0;
        enqueue(tail++, source, true, -1, null);
        mark(source, true, gen);
        while (head < tail) {
            int at = head++;
            LockClass c = queueClass[at];
            boolean allGated = queueOnlyRecursive[at];
            List<Dependency> edges = c.after;
            for (int i = 0, n = edges.size(); i < n; i++) {
                Dependency d = edges.get(i);
                boolean stillGated = allGated && d.gatedBy(gate);
                LockClass to = d.to;
                if (to == target) {
                    if (!stillGated) {
                        return true;
                    }
                    continue;
                }
                if (!isMarked(to, stillGated, gen)) {
                    mark(to, stillGated, gen);
                    enqueue(tail++, to, stillGated, at, d);
                }
            }
        }
        return false;
    }

    private int nextGeneration() {
        if (++generation == 0) {
            // Wrapped around: old stamps could collide with the new generation.
            Arrays.fill(visited, 0);
            Arrays.fill(visitedOnlyRecursive, 0);
            generation = 1;
        }
        return generation;
    }

    private boolean isMarked(LockClass c, boolean onlyRecursive, int gen) {
        // Reached with every edge type allowed beats reached through recursive reads only.
        int id = c.id();
        if (id >= visited.length) {
            return false;
        }
        return visited[id] == gen || (onlyRecursive && visitedOnlyRecursive[id] == gen);
    }

    private void mark(LockClass c, boolean onlyRecursive, int gen) {
        int id = c.id();
        if (id >= visited.length) {
            int n = Math.max(id + 1, visited.length * 2);
            visited = Arrays.copyOf(visited, n);
            visitedOnlyRecursive = Arrays.copyOf(visitedOnlyRecursive, n);
        }
        if (onlyRecursive) {
            visitedOnlyRecursive[id] = gen;
        } else {
            visited[id] = gen;
        }
    }

    private void enqueue(int slot, LockClass c, boolean onlyRecursive, int parent, Dependency via) {
        if (slot >= queueClass.length) {
            int n = queueClass.length * 2;
            queueClass = Arrays.copyOf(queueClass, n);
            queueOnlyRecursive = Arrays.copyOf(queueOnlyRecursive, n);
            queueParent = Arrays.copyOf(queueParent, n);
            queueVia = Arrays.copyOf(queueVia, n);
        }
        queueClass[slot] = c;
        queueOnlyRecursive[slot] = onlyRecursive;
        queueParent[slot] = parent;
        queueVia[slot] = via;
    }

    /** The edges from the root to the node at {@code at}, then {@code last}. */
    private List<Dependency> pathTo(int at, Dependency last) {
        List<Dependency> reversed = new ArrayList<>();
        reversed.add(last);
        for (int i = at; queueVia[i] != null; i = queueParent[i]) {
            reversed.add(queueVia[i]);
        }
        List<Dependency> path = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            path.add(reversed.get(i));
        }
        return path;
    }

    /** A cycle's identity: the sorted ids of its edges, {@code path} plus the closing edge {@code from → to}. */
    static String signature(List<Dependency> path, LockClass from, LockClass to) {
        List<String> edges = new ArrayList<>(path.size() + 1);
        for (Dependency d : path) {
            edges.add(d.from.id() + ">" + d.to.id());
        }
        edges.add(from.id() + ">" + to.id());
        edges.sort(null);
        return String.join(",", edges);
    }
}
