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
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.lang.instrument.UnmodifiableClassException;
import java.nio.file.Paths;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.Map;
import java.util.Set;

/**
 * Checks the options, wires the runtime into java.base, installs the transformers and starts the engine. Called by the
 * bootstrap ({@code bootstrap.AgentMain}) once the runtime is on the boot class path, in the agent's own class loader.
 */
public final class Installer {
    private static boolean installed;

    private Installer() {
    }

    public static void start(String optionText, Instrumentation inst, boolean attached) {
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
            // First, before anything registers a code site: the cached classes' sites must get their ids again.
            JdkClassCache cache = openCache(options, config, debug);
            cache.replaySites();
            times.step("cache read");
            Module runtime = Hooks.class.getModule();
            // java.base code (the lock classes) will call Hooks: give it a read edge to the runtime. The runtime (only
            // it: the boot loader's unnamed module, not the application's) may read the locks' synchronizer fields.
            inst.redefineModule(Object.class.getModule(), Set.of(runtime), Map.of(),
                    Map.of("java.util.concurrent.locks", Set.of(runtime)), Set.of(), Map.of());
            ClassScope scope = new ClassScope(options.text(Option.INCLUDE), options.text(Option.EXCLUDE));
            times.step("options and module edges");
            Engine.warmUp();
            times.step("engine warm-up");
            LockdepTransformer transformer = new LockdepTransformer(inst, scope, debug, config.tracksWaits(),
                    config.lockStat(), runtime, cache);
            warmUpRewriting(inst, transformer, cache);
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
                                + transformer.failures() + " could not be rewritten and were left as they were; "
                                + transformer.timing());
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
            Retransformer loaded = new Retransformer(inst, scope, debug, cache);
            // After a dynamic attach the program is already running: checking starts once its classes are rewritten.
            if (options.text(Option.STARTUP).equals("wait") || attached) {
                loaded.retransformNow(attached);
                cache.save();
            } else {
                loaded.retransformApplicationClassesNow();
                loaded.startInBackground();
            }
            times.step("classes loaded before the agent");
            // What the JDK classes loaded later taught the cache. Registered, not started, like the exit hook.
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    Engine.enterAgentCode();
                    cache.save();
                }
            }, "jlockdep-cache"));
            installed = true;
            return null;
        } finally {
            Engine.exitAgentCode(previous);
        }
    }

    /**
     * The cache of what this JVM's JDK classes need (see {@link JdkClassCache}), in the {@code cache} option's
     * directory, by default {@code $XDG_CACHE_HOME/jlockdep} or {@code ~/.cache/jlockdep}. Keyed by this very agent jar
     * (its path, size and time), so that a rebuilt agent never reads bytes an older one wrote; off when the jar cannot be
     * told.
     */
    private static JdkClassCache openCache(Options options, Config config, boolean debug) {
        String dir = options.text(Option.CACHE);
        if ("off".equals(dir)) {
            return JdkClassCache.off();
        }
        String agentJar = agentJar();
        String key = agentJar == null ? null : JdkClassCache.key(agentJar, "waits=" + config.tracksWaits()
                + ",lockstat=" + config.lockStat() + ",include=" + options.text(Option.INCLUDE) + ",exclude="
                + options.text(Option.EXCLUDE));
        if (key == null) {
            if (debug) {
                Messages.debug("cache: off, the agent jar or the JDK's runtime image cannot be told apart from others");
            }
            return JdkClassCache.off();
        }
        return JdkClassCache.open(cacheDirectory(dir), key, debug);
    }

    private static Path cacheDirectory(String option) {
        if (option != null) {
            return Paths.get(option);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isEmpty() ? Paths.get(xdg, "jlockdep")
                : Paths.get(System.getProperty("user.home"), ".cache", "jlockdep");
    }

    /**
     * The agent jar as path, size and modification time; null when it cannot be found. The runtime is on the boot class
     * path from this jar, so the boot loader's resource names it.
     */
    private static String agentJar() {
        try {
            URL url = ClassLoader.getPlatformClassLoader().getResource(Hooks.class.getName().replace('.', '/')
                    .concat(".class"));
            String text = String.valueOf(url);
            int end = text.indexOf("!/");
            if (!text.startsWith("jar:") || end < 0) {
                return null;
            }
            File jar = new File(new URI(text.substring("jar:".length(), end)));
            return jar.getAbsolutePath() + '@' + jar.length() + '@' + jar.lastModified();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The transformer runs inside class loading, where a JDK class that its own code needs for the first time could be
     * the very class being loaded: the JVM refuses that with a ClassCircularityError, which it then remembers for good.
     * So before the transformer is registered, every JDK class the rewriting needs is loaded: the first time by running
     * the rewriting on sample classes (the JDK classes that loads are kept in the cache), afterwards by loading those by
     * name, which leaves ASM unloaded until a class needs it.
     */
    private static void warmUpRewriting(Instrumentation inst, LockdepTransformer transformer, JdkClassCache cache) {
        List<String> known = cache.rewriterClasses();
        if (known != null) {
            ClassLoader platform = ClassLoader.getPlatformClassLoader();
            for (String name : known) {
                try {
                    Class.forName(name.substring(2), false, name.startsWith("p:") ? platform : null);
                } catch (ClassNotFoundException | LinkageError e) {
                    // the cache's JDK is this one (its key), but a class may be absent under other options: not needed
                }
            }
            return;
        }
        Set<String> before = jdkClassNames(inst);
        transformer.warmUp();
        List<String> loaded = new ArrayList<>();
        for (String name : jdkClassNames(inst)) {
            if (!before.contains(name)) {
                loaded.add(name);
            }
        }
        cache.recordRewriterClasses(loaded);
    }

    /** The JDK classes loaded so far, as {@code b:name} (boot loader) or {@code p:name} (platform loader). */
    private static Set<String> jdkClassNames(Instrumentation inst) {
        Set<String> names = new HashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isArray() && !c.isPrimitive() && !c.isHidden()
                    && LockdepTransformer.isJdkClass(c.getModule(), c.getClassLoader())) {
                names.add((c.getClassLoader() == null ? "b:" : "p:").concat(c.getName()));
            }
        }
        return names;
    }

    /** The lock classes are loaded long before premain: only retransformation reaches them. */
    private static void retransformLockClasses(Instrumentation inst, boolean lockStat) {
        try {
            inst.retransformClasses(ReentrantLock.class, ReentrantReadWriteLock.class,
                    ReentrantReadWriteLock.ReadLock.class, ReentrantReadWriteLock.WriteLock.class, StampedLock.class,
                    AbstractQueuedSynchronizer.ConditionObject.class,
                    AbstractQueuedLongSynchronizer.ConditionObject.class);
            if (lockStat) {
                inst.retransformClasses(AbstractQueuedSynchronizer.class);
            }
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            Messages.error("cannot instrument the java.util.concurrent locks, they are not checked: " + e);
        }
    }
}
