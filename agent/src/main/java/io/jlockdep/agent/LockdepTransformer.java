package io.jlockdep.agent;

import io.jlockdep.agent.instrument.ClassFilePreScan;
import io.jlockdep.agent.instrument.ClassInstrumenter;
import io.jlockdep.agent.instrument.InstrumentationException;
import io.jlockdep.agent.instrument.LockMethodClasses;
import io.jlockdep.agent.instrument.LockMethodInstrumenter;
import io.jlockdep.runtime.Engine;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rewrites monitors, synchronized methods, lock allocations and lock call sites of the classes in scope. A class that
 * cannot be rewritten is left as it was and counted; the debug option prints why.
 */
final class LockdepTransformer implements ClassFileTransformer {
    private final Instrumentation inst;
    private final ClassScope scope;
    private final boolean debug;
    private final boolean markAcquired;
    private final boolean lockStat;
    private final Module runtimeModule;
    private final JdkClassCache cache;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger instrumented = new AtomicInteger();
    private final AtomicInteger offered = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

    LockdepTransformer(Instrumentation inst, ClassScope scope, boolean debug, boolean markAcquired, boolean lockStat,
                       Module runtimeModule, JdkClassCache cache) {
        this.cache = cache;
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
        boolean jdk = isJdkClass(module, loader);
        // The lock classes are JDK classes; asked through an ASM-free list, so that ASM loads only when a class needs it.
        boolean lockClass = jdk && LockMethodClasses.contains(className);
        if (!lockClass && !scope.includes(className)) {
            return null;
        }
        boolean previous = Engine.enterAgentCode();
        long start = System.nanoTime();
        try {
            boolean atLoad = classBeingRedefined == null;
            if (jdk) {
                boolean[] found = new boolean[1];
                byte[] cached = cache.rewritten(className, atLoad, classFile, found);
                if (found[0]) {
                    return rewritten(module, cached);
                }
            }
            byte[] rewritten = lockClass ? lockClass(className, classFile)
                    : ClassFilePreScan.mayNeedRewrite(classFile) ? rewrite(className, classFile, atLoad) : null;
            if (jdk) {
                cache.recordRewrite(className, atLoad, classFile, rewritten);
                if (debug && cache.isOn()) {
                    Messages.debug("cache: " + className.replace('/', '.') + (atLoad ? " (loaded)" : " (retransformed)")
                            + " was not in the cache");
                }
            }
            return rewritten(module, rewritten);
        } catch (Throwable t) {
            failures.incrementAndGet();
            if (debug) {
                Messages.debug(className.replace('/', '.') + ": cannot instrument: " + t);
            }
            return null;
        } finally {
            offered.incrementAndGet();
            nanos.addAndGet(System.nanoTime() - start);
            Engine.exitAgentCode(previous);
        }
    }

    /**
     * A class of the JDK's runtime image: defined by the boot or the platform loader in a named module (a class the boot
     * loader takes from {@code -Xbootclasspath/a} is in its unnamed module). Those are the classes the cache keeps.
     */
    static boolean isJdkClass(Module module, ClassLoader loader) {
        return module != null && module.isNamed() && (loader == null || loader == ClassLoader.getPlatformClassLoader());
    }

    private byte[] rewritten(Module module, byte[] classFile) {
        if (classFile != null) {
            readRuntime(module);
            instrumented.incrementAndGet();
        }
        return classFile;
    }

    /** Null when the class needs no change or cannot be changed (counted as a failure, and said why with debug). */
    private byte[] rewrite(String className, byte[] classFile, boolean atLoad) {
        try {
            ClassInstrumenter.Result result = ClassInstrumenter.transform(classFile, atLoad, markAcquired);
            if (debug) {
                for (String note : result.notes()) {
                    Messages.debug(note);
                }
            }
            return result.classFile();
        } catch (InstrumentationException e) {
            failures.incrementAndGet();
            if (debug) {
                Messages.debug(e.getMessage());
            }
            return null;
        }
    }

    String timing() {
        return offered.get() + " classes offered, " + nanos.get() / 1000 + " us in the transformer";
    }

    private byte[] lockClass(String className, byte[] classFile) {
        try {
            return LockMethodInstrumenter.instrument(classFile, markAcquired, lockStat);
        } catch (Throwable t) {
            failures.incrementAndGet();
            Messages.error("cannot instrument " + className.replace('/', '.') + ", its locks are not checked: " + t);
            return null;
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
}
