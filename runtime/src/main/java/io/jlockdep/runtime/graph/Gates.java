package io.jlockdep.runtime.graph;

import io.jlockdep.runtime.HeldLock;
import io.jlockdep.runtime.ThreadState;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Mode;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * The candidates for a gate lock (see {@link LockGraph}): the classes a thread holds exclusively below the lock an
 * order starts from, narrowed over every time the order is taken. Shared by the class graph and the instance orders
 * ({@link Nesting}).
 */
final class Gates {
    static final LockClass[] NONE = new LockClass[0];

    private Gates() {
    }

    /** The validated classes held exclusively below position {@code at} of the thread's stack. */
    static LockClass[] below(ThreadState ts, int at) {
        LockClass[] gates = NONE;
        int n = 0;
        for (int i = 0; i < at; i++) {
            HeldLock h = ts.held(i);
            if (h.mode() == Mode.EXCLUSIVE && h.lockClass().validated()) {
                if (n == gates.length) {
                    gates = Arrays.copyOf(gates, Math.max(2, n * 2));
                }
                gates[n++] = h.lockClass();
            }
        }
        return n == gates.length ? gates : Arrays.copyOf(gates, n);
    }

    /**
     * The locks of a taking of an order, weakly, as {@link Dependency#firstTaking} keeps them: {@code from},
     * {@code to}, then the instance of each lock {@link #below} listed; null when there is no gate candidate.
     */
    @SuppressWarnings("unchecked")
    static WeakReference<Object>[] taking(ThreadState ts, int at, Object from, Object to, LockClass[] gates) {
        if (gates.length == 0) {
            return null;
        }
        WeakReference<Object>[] out = new WeakReference[2 + gates.length];
        out[0] = new WeakReference<>(from);
        out[1] = new WeakReference<>(to);
        int n = 2;
        for (int i = 0; i < at && n < out.length; i++) {
            HeldLock h = ts.held(i);
            if (h.mode() == Mode.EXCLUSIVE && h.lockClass().validated()) {
                out[n++] = new WeakReference<>(h.instance());
            }
        }
        return out;
    }

    /**
     * The outermost lock of class {@code g} the thread holds exclusively below position {@code at}: the instance that
     * gates what it takes there (see {@link GatedCycle}); null when it holds none.
     */
    static Object outermost(ThreadState ts, int at, LockClass g) {
        for (int i = 0; i < at; i++) {
            HeldLock h = ts.held(i);
            if (h.lockClass() == g && h.mode() == Mode.EXCLUSIVE) {
                return h.instance();
            }
        }
        return null;
    }

    /**
     * Whether the thread holds {@code instance}, a lock of class {@code g}, exclusively below position {@code at}: a
     * thread that holds two gate instances (copying from one database into another) still holds the one a lock of the
     * cycle was first taken under.
     */
    static boolean holdsBelow(ThreadState ts, int at, LockClass g, Object instance) {
        for (int i = 0; i < at; i++) {
            HeldLock h = ts.held(i);
            if (h.instance() == instance && h.lockClass() == g && h.mode() == Mode.EXCLUSIVE) {
                return true;
            }
        }
        return false;
    }

    /** The position of {@code h} in the thread's stack. */
    static int indexOf(ThreadState ts, HeldLock h) {
        for (int i = 0; i < ts.depth(); i++) {
            if (ts.held(i) == h) {
                return i;
            }
        }
        return 0;
    }

    /** {@code gates} without those not in {@code held}: {@code gates} itself when nothing goes. */
    static LockClass[] keep(LockClass[] gates, LockClass[] held) {
        int kept = 0;
        for (LockClass g : gates) {
            if (contains(held, g)) {
                kept++;
            }
        }
        if (kept == gates.length) {
            return gates;
        }
        LockClass[] out = new LockClass[kept];
        int n = 0;
        for (LockClass g : gates) {
            if (contains(held, g)) {
                out[n++] = g;
            }
        }
        return out;
    }

    /**
     * A gated cycle as the statistics list it: {@code A --> B --> A, gated by G}, instances named where known, and
     * {@code per instance} when G has several instances, each gating its own locks of the cycle.
     */
    static String describe(io.jlockdep.runtime.finding.Finding f, LockClass gate, boolean perInstance) {
        StringBuilder cycle = new StringBuilder();
        for (io.jlockdep.runtime.finding.Finding.Step step : f.steps()) {
            cycle.append(name(step.lock())).append(" --> ");
        }
        return cycle.append(name(f.steps().get(0).lock())).append(", gated by ").append(gate.name())
                .append(perInstance ? " per instance" : "").toString();
    }

    private static String name(io.jlockdep.runtime.finding.Finding.Lock l) {
        return l.instance() == null ? l.name() : l.name() + ' ' + l.instance();
    }

    static boolean contains(LockClass[] gates, LockClass g) {
        for (LockClass c : gates) {
            if (c == g) {
                return true;
            }
        }
        return false;
    }
}
