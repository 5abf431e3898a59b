package io.jlockdep.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the runtime on the boot class path. The runtime jar travels inside the agent jar as a resource (not as class
 * files, so the application class loader never defines a second copy); it is written to a temporary file and appended
 * with {@link Instrumentation#appendToBootstrapClassLoaderSearch}, which makes it visible to every class, java.base
 * included.
 */
final class BootstrapJar {
    static final String RESOURCE = "jlockdep-runtime.jar";
    private static boolean appended;

    private BootstrapJar() {
    }

    static synchronized void appendRuntime(Instrumentation inst) throws IOException {
        if (appended || runtimeAlreadyOnBootPath()) {
            appended = true;
            return;
        }
        Path jar = Files.createTempFile("jlockdep-runtime-", ".jar");
        File file = jar.toFile();
        file.deleteOnExit();
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(file));
        appended = true;
    }

    /** A second attach into the same JVM finds the runtime there already. */
    private static boolean runtimeAlreadyOnBootPath() {
        try {
            Class.forName("io.jlockdep.runtime.Hooks", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
