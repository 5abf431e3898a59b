package io.jlockdep.agent;

import io.jlockdep.agent.instrument.ClassInstrumenter;
import io.jlockdep.agent.instrument.ClassLoaderInstrumenter;
import io.jlockdep.agent.instrument.InstrumentationException;
import io.jlockdep.agent.instrument.LockMethodInstrumenter;
import io.jlockdep.agent.instrument.StackTraceInstrumenter;
import io.jlockdep.agent.instrument.WaitMethodInstrumenter;
import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.lockclass.Sites;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rewrites monitors, synchronized methods, lock allocations and lock call sites of the classes in scope, and the JDK's
 * lock classes and wait methods whatever the scope. A class that cannot be rewritten is left as it was and counted;
 * the debug option prints why.
 */
final class LockdepTransformer implements ClassFileTransformer {
    private final Instrumentation inst;
    private final ClassScope scope;
    private final boolean debug;
    private final boolean markAcquired;
    private final boolean lockStat;
    private final Module runtimeModule;
    private final RewrittenClassCache rewrittenCache;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger instrumented = new AtomicInteger();
    /** Time spent in {@link #transform}, for debug's start-up breakdown (see BENCHMARKS.md). */
    private final AtomicLong nanos = new AtomicLong();
    /**
     * The classes defined since this transformer was registered (internal names by loader), noted until the
     * {@link Retransformer} has listed the classes loaded before it. Those were rewritten as they were defined; a
     * retransformation would rewrite them again from their original class file, where only a first definition may
     * change a method's modifiers, so the JVM would refuse it (and a refused batch is redone class by class).
     */
    private Map<ClassLoader, Set<String>> definedSinceRegistered = new IdentityHashMap<>();

    LockdepTransformer(Instrumentation inst, ClassScope scope, boolean debug, boolean markAcquired, boolean lockStat,
                       Module runtimeModule, RewrittenClassCache rewrittenCache) {
        this.rewrittenCache = rewrittenCache;
        this.inst = inst;
        this.scope = scope;
        this.debug = debug;
        this.markAcquired = markAcquired;
        this.lockStat = lockStat;
        this.runtimeModule = runtimeModule;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (className == null) {
            return null;
        }
        long start = System.nanoTime();
        if (classBeingRedefined == null) {
            noteDefined(loader, className);
        }
        try {
            if (rewrittenCache.isOn() && !definedByApplication(loader) && module != null && module.isNamed()) {
                return rewriteJdkClass(module, loader, className, classBeingRedefined, classFile);
            }
            return rewrite(module, loader, className, classBeingRedefined, classFile);
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
        }
    }

