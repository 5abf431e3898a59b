package io.jlockdep.it.apps;

import io.jlockdep.Lockdep;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * What an application class can reach of jlockdep: it asks the boot loader and the system class loader, as any class
 * could, for each class named on the command line, and prints one line per class and loader ({@code <name> boot
 * loaded} or {@code <name> boot refused}). Then it calls the public API, io.jlockdep.Lockdep. With {@code --after-go}
 * first it prints "ready" and waits for "go" on standard input (for a dynamic attach in between).
 */
public final class ClassVisibility {
    public static void main(String[] args) throws Exception {
        int first = 0;
        if (args.length > 0 && args[0].equals("--after-go")) {
            first = 1;
            System.out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                throw new IllegalStateException("expected go");
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = first; i < args.length; i++) {
            out.append(args[i]).append(" boot ").append(loads(args[i], null) ? "loaded" : "refused").append('\n');
            out.append(args[i]).append(" system ")
                    .append(loads(args[i], ClassLoader.getSystemClassLoader()) ? "loaded" : "refused").append('\n');
        }
        out.append("Lockdep.isActive ").append(Lockdep.isActive()).append(", defined by ")
                .append(Lockdep.class.getClassLoader() == null ? "the boot loader" : Lockdep.class.getClassLoader())
                .append('\n');
        System.out.print(out);
    }

    private static boolean loads(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
