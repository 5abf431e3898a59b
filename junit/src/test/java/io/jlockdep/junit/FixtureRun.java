package io.jlockdep.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs fixture test classes through the JUnit Platform, as a build tool would, and records how each test and class
 * ended. Keys: {@code Class} for a class, {@code Class#method} for a test ({@code Outer$Nested} for nested classes).
 */
final class FixtureRun implements TestExecutionListener {
    private final Map<String, TestExecutionResult> results = new LinkedHashMap<>();

    static FixtureRun of(Map<String, String> configuration, Class<?>... classes) {
        List<ClassSelector> selectors = new ArrayList<>();
        for (Class<?> c : classes) {
            selectors.add(selectClass(c));
        }
        FixtureRun run = new FixtureRun();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .configurationParameters(configuration).build(), run);
        return run;
    }

    static FixtureRun of(Class<?>... classes) {
        return of(Map.of(), classes);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String key = key(id);
        if (key != null) {
            results.put(key, result);
        }
    }

    private static String key(TestIdentifier id) {
        TestSource source = id.getSource().orElse(null);
        if (source instanceof MethodSource) {
            MethodSource m = (MethodSource) source;
            return simpleName(m.getClassName()) + '#' + m.getMethodName();
        }
        if (source instanceof ClassSource) {
            return simpleName(((ClassSource) source).getClassName());
        }
        return null;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace("LockdepExtensionTest$", "");
    }

    synchronized TestExecutionResult result(String key) {
        TestExecutionResult r = results.get(key);
        assertNotNull(r, () -> key + " did not run; ran: " + results.keySet());
        return r;
    }

    void assertPassed(String... keys) {
        for (String key : keys) {
            TestExecutionResult r = result(key);
            assertEquals(TestExecutionResult.Status.SUCCESSFUL, r.getStatus(),
                    () -> key + " failed: " + r.getThrowable().map(Throwable::toString).orElse(""));
        }
    }

    /** The failure of a test or class, which must have failed. */
    Throwable failure(String key) {
        TestExecutionResult r = result(key);
        assertEquals(TestExecutionResult.Status.FAILED, r.getStatus(), () -> key + " passed");
        return r.getThrowable().orElseThrow();
    }

    synchronized Map<String, TestExecutionResult> all() {
        return new LinkedHashMap<>(results);
    }
}
