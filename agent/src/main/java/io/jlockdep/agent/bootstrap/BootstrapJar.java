package io.jlockdep.agent.bootstrap;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.jar.JarFile;

/**
 * The agent jar, and the runtime on the boot class path, where every class, java.base included, can call it. The
 * jar's top level holds only the runtime, the {@code io.jlockdep.Lockdep} API and this bootstrap package; the rest
 * (instrumentation, ASM, tools) is in its {@code isolated/} part, which no class loader but {@link IsolatedClassLoader}
 * reads. Normally the manifest's {@code Boot-Class-Path} has put the jar there before the JVM loaded a class, which
 * keeps class data sharing on. When the jar was renamed, that entry names no file: then the jar is appended with
 * {@link Instrumentation#appendToBootstrapClassLoaderSearch} (HotSpot then says once that sharing is limited to the
 * boot loader's classes).
 */
final class BootstrapJar {
    private BootstrapJar() {
    }

    static synchronized void appendRuntime(Instrumentation inst, Path agentJar) throws IOException {
        if (!runtimeOnBootPath()) {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(agentJar.toFile()));
        }
    }

    /** The Boot-Class-Path entry worked, or an earlier start in this JVM (a second attach) appended it. */
    private static boolean runtimeOnBootPath() {
        try {
            Class.forName("io.jlockdep.runtime.Hooks", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * The jar this class came from. Its class file's URL says so whichever loader defined it: the boot loader (through
     * Boot-Class-Path; no code source then) or the application class loader.
     */
    static Path location() throws IOException {
        URL self = BootstrapJar.class.getResource("BootstrapJar.class");
        String url = String.valueOf(self);
        int end = url.indexOf("!/");
        if (!url.startsWith("jar:") || end < 0) {
            throw new IOException("cannot tell where the agent jar is: its classes come from " + url);
        }
        try {
            return Paths.get(new URI(url.substring("jar:".length(), end)));
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where the agent jar is: " + e, e);
        }
    }
}
