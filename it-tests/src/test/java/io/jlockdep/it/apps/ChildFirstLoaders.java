package io.jlockdep.it.apps;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Classes defined by child-first class loaders, as web containers, OSGi and plugin systems define them: the loader
 * hands only {@code java*} names to its parent and defines every other class itself, from bytes it reads off its own
 * path, {@code io.jlockdep.*} included when it finds them there. The class it loads ({@link Inversion}) takes two
 * monitors in both orders. Arguments: which loader ({@code two-arg}: overrides {@code loadClass(String, boolean)};
 * {@code one-arg}: overrides {@code loadClass(String)}), then the loader's path (directories and jars).
 */
public final class ChildFirstLoaders {
    private ChildFirstLoaders() {
    }

    public static void main(String[] args) throws Exception {
        List<File> path = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            path.add(new File(args[i]));
        }
        ChildFirst loader = args[0].equals("one-arg") ? new OneArgument(path) : new TwoArguments(path);
        Class<?> inversion = loader.loadClass(Inversion.class.getName());
        System.out.println("Inversion defined by " + inversion.getClassLoader().getClass().getSimpleName());
        Runnable run = (Runnable) inversion.getConstructor().newInstance();
        run.run();
        Class<?> hooks;
        try {
            hooks = loader.loadClass("io.jlockdep.runtime.Hooks");
        } catch (ClassNotFoundException e) {
            hooks = null;
        }
        System.out.println("runtime seen by the loader: " + (hooks == null ? "none"
                : hooks.getClassLoader() == null ? "the boot class path's" : "a copy of its own"));
    }

    /** Takes two monitors in both orders, one after the other: it cannot hang. */
    public static final class Inversion implements Runnable {
        private final Object left = new Object();
        private final Object right = new Object();

        @Override
        public void run() {
            synchronized (left) {
                synchronized (right) {
                    System.out.println("left then right");
                }
            }
            synchronized (right) {
                synchronized (left) {
                    System.out.println("right then left");
                }
            }
        }
    }

    /** Defines every class but the JDK's itself, from its own path. */
    abstract static class ChildFirst extends ClassLoader {
        private final List<File> path;

        ChildFirst(List<File> path) {
            super(ClassLoader.getPlatformClassLoader());
            this.path = path;
        }

        Class<?> childFirst(String name) throws ClassNotFoundException {
            if (name.startsWith("java")) {
                return getParent().loadClass(name);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = read(name.replace('.', '/') + ".class");
                    if (bytes == null) {
                        throw new ClassNotFoundException(name);
                    }
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                return c;
            }
        }

        private byte[] read(String resource) {
            for (File entry : path) {
                try {
                    if (entry.isDirectory()) {
                        File f = new File(entry, resource);
                        if (f.isFile()) {
                            return Files.readAllBytes(f.toPath());
                        }
                    } else if (entry.isFile()) {
                        try (ZipFile jar = new ZipFile(entry)) {
                            ZipEntry e = jar.getEntry(resource);
                            if (e != null) {
                                try (InputStream in = jar.getInputStream(e)) {
                                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                                    in.transferTo(out);
                                    return out.toByteArray();
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // not readable: the next entry, as a class path would
                }
            }
            return null;
        }
    }

    /**
     * Child-first through {@code loadClass(String, boolean)}, which the JVM reaches through ClassLoader's one-argument
     * form.
     */
    public static final class TwoArguments extends ChildFirst {
        public TwoArguments(List<File> path) {
            super(path);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            return childFirst(name);
        }
    }

    /** Child-first through {@code loadClass(String)}, the method the JVM calls to resolve a name. */
    public static final class OneArgument extends ChildFirst {
        public OneArgument(List<File> path) {
            super(path);
        }

        @Override
        public Class<?> loadClass(String name) throws ClassNotFoundException {
            return childFirst(name);
        }
    }
}
