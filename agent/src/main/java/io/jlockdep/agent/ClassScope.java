package io.jlockdep.agent;

/**
 * Which classes the agent rewrites. jlockdep's own classes never; the JDK's are reached through the lock classes'
 * advice; everything else loaded by an application class loader is in scope.
 */
final class ClassScope {
    private static final String[] NEVER = {
        "io/jlockdep/runtime/", "io/jlockdep/agent/", "io/jlockdep/shaded/",
    };
    private final ClassLoader platformLoader = ClassLoader.getPlatformClassLoader();

    boolean includes(ClassLoader loader, String internalName) {
        if (loader == null || loader == platformLoader) {
            return false;
        }
        for (String prefix : NEVER) {
            if (internalName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
