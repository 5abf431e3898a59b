package io.jlockdep.runtime.lockclass;

import io.jlockdep.runtime.Hooks;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved stack, with the thread that produced it. Frames of jlockdep itself are left out. A stack read back from a
 * JSON file also says where it was recorded ({@link #origin}); a live one has none.
 */
public final class Trace {
    private static final StackWalker WALKER = StackWalker.getInstance();
    static final int MAX_FRAMES = 64;

    public final CodeSite[] frames;
    public final String threadLabel;
    /** The file and JVM a recorded stack comes from, e.g. {@code a.json (pid 4242)}; null for a live stack. */
    public final String origin;

    Trace(CodeSite[] frames, String threadLabel) {
        this(frames, threadLabel, null);
    }

    public Trace(CodeSite[] frames, String threadLabel, String origin) {
        this.frames = frames;
        this.threadLabel = threadLabel;
        this.origin = origin;
    }

    public static Trace capture(String threadLabel) {
        return new Trace(WALKER.walk(new FrameCollector()), threadLabel);
    }

    /**
     * Collects the frames below jlockdep's own, which sit on top up to and including the hook the instrumented code
     * called. A named class and a plain iterator rather than lambdas and stream operations: hooks run inside JDK code,
     * and linking a lambda there would run java.lang.invoke machinery in the middle of it.
     */
    private static final class FrameCollector
            implements java.util.function.Function<java.util.stream.Stream<StackWalker.StackFrame>, CodeSite[]> {
        @Override
        public CodeSite[] apply(java.util.stream.Stream<StackWalker.StackFrame> stream) {
            List<CodeSite> out = new ArrayList<>();
            boolean pastOwnFrames = false;
            boolean seenHook = false;
            java.util.Iterator<StackWalker.StackFrame> frames = stream.iterator();
            while (frames.hasNext() && out.size() < MAX_FRAMES) {
                StackWalker.StackFrame f = frames.next();
                String c = f.getClassName();
                if (!pastOwnFrames) {
                    // jlockdep's frames sit on top, down to and with the hook (or hooks: one may call another) that
                    // the instrumented code called; below them everything is the program's
                    if (c.equals(HOOKS)) {
                        seenHook = true;
                        continue;
                    }
                    if (!seenHook && isOwnFrame(c)) {
                        continue;
                    }
                    pastOwnFrames = true;
                }
                out.add(new CodeSite(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber()));
            }
            return out.toArray(new CodeSite[0]);
        }
    }


    /**
     * Another thread's stack as it is now, without jlockdep's frames, as {@link #capture} would have walked it. Only a
     * thread's own StackWalker can walk it, so this reads {@code Thread.getStackTrace}, which also lists the frames the
     * walker leaves out by default: hidden classes (lambda proxies, lambda forms) and reflection, none with a source
     * file. Those are dropped here, so both stacks of one thread read alike.
     */
    public static Trace of(Thread thread, String threadLabel) {
        StackTraceElement[] elements = thread.getStackTrace();
        List<CodeSite> out = new ArrayList<>(Math.min(elements.length, MAX_FRAMES));
        for (StackTraceElement e : elements) {
            if (out.size() == MAX_FRAMES) {
                break;
            }
            if (!isOwnFrame(e.getClassName()) && !hiddenFromWalker(e.getClassName(), e.getMethodName())) {
                out.add(CodeSite.of(e));
            }
        }
        return new Trace(out.toArray(new CodeSite[0]), threadLabel);
    }

    /**
     * A frame that StackWalker shows only with {@code SHOW_HIDDEN_FRAMES} or {@code SHOW_REFLECT_FRAMES}: a hidden
     * class (its name has a '/', as in {@code Foo$$Lambda/0x...}), the method handle holders of java.lang.invoke, and
     * reflection ({@code Method.invoke}, {@code Constructor.newInstance} and their jdk.internal.reflect accessors).
     */
    static boolean hiddenFromWalker(String className, String methodName) {
        return className.indexOf('/') >= 0
                || className.startsWith("jdk.internal.reflect.")
                || className.startsWith("java.lang.invoke.") && className.endsWith("$Holder")
                || className.equals("java.lang.reflect.Method") && methodName.equals("invoke")
                || className.equals("java.lang.reflect.Constructor") && methodName.equals("newInstance");
    }

    private static final String HOOKS = Hooks.class.getName();

    /** Whether a stack trace shows any of jlockdep's own frames. */
    public static boolean hasOwnFrames(StackTraceElement[] trace) {
        for (StackTraceElement e : trace) {
            if (e != null && isOwnFrame(e.getClassName())) {
                return true;
            }
        }
        return false;
    }

    /** The stack trace without jlockdep's own frames, in the same order. */
    public static StackTraceElement[] withoutOwnFrames(StackTraceElement[] trace) {
        int kept = 0;
        for (StackTraceElement e : trace) {
            if (e == null || !isOwnFrame(e.getClassName())) {
                kept++;
            }
        }
        StackTraceElement[] out = new StackTraceElement[kept];
        int i = 0;
        for (StackTraceElement e : trace) {
            if (e == null || !isOwnFrame(e.getClassName())) {
                out[i++] = e;
            }
        }
        return out;
    }

    static boolean isOwnFrame(String className) {
        return className.startsWith("io.jlockdep.runtime.") || className.startsWith("io.jlockdep.agent.");
    }

    /** The first frame outside the lock implementations: where the application asked for the lock. */
    public CodeSite callerSite() {
        for (CodeSite f : frames) {
            String c = f.className();
            // The JDK's own wrapper around a ReentrantLock (JDK 21+ streams) is part of the lock, not its user.
            if (!c.startsWith("java.util.concurrent.locks.") && !c.equals("jdk.internal.misc.InternalLock")) {
                return f;
            }
        }
        return frames.length > 0 ? frames[0] : null;
    }
}
