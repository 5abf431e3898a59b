package io.jlockdep.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlockdep.runtime.lockclass.CodeSite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which frames a report folds into one line. */
class FrameFoldingTest {
    private static List<CodeSite> stack(String... classes) {
        List<CodeSite> frames = new ArrayList<>();
        for (String c : classes) {
            frames.add(new CodeSite(c, "m", "F.java", 1));
        }
        return frames;
    }

    @Test
    void theTailBelowTheTestIsFoldedJdkLoopsInsideItIncluded() {
        List<CodeSite> s = stack("java.util.concurrent.locks.ReentrantLock", "com.x.BankTest",
                "org.junit.platform.commons.util.ReflectionUtils", "java.util.ArrayList",
                "org.junit.platform.engine.support.hierarchical.NodeTestTask",
                "org.apache.maven.surefire.booter.ForkedBooter");
        assertEquals(2, FrameFolding.tailStart(s));
        assertEquals("... 4 frames of JUnit/Surefire", FrameFolding.describe(s, 2, s.size()));
    }

    @Test
    void aProgramsOwnStackAndItsThreadRunStayWhole() {
        List<CodeSite> s = stack("com.x.Bank", "com.x.Main", "java.lang.Thread");
        assertEquals(s.size(), FrameFolding.tailStart(s), "nothing of a test framework to fold");
    }

    @Test
    void theFrameThatTookTheLockIsNeverFoldedAndOneFrameIsNotWorthALine() {
        List<CodeSite> all = stack("org.junit.jupiter.engine.X", "org.junit.jupiter.engine.Y");
        assertEquals(all.size(), FrameFolding.tailStart(all), "only one frame below the first: kept");
        List<CodeSite> s = stack("org.junit.jupiter.engine.X", "org.junit.Y", "org.junit.Z");
        assertEquals(1, FrameFolding.tailStart(s));
    }

    @Test
    void reflectionInTheMiddleIsARunOfItsOwn() {
        List<CodeSite> s = stack("com.x.Bank", "jdk.internal.reflect.NativeMethodAccessorImpl",
                "jdk.internal.reflect.DelegatingMethodAccessorImpl", "java.lang.reflect.Method", "com.x.Main");
        assertEquals(4, FrameFolding.runEnd(s, 1));
        assertEquals("... 3 frames of reflection", FrameFolding.describe(s, 1, 4));
        assertEquals(s.size(), FrameFolding.tailStart(s), "the program's main is below it");
    }
}
