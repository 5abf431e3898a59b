package io.jlockdep.runtime;

import java.util.ArrayList;
import java.util.List;

/** A saved stack, with the thread that produced it. Frames of jlockdep itself are left out. */
final class Trace {
    private static final StackWalker WALKER = StackWalker.getInstance();
    static final int MAX_FRAMES = 64;

    final CodeSite[] frames;
    final String threadLabel;

    Trace(CodeSite[] frames, String threadLabel) {
        this.frames = frames;
        this.threadLabel = threadLabel;
    }

    static Trace capture(String threadLabel) {
        List<CodeSite> frames = WALKER.walk(s -> {
            List<CodeSite> out = new ArrayList<>();
            boolean[] pastOwnFrames = {false};
            s.dropWhile(f -> {
                // jlockdep's frames sit on top, up to and including the hook the instrumented code called
                if (pastOwnFrames[0]) {
                    return false;
                }
                String c = f.getClassName();
                if (c.equals(HOOKS)) {
                    pastOwnFrames[0] = true;
                    return true;
                }
                return isOwnFrame(c);
            })
                    .limit(MAX_FRAMES)
                    .forEach(f -> out.add(new CodeSite(f.getClassName(), f.getMethodName(), f.getFileName(),
                            f.getLineNumber())));
            return out;
        });
        return new Trace(frames.toArray(new CodeSite[0]), threadLabel);
    }

    private static final String HOOKS = Hooks.class.getName();

    static boolean isOwnFrame(String className) {
        return className.startsWith("io.jlockdep.runtime.") || className.startsWith("io.jlockdep.agent.");
    }

    /** The first frame outside the lock implementations: where the application asked for the lock. */
    CodeSite callerSite() {
        for (CodeSite f : frames) {
            String c = f.className();
            if (!c.startsWith("java.util.concurrent.locks.")) {
                return f;
            }
        }
        return frames.length > 0 ? frames[0] : null;
    }
}
