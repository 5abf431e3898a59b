package io.jlockdep.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.lockclass.Mode;
import io.jlockdep.selftest.Case;
import io.jlockdep.selftest.Interpreter;
import io.jlockdep.selftest.Kind;
import io.jlockdep.selftest.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The selftest matrix ({@link Matrix}, modelled on lib/locking-selftest.c) driven through {@link Hooks}, without an
 * agent: each step makes the hook calls the agent's rewritten bytecode makes; the Java locks are not taken. The same
 * cases run with real locks under the agent in the it-tests' SelftestMatrixIT.
 */
class SelftestMatrixTest {
    private final List<Finding> findings = new ArrayList<>();

    @AfterEach
    void stop() {
        Engine.stop();
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        return Matrix.cases().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> run(c)));
    }

    private void run(Case c) {
        findings.clear();
        Engine.start(Config.builder().strictNesting(c.strict).build(), findings::add);
        Engine.reset();
        try {
            Interpreter.run(c, new HookLocks());
        } finally {
            Engine.reset();
            Engine.stop();
        }
        List<String> texts = new ArrayList<>();
        for (Finding f : findings) {
            texts.add(f.text());
        }
        String mismatch = c.expect.mismatch(texts);
        assertEquals(null, mismatch, () -> c + "\n" + mismatch);
    }

    /** The hook calls of each step, as in {@link Locks}. */
    static final class HookLocks implements Interpreter.Backend {
        @Override
        public Object create(Kind kind) {
            switch (kind) {
                case MONITOR:
                    return new Object();
                case REENTRANT_LOCK:
                    return new ReentrantLock();
                case RW_READ:
                case RW_WRITE:
                    return new ReentrantReadWriteLock();
                default:
                    return new StampedLock();
            }
        }

        @Override
        public void synchronize(Object monitor, Runnable body) {
            Hooks.monitorEnter(monitor, 0);
            body.run();
            Hooks.monitorExit(monitor);
        }

        private static int type(Object lock) {
            if (lock instanceof ReentrantLock) {
                return Hooks.REENTRANT_LOCK;
            }
            return lock instanceof ReentrantReadWriteLock ? Hooks.READ_WRITE_LOCK : Hooks.STAMPED_LOCK;
        }

        /** The object the agent's hooks pass as the lock method's receiver. */
        private static Object view(Object lock, int mode) {
            if (lock instanceof ReentrantReadWriteLock) {
                ReentrantReadWriteLock rw = (ReentrantReadWriteLock) lock;
                return mode == Mode.EXCLUSIVE ? rw.writeLock() : rw.readLock();
            }
            return lock;
        }

        @Override
        public long lock(Kind kind, Object lock, int mode, boolean blocks) {
            Object identity = Locks.sync(lock);
            // Recorded on entry, as the rewritten lock method does; one that would block forever is reported there.
            Hooks.beforeLock(identity, view(lock, mode), type(lock), mode);
            return 1L;
        }

        @Override
        public long tryLock(Kind kind, Object lock, int mode) {
            if (lock instanceof StampedLock) {
                Hooks.afterTryLockStamp(1L, lock, mode);
            } else {
                Hooks.afterTryLock(true, Locks.sync(lock), view(lock, mode), type(lock), mode);
            }
            return 1L;
        }

        @Override
        public void unlock(Kind kind, Object lock, int mode, long stamp) {
            Hooks.afterUnlock(Locks.sync(lock), mode);
        }

        @Override
        public void await(Kind kind, Object lock) {
            Hooks.beforeWait(Locks.sync(lock), io.jlockdep.runtime.graph.WaitNotify.UNTIMED);
        }

        @Override
        public void signal(Kind kind, Object lock) {
            Hooks.beforeNotify(Locks.sync(lock));
        }
    }
}
