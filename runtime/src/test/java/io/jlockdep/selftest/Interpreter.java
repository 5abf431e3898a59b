package io.jlockdep.selftest;

import io.jlockdep.Lockdep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a case's script on a {@link Backend}: real locks ({@link RealLocks}) or engine hooks (the runtime's
 * SelftestMatrixTest). Monitors are taken as nested blocks, so a monitor's release must be the innermost one.
 */
public final class Interpreter {
    /** What a step does to a lock. {@code lock} is what {@link #create} returned. */
    public interface Backend {
        Object create(Kind kind);

        /** Takes the monitor, runs the body (up to the monitor's release), releases it. */
        void synchronize(Object monitor, Runnable body);

        /** A blocking acquisition; returns a StampedLock's stamp. {@code blocks}: this really never returns. */
        long lock(Kind kind, Object lock, int mode, boolean blocks);

        /** A try-acquisition that succeeds; returns a StampedLock's stamp. */
        long tryLock(Kind kind, Object lock, int mode);

        void unlock(Kind kind, Object lock, int mode, long stamp);

        /** Object.wait / Condition.await on the held lock, untimed (it returns at once, interrupted). */
        void await(Kind kind, Object lock);

        void signal(Kind kind, Object lock);
    }

    /** Modes, as io.jlockdep.runtime.Mode numbers them. */
    public static final int EXCLUSIVE = 0;
    public static final int READ = 1;
    public static final int RECURSIVE_READ = 2;

    private static final class Hold {
        final String name;
        final int mode;
        final long stamp;

        Hold(String name, int mode, long stamp) {
            this.name = name;
            this.mode = mode;
            this.stamp = stamp;
        }
    }

    private final Case c;
    private final Backend backend;
    private final Map<String, Object> locks = new LinkedHashMap<>();
    private final List<Hold> holds = new ArrayList<>();
    private int pc;

    private Interpreter(Case c, Backend backend) {
        this.c = c;
        this.backend = backend;
    }

    /** Creates the case's locks, names their classes with {@link Lockdep#setClass}, and runs the script. */
    public static void run(Case c, Backend backend) {
        Interpreter in = new Interpreter(c, backend);
        for (Op op : c.ops) {
            if (op.verb != Op.Verb.THREAD && !in.locks.containsKey(op.lock)) {
                Object lock = backend.create(c.kind);
                Lockdep.setClass(lock, Expect.className(c.kind.type, Op.classOf(op.lock)));
                in.locks.put(op.lock, lock);
            }
        }
        in.block(null);
        if (in.pc != c.ops.size()) {
            throw new IllegalStateException(c.name + ": script stopped at step " + in.pc);
        }
    }

    /** Runs steps until the release of {@code monitor} (or the end of the script). */
    private void block(String monitor) {
        while (pc < c.ops.size()) {
            Op op = c.ops.get(pc++);
            Object lock = locks.get(op.lock);
            switch (op.verb) {
                case L:
                case R:
                case W:
                case RR:
                    if (c.kind == Kind.MONITOR) {
                        if (op.verb != Op.Verb.L) {
                            throw new IllegalStateException(c.name + ": monitors have no modes: " + op);
                        }
                        holds.add(new Hold(op.lock, EXCLUSIVE, 0));
                        backend.synchronize(lock, new Body(op.lock));
                    } else {
                        int mode = modeOf(op);
                        holds.add(new Hold(op.lock, mode, backend.lock(c.kind, lock, mode, op.blocks)));
                    }
                    break;
                case T:
                    int mode = modeOf(op);
                    holds.add(new Hold(op.lock, mode, backend.tryLock(c.kind, lock, mode)));
                    break;
                case U:
                    Hold h = lastHold(op.lock);
                    holds.remove(h);
                    if (c.kind == Kind.MONITOR) {
                        if (!op.lock.equals(monitor)) {
                            throw new IllegalStateException(c.name + ": monitor " + op.lock + " released out of order");
                        }
                        return;
                    }
                    backend.unlock(c.kind, lock, h.mode, h.stamp);
                    break;
                case WAIT:
                    backend.await(c.kind, lock);
                    break;
                case NOTIFY:
                    backend.signal(c.kind, lock);
                    break;
                case THREAD:
                    if (!holds.isEmpty() || monitor != null) {
                        throw new IllegalStateException(c.name + ": " + op + " with locks held");
                    }
                    continueInAnotherThread(op.lock);
                    return;
                default:
                    throw new IllegalStateException(op.toString());
            }
        }
    }

    /** Runs the rest of the script in a new thread, to its end (start and join order the interpreter's state). */
    private void continueInAnotherThread(String name) {
        RuntimeException[] failed = new RuntimeException[1];
        Thread t = new Thread(() -> {
            try {
                block(null);
            } catch (RuntimeException e) {
                failed[0] = e;
            }
        }, c.name + "/" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(c.name + ": interrupted", e);
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private int modeOf(Op op) {
        switch (op.verb) {
            case R:
                return READ;
            case W:
                return EXCLUSIVE;
            case RR:
                return RECURSIVE_READ;
            default:
                return c.kind.read ? READ : EXCLUSIVE;
        }
    }

    private Hold lastHold(String name) {
        for (int i = holds.size() - 1; i >= 0; i--) {
            if (holds.get(i).name.equals(name)) {
                return holds.get(i);
            }
        }
        throw new IllegalStateException(c.name + ": " + name + " released but not held");
    }

    /** The steps inside a monitor's block. */
    private final class Body implements Runnable {
        private final String monitor;

        Body(String monitor) {
            this.monitor = monitor;
        }

        @Override
        public void run() {
            block(monitor);
        }
    }
}
