package io.jlockdep.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes sure the runtime is on the boot class path, where every class, java.base included, can call it. Normally the
 * agent jar's manifest ({@code Boot-Class-Path}) has put the whole jar there before the JVM loaded a class, which
 * keeps class data sharing on. When the jar was renamed, that entry names no file: then the runtime's classes are
 * copied to a temporary jar and appended with {@link Instrumentation#appendToBootstrapClassLoaderSearch} (HotSpot then
 * says once that sharing is limited to the boot loader's classes). Only the runtime goes there: the agent's own
 * classes, already loaded by the application class loader, must not get a second copy.
 */
final class BootstrapJar {
    private static final String[] RUNTIME_ENTRIES = {"io/jlockdep/runtime/", "io/jlockdep/Lockdep"};

    private BootstrapJar() {
    }

    static synchronized void appendRuntime(Instrumentation inst) throws IOException {
        if (runtimeOnBootPath()) {
            return;
        }
        Path runtime = Files.createTempFile("jlockdep-runtime-", ".jar");
        runtime.toFile().deleteOnExit();
        try (JarFile agent = new JarFile(agentJar().toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(runtime))) {
            for (Enumeration<JarEntry> entries = agent.entries(); entries.hasMoreElements(); ) {
                JarEntry e = entries.nextElement();
                if (!e.isDirectory() && isRuntimeEntry(e.getName())) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream in = agent.getInputStream(e)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(runtime.toFile()));
    }

    private static boolean isRuntimeEntry(String name) {
        for (String prefix : RUNTIME_ENTRIES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
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

    private static Path agentJar() throws IOException {
        try {
            return Paths.get(BootstrapJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where the agent jar is: " + e, e);
        }
    }
}
