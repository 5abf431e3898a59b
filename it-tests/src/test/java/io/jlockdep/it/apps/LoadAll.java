package io.jlockdep.it.apps;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads and links every class of the given jars (one class loader over all of them), and writes, per class, what
 * happened: {@code ok}, or the error loading or linking it threw. Linking is forced by reflecting on the class's
 * members, which makes the JVM verify its bytecode. Usage: {@code LoadAll <outcomes file> <jar>...}.
 */
public final class LoadAll {
    public static void main(String[] args) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            urls.add(new File(args[i]).toURI().toURL());
        }
        Map<String, String> outcomes = new TreeMap<>();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            for (int i = 1; i < args.length; i++) {
                try (JarFile jar = new JarFile(args[i])) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String entry = e.nextElement().getName();
                        if (entry.endsWith(".class") && !entry.startsWith("META-INF/") && !entry.endsWith("module-info.class")) {
                            String name = entry.substring(0, entry.length() - 6).replace('/', '.');
                            outcomes.put(name, loadAndLink(name, loader));
                        }
                    }
                }
            }
        }
        int ok = 0;
        try (PrintWriter out = new PrintWriter(args[0], StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : outcomes.entrySet()) {
                out.println(e.getKey() + " " + e.getValue());
                ok += e.getValue().equals("ok") ? 1 : 0;
            }
        }
        System.out.println("classes " + outcomes.size() + " ok " + ok);
    }

    private static String loadAndLink(String name, ClassLoader loader) {
        try {
            Class<?> c = Class.forName(name, false, loader);
            c.getDeclaredMethods();
            c.getDeclaredFields();
            c.getDeclaredConstructors();
            return "ok";
        } catch (Throwable t) {
            return t.getClass().getName();
        }
    }
}
