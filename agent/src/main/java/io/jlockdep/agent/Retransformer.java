package io.jlockdep.agent;

import io.jlockdep.agent.instrument.ClassInstrumenter;
import io.jlockdep.agent.instrument.LockMethodInstrumenter;
import io.jlockdep.agent.instrument.WaitMethodInstrumenter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings classes loaded before the agent started under instrumentation: at start-up the JDK's, after a dynamic attach
 * the application's too, and the lock-adjacent JDK classes whose hooks can wait a moment
 * ({@code ClassLoader.getClassLoadingLock}; not {@code Thread}: see {@link #isThreadClass}). Retransforming a class
 * costs the JVM a full redefinition, so only classes whose class file shows monitor operations are retransformed
 * (which JDK classes those are comes from the {@link JdkClassCache} when it knows them), in one batch before main and
 * in small batches while the program runs; retransformation changes method bodies only (see
 * {@link ClassInstrumenter}). By default everything is done before main, so that every lock is checked from its first
 * line; {@code startup=background} leaves the JDK's classes to a daemon thread (application classes loaded early, by
 * another agent that started first, are always done before main: they are few and they are the program's own code).
 */
final class Retransformer implements Runnable {
    /**
     * Classes per retransformClasses call while the program runs: each call is a stop-the-world pause and a window in
     * which the program could exhaust the heap (see {@link #awaitHeapRoom}). Before main, one call does them all.
     */
    private static final int BATCH_WHILE_RUNNING = 4;
    /** How long a retransformation in the caller's thread waits for heap room, before it leaves the rest. */
    private static final long CALLER_WAIT_MILLIS = 5000;
    /** Interval between two looks at the heap; a calm heap changes little across it. */
    private static final long HEAP_POLL_MILLIS = 10;

    private final Instrumentation inst;
    private final ClassScope scope;
    private final boolean debug;
    private final LockdepTransformer transformer;
    private final JdkClassCache cache;
    private final RewrittenClassCache rewrittenCache;
    private volatile boolean background;
    private volatile boolean programRunning;

    /**
     * Whose loaded classes a pass looks at: the JDK's are those of the boot and platform loaders; the application's
     * pass, before main, also takes the thread classes (see {@link #isThreadClass}) and the JDK classes behind waits
     * that are not locks (futures, latches, queues, pools).
     */
    private enum Definers { ALL, APPLICATION, JDK }

    Retransformer(Instrumentation inst, ClassScope scope, boolean debug, LockdepTransformer transformer,
                  JdkClassCache cache, RewrittenClassCache rewrittenCache) {
        this.cache = cache;
        this.rewrittenCache = rewrittenCache;
        this.transformer = transformer;
        this.inst = inst;
        this.scope = scope;
        this.debug = debug;
    }

    /** Starts the work on a daemon thread of its own, which never keeps the JVM alive. */
    void startInBackground() {
        background = true;
        programRunning = true;
        Thread t = new Thread(this, "jlockdep-retransform");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        io.jlockdep.runtime.Engine.enterAgentCode();
        retransformNow(Definers.JDK); // the application's were done before main
        transformer.stopNotingDefinitions();
    }

    /**
     * Retransforms now, in the calling thread, which must be marked as running jlockdep's code: before main (so that
     * every lock the program takes from its first line on is seen), or in the thread of a dynamic attach, while the
     * program runs.
     */
    void retransformNow(boolean whileProgramRuns) {
        programRunning = whileProgramRuns;
        retransformNow(Definers.ALL);
        transformer.stopNotingDefinitions();
    }

    /**
     * Retransforms, in the calling thread before main, the classes that application class loaders defined before the
     * agent started, and the thread classes; {@link #startInBackground} then leaves them out.
     */
    void retransformApplicationClassesNow() {
        programRunning = false;
        retransformNow(Definers.APPLICATION);
    }

    private void retransformNow(Definers definers) {
        long start = System.nanoTime();
        int done = retransformLoadedClasses(definers);
        if (definers != Definers.APPLICATION) {
            cache.save(); // what the JDK's class files showed, for the next JVM
            rewrittenCache.save();
        }
        if (debug) {
            if (rewrittenCache.isOn()) {
                Messages.debug("cache: " + rewrittenCache.hits() + " classes from the rewritten-class cache");
            }
            Messages.debug("retransformed " + done + " classes loaded before the agent started, in "
                    + (System.nanoTime() - start) / 1000000 + " ms");
        }
    }

    /**
     * Retransforms each loaded class of those definers, in scope, with monitor operations, and every class loader of
     * the application that declares a {@code loadClass}; returns how many. The loaders go first: the classes they
     * defined resolve the runtime through them as soon as those are rewritten.
     */
    private int retransformLoadedClasses(Definers definers) {
        long scanStart = System.nanoTime();
        List<Class<?>> candidates = new ArrayList<>();
        List<Class<?>> others = new ArrayList<>();
        Class<?>[] loaded = inst.getAllLoadedClasses();
        for (Class<?> c : loaded) {
            if (transformer.definedSinceRegistered(c)) {
                continue; // rewritten as it was defined
            }
            if (isBridgedLoader(c, definers)) {
                candidates.add(c);
            } else if (isCandidate(c, definers)) {
                others.add(c);
            }
        }
        candidates.addAll(others);
        if (debug) {
            Messages.debug("looked at " + loaded.length + " loaded classes, " + candidates.size() + " to retransform, in "
                    + (System.nanoTime() - scanStart) / 1000 + " us");
        }
        int batchSize = programRunning ? BATCH_WHILE_RUNNING : Math.max(1, candidates.size());
        int done = 0;
        for (int from = 0; from < candidates.size(); from += batchSize) {
            if (programRunning && !awaitHeapRoom()) {
                Messages.error((candidates.size() - from) + " classes loaded before the agent started are not"
                        + " checked: the heap stayed nearly full or busy for " + CALLER_WAIT_MILLIS + " ms");
                break;
            }
            List<Class<?>> batch = candidates.subList(from, Math.min(candidates.size(), from + batchSize));
            done += retransform(batch.toArray(new Class<?>[0]));
        }
        return done;
    }

    /**
     * Waits until the heap is roomy and calm. A redefinition allocates on the heap; when that fails, java.instrument
     * cannot create the OutOfMemoryError it means to throw and the JVM dies (JDK 17 and 25). So while the program
     * runs, a batch starts only when a quarter of the heap is free (garbage counted as used) and the heap changed by
     * less than a twentieth of its size over the last poll: a program racing towards its limit is left alone. In the
     * background this waits as long as it takes; in the caller's thread a bounded time. Returns whether to go on.
     */
    private boolean awaitHeapRoom() {
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        if (max == Long.MAX_VALUE) {
            return true;
        }
        long deadline = System.nanoTime() + CALLER_WAIT_MILLIS * 1000000L;
        long before = usedHeap(rt);
        while (true) {
            try {
                Thread.sleep(HEAP_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            long now = usedHeap(rt);
            if (max - now >= max / 4 && Math.abs(now - before) < max / 20) {
                return true;
            }
            if (!background && System.nanoTime() - deadline > 0) {
                return false;
            }
            before = now;
        }
    }

    private static long usedHeap(Runtime rt) {
        return rt.totalMemory() - rt.freeMemory();
    }

    private boolean isCandidate(Class<?> c, Definers definers) {
        if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) {
            return false;
        }
        String internalName = c.getName().replace('.', '/');
        if (WaitMethodInstrumenter.handles(internalName)) {
            // Futures, latches, queues, pools, Thread: before main, with the thread classes; a task begun, a pool or a
            // thread created before they were rewritten would go unseen for its whole life.
            return definers != Definers.JDK;
        }
        if (LockMethodInstrumenter.handles(internalName)) {
            // Thread, ClassLoader, ManagementFactory...; the lock classes themselves were done at start-up
            return !internalName.startsWith("java/util/concurrent/locks/")
                    && (definers == Definers.ALL || (definers == Definers.APPLICATION) == isThreadClass(internalName));
        }
        if (definers != Definers.ALL && (definers == Definers.APPLICATION) != definedByApplication(c)) {
            return false;
        }
        if (!scope.includes(internalName)) {
            return false;
        }
        boolean jdk = isJdkClass(c);
        Boolean known = jdk ? cache.hasMonitorOperations(c.getName()) : null;
        if (known != null) {
            return known;
        }
        byte[] classFile = classFile(c, internalName);
        if (classFile == null) {
            return false;
        }
        boolean monitors = ClassInstrumenter.hasMonitorOperations(classFile);
        if (jdk) {
            cache.recordMonitorOperations(c.getName(), monitors);
        }
        return monitors;
    }

    /**
     * Thread and VirtualThread, whose {@code run} is the bottom frame of every thread: done before main. A method that
     * is running while its class is retransformed goes on as the old version, which HotSpot's stack walks show without
     * its source file ({@code Thread.getStackTrace}) or its line too (StackWalker); so every thread started before a
     * background pass got to Thread would show {@code Thread.run(Unknown Source)} in every report, for its whole life.
     */
    private static boolean isThreadClass(String internalName) {
        return internalName.equals("java/lang/Thread") || internalName.equals("java/lang/VirtualThread");
    }

    /**
     * A class of the JDK's runtime image, the only ones the cache keeps: defined by the boot or the platform loader in
     * a named module (what the boot loader takes from {@code -Xbootclasspath/a} is in its unnamed module).
     */
    private static boolean isJdkClass(Class<?> c) {
        return c.getModule().isNamed() && !definedByApplication(c);
    }

    private static boolean definedByApplication(Class<?> c) {
        return LockdepTransformer.definedByApplication(c.getClassLoader());
    }

    /** A class loader of the application's that declares a {@code loadClass}: it must answer jlockdep's runtime. */
    private boolean isBridgedLoader(Class<?> c, Definers definers) {
        if (definers == Definers.JDK || !ClassLoader.class.isAssignableFrom(c)
                || !definedByApplication(c) || !inst.isModifiableClass(c)) {
            return false;
        }
        return declares(c, String.class) || declares(c, String.class, boolean.class);
    }

    private static boolean declares(Class<?> loader, Class<?>... parameters) {
        try {
            loader.getDeclaredMethod("loadClass", parameters);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        } catch (RuntimeException | LinkageError e) {
            return true; // its methods cannot even be listed: let the transformer look at its class file
        }
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
