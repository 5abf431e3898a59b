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
     * Never rewritten, whatever the patterns say: only what would break jlockdep itself, each for a reason of its own.
     * Everything else the JDK has, {@code java.lang.Throwable} and {@code java.lang.ThreadGroup} included, is checked
     * like the application: a hook that jlockdep's own work reaches (it creates exceptions, walks stacks, starts
     * threads) does nothing, because the thread is marked busy before that work starts.
     * <ul>
     *   <li>jlockdep's own classes (the runtime, the agent, its relocated ASM, the tools, the JUnit extension and the
     *       {@code io.jlockdep.Lockdep} API): its code is never instrumented;</li>
     *   <li>{@code java.lang.Object}: its wait variants call one another, and the hooks that replace a wait call the
     *       wait themselves: rewritten, every wait would be reported twice and the replacement would call itself;</li>
     *   <li>{@code java.lang.ThreadLocal*}: every hook finds the thread's state through a thread-local before it can
     *       test the busy flag, so a hook in there would call itself without end;</li>
     *   <li>{@code java.lang.invoke.*}, {@code sun.invoke.*} and {@code java.lang.ClassValue*}: the hot path's
     *       lock-free tables are var handles, whose call sites link through this code (which caches in class values)
     *       the first time they run, again before the busy flag can be tested;</li>
     *   <li>{@code java.lang.ref.*}: the Reference Handler thread must never block, and a hook can wait for the graph
     *       lock, whose holder may itself wait for references to be processed (a direct buffer's allocation does);</li>
     *   <li>{@code java.lang.Shutdown}: the {@code exit-code} option rewrites two of its methods and checks their exact
     *       shape first;</li>
     *   <li>{@code java.util.concurrent.locks.*}: the lock implementations get the hooks of their lock methods
     *       ({@code LockMethodInstrumenter}); a site hint inside them would name the JDK's own call as the program's
     *       lock site;</li>
     *   <li>{@code jdk.internal.*}: the JVM's machinery under all of the above (Unsafe behind the var handles, the
     *       continuations that mount and unmount virtual threads, the built-in class loaders).</li>
     * </ul>
     * The JDK classes whose methods get hooks of their own ({@code Thread}, {@code VirtualThread},
     * {@code ClassLoader}, {@code ManagementFactory}, the lock classes) get those hooks and nothing else.
     */
    static final String NEVER = String.join(":",
            "io.jlockdep.runtime.*", "io.jlockdep.agent.*", "io.jlockdep.shaded.*", "io.jlockdep.junit.*",
            "io.jlockdep.tools.*", "io.jlockdep.Lockdep*",
            "java.lang.Object", "java.lang.ThreadLocal*",
            "java.lang.invoke.*", "sun.invoke.*", "java.lang.ClassValue*",
            "java.lang.ref.*", "java.lang.Shutdown", "java.util.concurrent.locks.*", "jdk.internal.*");

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
