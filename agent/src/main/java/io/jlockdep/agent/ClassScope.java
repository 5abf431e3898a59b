package io.jlockdep.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Which classes the agent rewrites: those matching {@code include} and not {@code exclude} (JaCoCo-style patterns),
 * application and JDK classes alike, except the classes jlockdep itself runs on, which are never rewritten whatever
 * the patterns say.
 *
 * <p>Patterns name classes in binary form ({@code com.x.Outer$Inner}); {@code *} matches any characters, dots
 * included, {@code ?} one character; several patterns are separated by {@code :}.
 */
final class ClassScope {
    /**
     * Never rewritten: jlockdep's own code, and the JDK code that jlockdep's hooks themselves run on (thread-locals,
     * threads and continuations, method handles and lambdas, references, class loading, stack walking, shutdown) or
     * that carries the rewritten code in (instrumentation). A hook inside any of those would be re-entered by the
     * work the hook does; they hold no lock an application could order against its own.
     */
    static final String NEVER = String.join(":",
            "io.jlockdep.runtime.*", "io.jlockdep.agent.*", "io.jlockdep.shaded.*", "io.jlockdep.junit.*",
            "io.jlockdep.tools.*",
            "io.jlockdep.Lockdep*",
            "java.lang.Object", "java.lang.Class", "java.lang.ClassLoader", "java.lang.ClassValue*",
            "java.lang.Thread", "java.lang.Thread$*", "java.lang.ThreadLocal*", "java.lang.InheritableThreadLocal",
            "java.lang.ThreadGroup", "java.lang.ThreadBuilders*", "java.lang.VirtualThread*",
            "java.lang.Module", "java.lang.Module$*", "java.lang.ModuleLayer*", "java.lang.System", "java.lang.System$*",
            "java.lang.Runtime", "java.lang.Shutdown", "java.lang.ApplicationShutdownHooks",
            "java.lang.StackWalker*", "java.lang.StackStreamFactory*", "java.lang.StackFrameInfo",
            "java.lang.LiveStackFrame*", "java.lang.StackTraceElement*", "java.lang.Throwable",
            "java.lang.invoke.*", "java.lang.ref.*", "java.lang.reflect.*", "java.lang.instrument.*",
            "java.util.concurrent.locks.*",
            "jdk.internal.*", "sun.invoke.*", "sun.reflect.*", "sun.instrument.*", "sun.launcher.*",
            "jdk.jfr.internal.*");

    private final Pattern[] includes;
    private final Pattern[] excludes;
    private final Pattern[] never = parse(NEVER);

    /** The include and exclude options' values, checked when they were parsed (see Option for their defaults). */
    ClassScope(String include, String exclude) {
        this.includes = parse(include);
        this.excludes = parse(exclude);
    }

    /** True when the class with this internal name ({@code com/x/Foo$Bar}) is rewritten. */
    boolean includes(String internalName) {
        String name = internalName.replace('/', '.');
        return matchesAny(includes, name) && !matchesAny(excludes, name) && !matchesAny(never, name);
    }

    private static boolean matchesAny(Pattern[] patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static Pattern[] parse(String patterns) {
        List<Pattern> parsed = new ArrayList<>();
        for (String p : patterns.split(":")) {
            if (!p.isEmpty()) {
                parsed.add(new Pattern(p));
            }
        }
        return parsed.toArray(new Pattern[0]);
    }

    /** One wildcard pattern; matching is a plain backtracking walk, no regex (this runs inside class loading). */
    private static final class Pattern {
        private final String text;

        Pattern(String text) {
            this.text = text;
        }

        boolean matches(String name) {
            return matches(0, name, 0);
        }

        private boolean matches(int p, String name, int n) {
            while (p < text.length()) {
                char c = text.charAt(p);
                if (c == '*') {
                    while (p < text.length() && text.charAt(p) == '*') {
                        p++;
                    }
                    if (p == text.length()) {
                        return true;
                    }
                    for (int i = n; i <= name.length(); i++) {
                        if (matches(p, name, i)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (n == name.length() || (c != '?' && c != name.charAt(n))) {
                    return false;
                }
                p++;
                n++;
            }
            return n == name.length();
        }
    }
}
