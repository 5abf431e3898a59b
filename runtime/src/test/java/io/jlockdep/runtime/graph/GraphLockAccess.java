package io.jlockdep.runtime.graph;

/** Lets tests in other packages hold the graph lock, which stays package-private in the runtime. */
public final class GraphLockAccess {
    private GraphLockAccess() {
    }

    public static Object graphLock() {
        return LockGraph.GRAPH_LOCK;
    }
}
