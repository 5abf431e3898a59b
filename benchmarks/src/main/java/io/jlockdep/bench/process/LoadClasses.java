package io.jlockdep.bench.process;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A class-heavy start-up: loads the first {@code count} classes (in jar order) of a large jar, with the jars it
 * needs to link in the same loader, by {@code Class.forName(name, false, loader)}: loaded and linked as far as
 * loading goes, not initialised, so no application code runs. Under the agent every one of them is offered to the
 * transformer, which is the cost measured.
 *
 * <p>Arguments: the large jar, the directory holding it and its dependencies, the number of classes.
 */
public final class LoadClasses {
    private LoadClasses() {
    }

    public static void main(String[] args) throws IOException {
        File bigJar = new File(args[0]);
        File[] jars = new File(args[1]).listFiles((dir, name) -> name.endsWith(".jar"));
        int count = Integer.parseInt(args[2]);
        if (jars == null || !bigJar.isFile()) {
            throw new IllegalArgumentException("no jar at " + bigJar + " or no directory " + args[1]);
        }
        List<String> names = new ArrayList<>(count);
        try (JarFile jar = new JarFile(bigJar)) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements() && names.size() < count; ) {
                String entry = e.nextElement().getName();
                if (entry.endsWith(".class") && !entry.startsWith("META-INF/") && !entry.endsWith("module-info.class")
                        && !entry.endsWith("package-info.class")) {
                    names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toURI().toURL();
        }
        int loaded = 0;
        int failed = 0;
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            for (String name : names) {
                try {
                    Class.forName(name, false, loader);
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    failed++;
                }
            }
        }
        Results.print("classes-loaded", loaded, "classes");
        Results.print("classes-failed", failed, "classes");
    }
}