    /**
     * A class of the JDK's runtime image: its rewritten bytes from the {@link RewrittenClassCache} when it has them for
     * this class file, else rewritten here and kept there with the sites the rewrite registered.
     */
    private byte[] rewriteJdkClass(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                   byte[] classFile) {
        boolean previous = Engine.enterAgentCode(); // the cache's lookups and redefineModule are jlockdep's work
        try {
            int flags = (classBeingRedefined == null ? RewrittenClassCache.FIRST_DEFINITION : 0)
                    | (scope.includes(className) ? RewrittenClassCache.CHECKED : 0);
            byte[] cached = rewrittenCache.rewritten(className, flags, classFile);
            if (cached != null) {
                readRuntime(module);
                return cached;
            }
            int failuresBefore = failures.get();
            List<Sites.Registration> outer = Sites.startRecording();
            byte[] rewritten;
            List<Sites.Registration> registered;
            try {
                rewritten = rewrite(module, loader, className, classBeingRedefined, classFile);
            } finally {
                registered = Sites.stopRecording(outer);
            }
            // A rewrite that failed in part is not kept: the next JVM tries again (and says why).
            if (rewritten != null && failures.get() == failuresBefore) {
                rewrittenCache.keep(className, flags, classFile, rewritten, registered);
            }
            return rewritten;
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    private byte[] rewrite(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                             byte[] classFile) {
        byte[] rewritten = LockMethodInstrumenter.handles(className) ? lockClass(className, classFile)
                : scopedClass(module, loader, className, classBeingRedefined, classFile);
        if (WaitMethodInstrumenter.handles(className)) {
            byte[] withWaits = waitClass(className, rewritten != null ? rewritten : classFile);
            if (withWaits != null) {
                rewritten = withWaits;
            }
        }
        return rewritten;
    }

    /**
     * A class in scope (its monitors, lock allocations and lock calls), {@code Throwable} (its stack traces) or a class
     * loader of the program's (the runtime answered from the boot class path): null when it is none of them.
     */
    private byte[] scopedClass(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                               byte[] classFile) {
        boolean checked = scope.includes(className);
        boolean stackTraces = className.equals(StackTraceInstrumenter.TARGET);
        // A loader of the JDK's own (boot or platform) delegates to the boot class path first anyway.
        boolean bridged = definedByApplication(loader) && ClassLoaderInstrumenter.mayDeclareLoadClass(classFile);
        if (!checked && !stackTraces && !bridged) {
            return null;
        }
        boolean previous = Engine.enterAgentCode();
        try {
            byte[] rewritten = checked ? checkedLocks(module, classFile, classBeingRedefined == null) : null;
            // What keeps the host safe is done whatever include= and exclude= say.
            if (stackTraces) {
                rewritten = orElse(StackTraceInstrumenter.instrument(orElse(rewritten, classFile)), rewritten);
            }
            if (bridged) {
                rewritten = orElse(ClassLoaderInstrumenter.instrument(orElse(rewritten, classFile)), rewritten);
            }
            return rewritten;
        } catch (InstrumentationException e) {
            failures.incrementAndGet();
            if (debug) {
                Messages.debug(e.getMessage());
            }
            return null;
        } catch (Throwable t) {
            failures.incrementAndGet();
            if (debug) {
                Messages.debug(className.replace('/', '.') + ": cannot instrument: " + t);
            }
            return null;
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    /** A JDK class behind waits that are not locks (futures, latches, queues, threads, pools). */
    private byte[] waitClass(String className, byte[] classFile) {
        boolean previous = Engine.enterAgentCode();
        try {
            return WaitMethodInstrumenter.instrument(classFile);
        } catch (Throwable t) {
            failures.incrementAndGet();
            Messages.error("cannot instrument " + className.replace('/', '.') + ", its waits are not checked: " + t);
            return null;
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    /** The class with its locks rewritten for checking, or null when it has none. */
    private byte[] checkedLocks(Module module, byte[] classFile, boolean firstDefinition) {
        ClassInstrumenter.Result result = ClassInstrumenter.transform(classFile, firstDefinition, markAcquired);
        if (debug) {
            for (String note : result.notes()) {
                Messages.debug(note);
            }
        }
        byte[] rewritten = result.classFile();
        if (rewritten != null) {
            readRuntime(module);
            instrumented.incrementAndGet();
        }
        return rewritten;
    }

    private static byte[] orElse(byte[] classFile, byte[] otherwise) {
        return classFile != null ? classFile : otherwise;
    }

    /** A class loader that is not one of the JDK's own (those of the boot and platform class paths). */
    static boolean definedByApplication(ClassLoader loader) {
        return loader != null && loader != ClassLoader.getPlatformClassLoader();
    }

    private byte[] lockClass(String className, byte[] classFile) {
        boolean previous = Engine.enterAgentCode();
        try {
            return LockMethodInstrumenter.instrument(classFile, markAcquired, lockStat);
        } catch (Throwable t) {
            failures.incrementAndGet();
            Messages.error("cannot instrument " + className.replace('/', '.') + ", its locks are not checked: " + t);
            return null;
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    /**
     * Runs every path of the rewriting once on JDK classes before the transformer is registered. The transformer runs
     * inside class loading: a JDK class its own code needed for the first time then (reading a class file, encoding a
     * name, ASM's own classes) could be the very class being loaded, which the JVM refuses with a
     * ClassCircularityError.
     */
    void warmUp() {
        for (String sample : new String[] {"java/util/Hashtable.class", "java/util/concurrent/LinkedBlockingQueue.class",
            "java/lang/Integer.class"}) {
            try (java.io.InputStream in = Object.class.getModule().getResourceAsStream(sample)) {
                if (in == null) {
                    continue;
                }
                byte[] classFile = in.readAllBytes();
                ClassInstrumenter.hasMonitorOperations(classFile);
                ClassInstrumenter.transform(classFile, true, markAcquired);
                ClassInstrumenter.transform(classFile, false, markAcquired);
                WaitMethodInstrumenter.instrument(classFile);
            } catch (java.io.IOException | RuntimeException e) {
                if (debug) {
                    Messages.debug("warm-up on " + sample + ": " + e);
                }
            }
        }
    }

    /** Instrumented code of a named module calls the runtime, which lives in the boot loader's unnamed module. */
    private void readRuntime(Module module) {
        if (module != null && module.isNamed() && !module.canRead(runtimeModule)) {
            inst.redefineModule(module, Set.of(runtimeModule), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    int failures() {
        return failures.get();
    }

    int instrumented() {
        return instrumented.get();
    }

    private synchronized void noteDefined(ClassLoader loader, String className) {
        if (definedSinceRegistered != null) {
            Set<String> names = definedSinceRegistered.get(loader);
            if (names == null) {
                names = new HashSet<>();
                definedSinceRegistered.put(loader, names);
            }
            names.add(className);
        }
    }

    /** Whether the class was defined after this transformer was registered (so it was rewritten then). */
    synchronized boolean definedSinceRegistered(Class<?> c) {
        Set<String> names = definedSinceRegistered == null ? null : definedSinceRegistered.get(c.getClassLoader());
        return names != null && names.contains(c.getName().replace('.', '/'));
    }

    /** The classes loaded before the agent are listed: definitions need no longer be noted. */
    synchronized void stopNotingDefinitions() {
        definedSinceRegistered = null;
    }

    long millisTransforming() {
        return nanos.get() / 1000000;
    }
}
