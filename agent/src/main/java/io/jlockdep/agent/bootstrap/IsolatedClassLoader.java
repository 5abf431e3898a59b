package io.jlockdep.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The agent's own class loader: it defines the classes of the agent jar's {@code isolated/} part (the instrumentation,
 * ASM relocated, the offline tools), stored there as {@code <class name>.classdata} so that neither the boot loader nor
 * the application's class loaders, which both read the jar, can load them. Any other class comes from the parent: the
 * platform loader under the agent (the runtime is then found on the boot class path), the application loader for the
 * command-line tools (the runtime is then the jar's top level). It serves classes only: the isolated part has no other
 * resources.
 *
 * <p>The classes are defined without a location (the default protection domain), as the boot loader's are: agents
 * such as JaCoCo leave classes without a location alone, so they keep out of the agent's code as they did when it was
 * on the boot class path (they would otherwise add their probes to the transformer itself).
 */
final class IsolatedClassLoader extends ClassLoader {
    /** Where the isolated classes are in the jar; the build (agent/pom.xml) puts them there. */
    static final String PREFIX = "isolated/";
    static final String SUFFIX = ".classdata";

    static {
        registerAsParallelCapable();
    }

    private final ZipFile jar;

    IsolatedClassLoader(Path agentJar, ClassLoader parent) throws IOException {
        super("jlockdep", parent);
        this.jar = new ZipFile(agentJar.toFile());
    }

    /** The isolated part's own classes first, so that none of them can come from another copy; then the parent. */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                ZipEntry entry = jar.getEntry(PREFIX + name.replace('.', '/') + SUFFIX);
                c = entry != null ? define(name, entry) : getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /**
     * An instance of one of the isolated part's classes, made with its public no-argument constructor, as the JDK
     * interface it implements. The bootstrap talks to the isolated part only through such interfaces: a reflective
     * method call would cost start-up dearly on JDK 18 and later, where core reflection spins method handles.
     */
    <T> T create(String className, Class<T> type) throws ReflectiveOperationException {
        return type.cast(Class.forName(className, true, this).getDeclaredConstructor().newInstance());
    }

    private Class<?> define(String name, ZipEntry entry) throws ClassNotFoundException {
        byte[] classFile;
        try (InputStream in = jar.getInputStream(entry)) {
            classFile = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read " + entry.getName() + ": " + e, e);
        }
        return defineClass(name, classFile, 0, classFile.length);
    }
}
