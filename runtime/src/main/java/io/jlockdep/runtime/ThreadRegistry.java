package io.jlockdep.runtime;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Every thread (platform or virtual) that has run a hook, held weakly: a thread's state lives only as long as the
 * thread's own thread-local map keeps it. Read by the watchdog and by dumps of the locks all threads hold.
 */
public final class ThreadRegistry {
    private static final Object LOCK = new Object();
    @SuppressWarnings("unchecked")
    private static WeakReference<ThreadState>[] states = new WeakReference[64];
    private static int size;

    private ThreadRegistry() {
    }

    static void add(ThreadState ts) {
        WeakReference<ThreadState> ref = new WeakReference<>(ts);
        synchronized (LOCK) {
            if (size == states.length) {
                makeRoom();
            }
            states[size++] = ref;
        }
    }

    /** The threads whose state is still reachable, in registration order. */
    public static List<ThreadState> live() {
        List<ThreadState> out = new ArrayList<>();
        synchronized (LOCK) {
            for (int i = 0; i < size; i++) {
                ThreadState ts = states[i].get();
                if (ts != null) {
                    out.add(ts);
                }
            }
        }
        return out;
    }

    /** Drops collected entries; grows only when most are alive, so the table stays within twice the live threads. */
    private static void makeRoom() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!states[i].refersTo(null)) {
                states[kept++] = states[i];
            }
        }
        for (int i = kept; i < size; i++) {
            states[i] = null;
        }
        size = kept;
        if (size > states.length / 2) {
            states = java.util.Arrays.copyOf(states, states.length * 2);
        }
    }
}
