package io.jlockdep.it.apps;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs monitor code compiled by other compilers under the agent, each in both lock orders: a Groovy script compiled
 * at run time by Groovy's own compiler, and Kotlin's {@code lazy} (a {@code synchronized} block compiled by kotlinc).
 * Usage: {@code OtherCompilers groovy|kotlin <jar>}.
 */
public final class OtherCompilers {
    static final ReentrantLock REGISTRY = new ReentrantLock();

    public static void main(String[] args) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {new File(args[1]).toURI().toURL()},
                OtherCompilers.class.getClassLoader());
        switch (args[0]) {
            case "groovy": {
                Class<?> shellClass = loader.loadClass("groovy.lang.GroovyShell");
                Object shell = shellClass.getConstructor(ClassLoader.class).newInstance(loader);
                Method evaluate = shellClass.getMethod("evaluate", String.class);
                String script = String.join("\n",
                        "class Pair { final Object first = new Object(); final Object second = new Object() }",
                        "def p = new Pair()",
                        "synchronized (p.first) { synchronized (p.second) { } }",
                        "synchronized (p.second) { synchronized (p.first) { } }",
                        "'groovy done'");
                System.out.println(evaluate.invoke(shell, script));
                break;
            }
            case "kotlin": {
                Class<?> function0 = loader.loadClass("kotlin.jvm.functions.Function0");
                Method lazyOf = loader.loadClass("kotlin.LazyKt").getMethod("lazy", function0);
                lazyOf.setAccessible(true); // declared by a package-private facade part
                Method value = loader.loadClass("kotlin.Lazy").getMethod("getValue");
                // REGISTRY, then a lazy value's lock: the value is computed under its lock.
                Object first = lazyOf.invoke(null, initializer(function0, false));
                REGISTRY.lock();
                try {
                    value.invoke(first);
                } finally {
                    REGISTRY.unlock();
                }
                // A lazy value whose initializer takes REGISTRY: its lock, then REGISTRY.
                Object second = lazyOf.invoke(null, initializer(function0, true));
                System.out.println("kotlin " + value.invoke(second));
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    private static Object initializer(Class<?> function0, boolean takeRegistry) {
        return Proxy.newProxyInstance(function0.getClassLoader(), new Class<?>[] {function0}, (proxy, method, a) -> {
            switch (method.getName()) {
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == a[0];
                case "toString":
                    return "initializer";
                default:
                    break;
            }
            if (takeRegistry) {
                REGISTRY.lock();
                REGISTRY.unlock();
            }
            return "done";
        });
    }
}
