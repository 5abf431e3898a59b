package io.jlockdep.runtime.text;

import io.jlockdep.runtime.lockclass.CodeSite;
import java.util.List;

/**
 * Which frames of a stack belong to the machinery that runs a test or a program (JUnit, Surefire, reflection, the
 * JDK's launcher...) rather than to the code under test: a report shows them as one line, {@code ... 57 frames of
 * JUnit/Surefire}, so a stack taken in a test reads like one taken in {@code main}. The frames stay whole in the
 * model (JSON); only the text folds them, and SARIF's code flows stop where they begin.
 */
public final class FrameFolding {
    /** Shorter runs inside a stack stay as they are: folding two frames into one line saves nothing. */
    static final int MIN_RUN = 3;

    /** Package prefixes and the name each family of frames is shown with, in the order the line names them. */
    private static final String[][] FAMILIES = {
        {"JUnit", "org.junit.", "junit.", "org.opentest4j."},
        {"TestNG", "org.testng."},
        {"Spock", "org.spockframework."},
        {"Surefire", "org.apache.maven.surefire.", "org.apache.maven.plugin.surefire."},
        {"Gradle", "org.gradle.", "worker.org.gradle."},
        {"IntelliJ", "com.intellij.rt."},
        {"Eclipse", "org.eclipse.jdt.internal.junit"},
        {"reflection", "jdk.internal.reflect.", "sun.reflect.", "java.lang.reflect."},
        {"launcher", "sun.launcher.", "jdk.internal.misc.MainMethodFinder"},
    };

    private FrameFolding() {
    }

    /**
     * Where the stack's tail of framework frames begins: from the first framework frame below which every frame is
     * a framework's or the JDK's (an {@code ArrayList.forEach} inside JUnit's loops); {@code frames.size()} when
     * there is no such tail of at least two frames. The innermost frame, where the lock was taken, always stays.
     */
    public static int tailStart(List<CodeSite> frames) {
        int start = frames.size();
        for (int i = frames.size() - 1; i >= 1; i--) {
            String c = frames.get(i).className();
            if (family(c) >= 0) {
                start = i;
            } else if (!isJdk(c)) {
                break;
            }
        }
        return frames.size() - start >= 2 ? start : frames.size();
    }

    /** The end of the run of framework frames that starts at {@code from} ({@code from} itself when there is none). */
    static int runEnd(List<CodeSite> frames, int from) {
        int i = from;
        while (i < frames.size() && family(frames.get(i).className()) >= 0) {
            i++;
        }
        return i;
    }

    /** {@code ... 57 frames of JUnit/Surefire/reflection}. */
    static String describe(List<CodeSite> frames, int from, int to) {
        boolean[] seen = new boolean[FAMILIES.length];
        for (int i = from; i < to; i++) {
            int f = family(frames.get(i).className());
            if (f >= 0) {
                seen[f] = true;
            }
        }
        StringBuilder names = new StringBuilder();
        for (int f = 0; f < FAMILIES.length; f++) {
            if (seen[f]) {
                names.append(names.length() == 0 ? "" : "/").append(FAMILIES[f][0]);
            }
        }
        return "... " + (to - from) + " frames of " + names;
    }

    /** The index of the family the class belongs to, or -1 for the code under test (and the plain JDK). */
    private static int family(String className) {
        for (int f = 0; f < FAMILIES.length; f++) {
            for (int p = 1; p < FAMILIES[f].length; p++) {
                if (className.startsWith(FAMILIES[f][p])) {
                    return f;
                }
            }
        }
        return -1;
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }
}
