package io.jlockdep.agent;

import io.jlockdep.agent.instrument.ClassInstrumenter;
import io.jlockdep.agent.instrument.LockMethodInstrumenter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings classes loaded before the agent started under instrumentation: at start-up the JDK's, after a dynamic attach
 * the application's too, and the lock-adjacent JDK classes whose hooks can wait a moment ({@code Thread.exit},
 * {@code ClassLoader.getClassLoadingLock}). Retransforming a class costs the JVM a full redefinition, so only classes
 * whose class file shows monitor operations are retransformed, in small batches; retransformation changes method
 * bodies only (see {@link ClassInstrumenter}). By default it runs on a daemon thread right after start-up, so that
 * start-up does not wait for it ({@code startup=wait} makes it run before the program's main).
 */
final class Retransformer implements Runnable {
    /** Classes per retransformClasses call: bounds each stop-the-world pause. */
    private static final int BATCH = 32;

    private final Instrumentation inst;
    private final ClassScope scope;
    private final boolean debug;

    Retransformer(Instrumentation inst, ClassScope scope, boolean debug) {
        this.inst = inst;
        this.scope = scope;
        this.debug = debug;
    }

    /** Starts the work on a daemon thread of its own, which never keeps the JVM alive. */
    void startInBackground() {
        Thread t = new Thread(this, "jlockdep-retransform");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        io.jlockdep.runtime.Engine.enterAgentCode();
        retransformNow();
    }

    /**
     * Retransforms now, before the agent's start returns, so that every lock the program takes from its first line on
     * is seen; the calling thread must be marked as running jlockdep's code.
     */
    void retransformNow() {
        long start = System.nanoTime();
        int done = retransformLoadedClasses();
        if (debug) {
            Messages.debug("retransformed " + done + " classes loaded before the agent started, in "
                    + (System.nanoTime() - start) / 1000000 + " ms");
        }
    }

    /** Retransforms every loaded class in scope that has monitor operations; returns how many were retransformed. */
    int retransformLoadedClasses() {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (isCandidate(c)) {
                candidates.add(c);
            }
        }
        int done = 0;
        for (int from = 0; from < candidates.size(); from += BATCH) {
            List<Class<?>> batch = candidates.subList(from, Math.min(candidates.size(), from + BATCH));
            done += retransform(batch.toArray(new Class<?>[0]));
        }
        return done;
    }

    private boolean isCandidate(Class<?> c) {
        if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) {
            return false;
        }
        String internalName = c.getName().replace('.', '/');
        if (LockMethodInstrumenter.handles(internalName)) {
            // Thread, ClassLoader, ManagementFactory...; the lock classes themselves were done at start-up
            return !internalName.startsWith("java/util/concurrent/locks/");
        }
        if (!scope.includes(internalName)) {
            return false;
        }
        byte[] classFile = classFile(c, internalName);
        return classFile != null && ClassInstrumenter.hasMonitorOperations(classFile);
    }

    /** The class file as its loader or module serves it; null when there is none (a generated class). */
    private static byte[] classFile(Class<?> c, String internalName) {
        try (InputStream in = c.getModule().getResourceAsStream(internalName.concat(".class"))) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Retransforms a batch; when the JVM refuses it, each class alone, so one bad class spoils nothing else. */
    private int retransform(Class<?>[] batch) {
        try {
            inst.retransformClasses(batch);
            return batch.length;
        } catch (Throwable batchFailure) {
            if (batch.length == 1) {
                if (debug) {
                    Messages.debug(batch[0].getName() + ": cannot retransform: " + batchFailure);
                }
                return 0;
            }
            int done = 0;
            for (Class<?> c : batch) {
                done += retransform(new Class<?>[] {c});
            }
            return done;
        }
    }
}
