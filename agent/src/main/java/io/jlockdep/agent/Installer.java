package io.jlockdep.agent;

import io.jlockdep.runtime.Config;
import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.Hooks;
import io.jlockdep.runtime.Option;
import io.jlockdep.runtime.Options;
import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.runtime.sink.JsonFile;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.Map;
import java.util.Set;

/**
 * Checks the options, wires the runtime into java.base, installs the transformers and starts the engine. Called through
 * {@link AgentStart} once the runtime is on the boot class path, in the agent's own class loader.
 */
final class Installer {
    private static boolean installed;

    private Installer() {
    }

    static void start(String optionText, Instrumentation inst, boolean attached) {
        String problem;
        try {
            problem = install(Options.parse(optionText), inst, attached);
        } catch (Options.OptionException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            refuse(problem, attached);
        }
    }

    /**
     * A bad option. At JVM start-up the user asked for checking and would otherwise run unchecked without noticing,
     * so start-up stops with the one line; a dynamic attach must never take the running application down.
     */
    private static void refuse(String line, boolean attached) {
        Messages.error(line);
        if (!attached) {
            Runtime.getRuntime().halt(1);
        }
    }

    /** Returns null when checking started, else the one-line reason it could not. */
    private static synchronized String install(Options options, Instrumentation inst, boolean attached) {
        if (installed) {
            Messages.error("already running in this JVM; ignoring the second start");
            return null;
        }
        boolean previous = Engine.enterAgentCode();
        try {
            Suppressions suppressions = Suppressions.none();
            String suppressFile = options.file(Option.SUPPRESS);
            if (suppressFile != null) {
                try {
                    suppressions = Suppressions.read(Paths.get(suppressFile));
                } catch (Suppressions.BadFileException | RuntimeException e) {
                    return "option 'suppress': " + e.getMessage();
                }
            }
            Config config = Config.from(options, suppressions);
            boolean debug = options.flag(Option.DEBUG);
            StartupTimes times = new StartupTimes(debug);
            // Before the transformer is registered: the JDK classes that reading it loads are not rewritten then.
            JdkClassCache cache = openCache(options.text(Option.CACHE), debug);
            // Before anything registers a site (the rewriter's warm-up does): the cached classes' sites keep their ids.
            RewrittenClassCache rewrittenCache =
                    RewrittenClassCache.open(cache, config.tracksWaits(), config.lockStat(), debug);
            times.step("cache read");
            Module runtime = Hooks.class.getModule();
            // java.base code (the lock classes) will call Hooks: give it a read edge to the runtime. The runtime (only
            // it: the boot loader's unnamed module, not the application's) may read the locks' synchronizer fields and a FutureTask's callable.
            inst.redefineModule(Object.class.getModule(), Set.of(runtime), Map.of(),
                    Map.of("java.util.concurrent.locks", Set.of(runtime), "java.util.concurrent", Set.of(runtime)),
                    Set.of(), Map.of());
            ClassScope scope = new ClassScope(options.text(Option.INCLUDE), options.text(Option.EXCLUDE));
            times.step("options and module edges");
            Engine.warmUp();
            times.step("engine warm-up");
            LockdepTransformer transformer =
                    new LockdepTransformer(inst, scope, debug, config.tracksWaits(), config.lockStat(), runtime,
                            rewrittenCache);
            transformer.warmUp();
            times.step("rewriter warm-up");
            inst.addTransformer(transformer, true);
            retransformLockClasses(inst, config.lockStat());
            times.step("lock classes retransformed");
            try {
                Engine.start(config);
            } catch (IOException e) {
                inst.removeTransformer(transformer);
                return "bad value '" + config.outFile() + "' for option 'out': cannot open it for appending ("
                        + e.getMessage() + ")";
            }
            // Registered, not started: a shutdown hook never keeps the JVM alive.
            Runtime.getRuntime().addShutdownHook(new Thread(Engine::atExit, "jlockdep-exit"));
            if (debug) {
                Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                    @Override
                    public void run() {
                        Messages.debug("instrumented " + transformer.instrumented() + " classes, "
                                + transformer.failures() + " could not be rewritten and were left as they were, "
                                + rewrittenCache.hits() + " taken from the rewritten-class cache; "
                                + transformer.millisTransforming() + " ms in the transformer");
                    }
                }, "jlockdep-debug-summary"));
            }
            String jsonFile = options.file(Option.JSON);
            if (jsonFile != null) {
                try {
                    JsonFile json = JsonFile.open(jsonFile);
                    Engine.addSink(json);
                    // Registered, not started (like the exit hook); it waits a bounded time for the graph lock.
                    Runtime.getRuntime().addShutdownHook(new Thread(json::writeGraphAtExit, "jlockdep-json"));
                } catch (IOException e) {
                    Engine.stop();
                    inst.removeTransformer(transformer);
                    return "bad value '" + jsonFile + "' for option 'json': cannot open it for writing ("
                            + e.getMessage() + ")";
                }
            }
            if (config.exitCode() > 0) {
                String problem = ExitCodeTransformer.install(inst);
                if (problem != null) {
                    Engine.stop();
                    inst.removeTransformer(transformer);
                    return "option 'exit-code' cannot work on this JVM: " + problem;
                }
            }
            times.step("engine started");
            if (rewrittenCache.isOn()) {
                // JDK classes first loaded while the program runs, for the next JVM; registered, not started.
                Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                    @Override
                    public void run() {
                        Engine.enterAgentCode(); // the monitors its writing takes are jlockdep's, not the program's
                        rewrittenCache.save();
                    }
                }, "jlockdep-cache"));
            }
            Retransformer loaded = new Retransformer(inst, scope, debug, transformer, cache, rewrittenCache);
            // After a dynamic attach the program is already running: checking starts once its classes are rewritten.
            if (options.text(Option.STARTUP).equals("wait") || attached) {
                loaded.retransformNow(attached);
            } else {
                loaded.retransformApplicationClassesNow();
                loaded.startInBackground();
            }
            times.step("classes loaded before the agent");
            installed = true;
            return null;
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    /**
     * The cache of which JDK classes take monitors (see {@link JdkClassCache}): in the {@code cache} option's directory,
     * by default {@code $XDG_CACHE_HOME/jlockdep} or {@code ~/.cache/jlockdep}; off when the agent jar or the JDK's
     * runtime image cannot be told.
     */
    private static JdkClassCache openCache(String option, boolean debug) {
        if ("off".equals(option)) {
            return JdkClassCache.off();
        }
        String key = JdkClassCache.key(agentJar());
        if (key == null) {
            if (debug) {
                Messages.debug("cache: off, the agent jar or the JDK's runtime image cannot be told apart from others");
            }
            return JdkClassCache.off();
        }
        Path dir;
        if (option != null) {
            dir = Paths.get(option);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            dir = xdg != null && Paths.get(xdg).isAbsolute() ? Paths.get(xdg, "jlockdep")
                    : Paths.get(System.getProperty("user.home"), ".cache", "jlockdep");
        }
        return JdkClassCache.open(dir, key, option != null, debug);
    }

    /**
     * The agent jar as path, size and modification time; null when it cannot be found. Its bootstrap classes are found
     * through the system class loader whether the manifest's Boot-Class-Path put the jar on the boot class path or
     * (a renamed jar, a dynamic attach) only the application class path has it.
     */
    private static String agentJar() {
        try {
            String url = String.valueOf(ClassLoader.getSystemClassLoader()
                    .getResource("io/jlockdep/agent/bootstrap/BootstrapJar.class"));
            int end = url.indexOf("!/");
            if (!url.startsWith("jar:") || end < 0) {
                return null;
            }
            File jar = new File(new URI(url.substring("jar:".length(), end)));
            return jar.getAbsolutePath() + '@' + jar.length() + '@' + jar.lastModified();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The lock classes (and Throwable, whose stack traces jlockdep cleans) are loaded long before premain: only
     * retransformation reaches them.
     */
    private static void retransformLockClasses(Instrumentation inst, boolean lockStat) {
        try {
            inst.retransformClasses(ReentrantLock.class, ReentrantReadWriteLock.class,
                    ReentrantReadWriteLock.ReadLock.class, ReentrantReadWriteLock.WriteLock.class, StampedLock.class,
                    AbstractQueuedSynchronizer.ConditionObject.class,
                    AbstractQueuedLongSynchronizer.ConditionObject.class);
            if (lockStat) {
                inst.retransformClasses(AbstractQueuedSynchronizer.class, AbstractQueuedLongSynchronizer.class);
            }
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            Messages.error("cannot instrument the java.util.concurrent locks, they are not checked: " + e);
        }
        try {
            // Before main too: no stack trace the program prints shows jlockdep's frames, from its first line on.
            inst.retransformClasses(Throwable.class);
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            Messages.error("cannot instrument java.lang.Throwable, stack traces may show jlockdep's frames: " + e);
        }
    }
}
