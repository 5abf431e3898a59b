package io.jlockdep.it.apps;

/**
 * A first agent whose premain loads and initializes a class (named in its argument) before jlockdep's premain runs:
 * the way a class loader of the program can exist before the agent that must rewrite it starts.
 */
public final class EarlyLoader {
    private EarlyLoader() {
    }

    public static void premain(String className) throws ClassNotFoundException {
        Class.forName(className, true, ClassLoader.getSystemClassLoader());
        System.out.println("loaded before jlockdep: " + className.substring(className.lastIndexOf('$') + 1));
    }
}
