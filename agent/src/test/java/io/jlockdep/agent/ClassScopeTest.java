package io.jlockdep.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.Option;
import org.junit.jupiter.api.Test;

/** What is never rewritten, even when {@code exclude=} is empty: only what jlockdep itself needs left alone. */
class ClassScopeTest {
    private final ClassScope everything = new ClassScope("*", "");

    @Test
    void jlockdepsOwnCodeAndWhatItsHooksRunOnAreNeverRewritten() {
        for (String name : new String[] {"io/jlockdep/runtime/Hooks", "io/jlockdep/runtime/graph/LockGraph",
            "io/jlockdep/agent/AgentMain", "io/jlockdep/shaded/org/objectweb/asm/ClassReader",
            "io/jlockdep/junit/LockdepExtension", "io/jlockdep/tools/Tools", "io/jlockdep/Lockdep",
            "java/lang/Object", "java/lang/ThreadLocal", "java/lang/ThreadLocal$ThreadLocalMap",
            "java/lang/invoke/MethodHandles", "sun/invoke/util/Wrapper", "java/lang/ClassValue$ClassValueMap",
            "java/lang/ref/ReferenceQueue", "java/lang/Shutdown", "java/util/concurrent/locks/StampedLock",
            "jdk/internal/misc/Unsafe", "jdk/internal/vm/Continuation"}) {
            assertFalse(everything.includes(name), name);
        }
    }

    @Test
    void theJdkClassesThatTakeLocksOfTheirOwnAreChecked() {
        // Throwable.printStackTrace locks the stream, then calls the program's getMessage()
        for (String name : new String[] {"java/lang/Throwable", "java/lang/ThreadGroup", "java/lang/Class",
            "java/lang/System", "java/lang/StackTraceElement", "java/lang/reflect/Field", "java/io/PrintStream",
            "java/util/Hashtable", "sun/instrument/TransformerManager", "jdk/jfr/internal/PlatformRecorder",
            "io/jlockdep/it/apps/TwoLockOrders", "com/example/Service"}) {
            assertTrue(everything.includes(name), name);
        }
        ClassScope defaults = new ClassScope(Option.INCLUDE.defaultText(), Option.EXCLUDE.defaultText());
        assertFalse(defaults.includes("jdk/jfr/internal/PlatformRecorder"), "excluded by default");
        assertTrue(defaults.includes("java/lang/Throwable"));
    }
}
