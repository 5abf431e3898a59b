package io.jlockdep.runtime.lockclass;

import io.jlockdep.runtime.Hooks;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds, from inside an object's constructor, the site that called it: the first frame below jlockdep's own, below
 * the object's constructors (its class's and its superclasses'), and below the reflection that may have called them.
 * Each such frame, by method and bytecode index, becomes an {@link AllocationSite} once; later walks only look it up.
 */
final class ConstructorCaller implements Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame> {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /** Frames looked at before giving up: a constructor chain is never that deep. */
    private static final int MAX_FRAMES = 32;
    /** The sites found so far, per class holding the allocating code: method, index and allocated type to site. */
    private static final ClassValue<ConcurrentHashMap<String, AllocationSite>> SITES =
            new ClassValue<ConcurrentHashMap<String, AllocationSite>>() {
                @Override
                protected ConcurrentHashMap<String, AllocationSite> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };

    private final Class<?> constructed;

    private ConstructorCaller(Class<?> constructed) {
        this.constructed = constructed;
    }

    /** The allocation site of an object of this type under construction on this thread; null when none is found. */
    static AllocationSite of(Class<?> type) {
        StackWalker.StackFrame f = WALKER.walk(new ConstructorCaller(type));
        if (f == null) {
            return null;
        }
        Class<?> in = f.getDeclaringClass();
        String key = f.getMethodName() + '#' + f.getByteCodeIndex() + '#' + type.getName();
        ConcurrentHashMap<String, AllocationSite> known = SITES.get(in);
        AllocationSite site = known.get(key);
        if (site == null) {
            int code = Sites.code(in.getName().replace('.', '/'), f.getMethodName(), f.getFileName(),
                    f.getLineNumber());
            site = Sites.allocationSite(Sites.allocation(type.getName().replace('.', '/'), code, null, null));
            if (site != null) {
                known.put(key, site);
            }
        }
        return site;
    }

    /** A plain iterator, no lambdas: this runs inside constructors of JDK classes too (see {@link Trace}). */
    @Override
    public StackWalker.StackFrame apply(Stream<StackWalker.StackFrame> stream) {
        // Classes, not names: a frame's method name costs a lookup in the JVM, asked only of the frames that need it.
        Iterator<StackWalker.StackFrame> frames = stream.iterator();
        boolean seenHook = false;
        for (int n = 0; n < MAX_FRAMES && frames.hasNext(); n++) {
            StackWalker.StackFrame f = frames.next();
            Class<?> c = f.getDeclaringClass();
            if (!seenHook || c == Hooks.class) {
                // jlockdep's frames, down to and with the hook the constructor called
                seenHook = c == Hooks.class;
                continue;
            }
            if ((c.isAssignableFrom(constructed) && f.getMethodName().equals("<init>")) || isReflection(c.getName())) {
                continue;
            }
            return f;
        }
        return null;
    }

    private static boolean isReflection(String className) {
        return className.startsWith("java.lang.reflect.") || className.startsWith("jdk.internal.reflect.")
                || className.startsWith("java.lang.invoke.") || className.startsWith("sun.reflect.");
    }
}
