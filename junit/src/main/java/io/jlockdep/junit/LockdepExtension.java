package io.jlockdep.junit;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * Fails the test during which jlockdep reported a finding, with the report as the failure message; findings reported
 * in a test class but outside its tests fail the class (see {@link Attribution} for the exact rule).
 *
 * <p>Register it with {@code @ExtendWith(LockdepExtension.class)}, or for every test class at once through JUnit's
 * extension auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}). Without the jlockdep agent
 * in the JVM every test class fails, saying what to add, unless the configuration parameter
 * {@value #AGENT_REQUIRED} is {@code false}: then the tests run unchecked.
 */
public final class LockdepExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    /** JUnit configuration parameter: {@code false} runs the tests unchecked when the agent is missing. */
    public static final String AGENT_REQUIRED = "jlockdep.agent.required";

    private static final Namespace NAMESPACE = Namespace.create(LockdepExtension.class);
    private static final String ATTRIBUTION = "attribution";
    private static final String WINDOW = "window";
    private static final String TEST_START = "test-start";

    private final FindingSource source;

    /** The extension JUnit creates: findings come from the jlockdep agent. */
    public LockdepExtension() {
        this(FindingSource.AGENT);
    }

    LockdepExtension(FindingSource source) {
        this.source = source;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Store store = context.getStore(NAMESPACE);
        Attribution.Window open = store.get(WINDOW, Attribution.Window.class);
        if (open != null && open.owner.equals(context.getUniqueId())) {
            return; // registered twice on this class
        }
        if (checking(context)) {
            store.put(WINDOW, attribution(context).openClass(context.getUniqueId(), isTopLevel(context)));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Attribution.Window window = context.getStore(NAMESPACE).remove(WINDOW, Attribution.Window.class);
        if (window == null) {
            return;
        }
        Attribution.Share share = attribution(context).closeClass(window, enclosingWindow(context),
                isTopLevel(context));
        if (!share.isEmpty()) {
            String name = context.getTestClass().map(Class::getName).orElse(context.getDisplayName());
            StringBuilder message = new StringBuilder();
            describe(message, share.beforeStart, "before " + name + " started, while no test class was running"
                    + " (between test classes, or from a thread an earlier class left running)");
            describe(message, share.whileRunning, "while " + name + " ran but none of its tests did (in @BeforeAll"
                    + " or @AfterAll, a constructor, or a thread still running after its test ended)");
            throw new LockdepFailure(forgotten(message, share.forgotten).toString());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Store store = context.getStore(NAMESPACE);
        if (store.get(TEST_START) == null && checking(context)) {
            store.put(TEST_START, attribution(context).openTest());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Long start = context.getStore(NAMESPACE).remove(TEST_START, Long.class);
        if (start == null) {
            return;
        }
        Attribution.Share share = attribution(context).closeTest(start, enclosingWindow(context));
        if (!share.isEmpty()) {
            StringBuilder message = new StringBuilder();
            describe(message, share.whileRunning, "while this test ran");
            throw new LockdepFailure(forgotten(message, share.forgotten).toString());
        }
    }

    /** True when findings are checked; throws when the agent is missing and required. */
    private boolean checking(ExtensionContext context) {
        if (source.attached()) {
            return true;
        }
        Optional<String> required = context.getConfigurationParameter(AGENT_REQUIRED);
        if (required.isPresent() && required.get().trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (required.isPresent() && !required.get().trim().equalsIgnoreCase("true")) {
            throw new ExtensionConfigurationException("jlockdep: bad value '" + required.get()
                    + "' for JUnit configuration parameter " + AGENT_REQUIRED + ": expected true or false");
        }
        throw new ExtensionConfigurationException(agentMissing());
    }

    /** Says what to add: the agent, with Maven through the plugin, keeping an argLine the build sets itself. */
    static String agentMissing() {
        return "jlockdep: the jlockdep agent is not running in this JVM, so lock orders are not checked.\n"
                + "Start the test JVM with -javaagent:<path to jlockdep-agent.jar>.\n"
                + "With Maven: add jlockdep-maven-plugin with its prepare-agent goal; if the build sets"
                + " maven-surefire-plugin's <argLine> itself, it must keep the plugin's: "
                + "<argLine>@{argLine} ...</argLine> (README: Using jlockdep in a Maven build).\n"
                + "To run these tests unchecked instead, set the JUnit configuration parameter " + AGENT_REQUIRED
                + "=false (in junit-platform.properties, or -D" + AGENT_REQUIRED + "=false).";
    }

    private static void describe(StringBuilder message, List<String> reports, String when) {
        if (reports.isEmpty()) {
            return;
        }
        if (message.length() > 0) {
            message.append("\n\n");
        }
        message.append("jlockdep reported ").append(reports.size())
                .append(reports.size() == 1 ? " finding " : " findings ").append(when).append(':');
        for (String report : reports) {
            message.append("\n\n").append(report.strip());
        }
    }

    private static StringBuilder forgotten(StringBuilder message, int forgotten) {
        if (forgotten > 0) {
            message.append(message.length() > 0 ? "\n\n" : "").append("jlockdep reported ").append(forgotten)
                    .append(forgotten == 1 ? " more finding" : " more findings")
                    .append(" then that it no longer remembers (it keeps the latest 1024); see its output.");
        }
        return message;
    }

    /** One attribution per test run (per JUnit engine execution), shared by every registration of the extension. */
    private Attribution attribution(ExtensionContext context) {
        Store root = context.getRoot().getStore(NAMESPACE);
        synchronized (LockdepExtension.class) {
            Attribution a = root.get(ATTRIBUTION, Attribution.class);
            if (a == null) {
                a = new Attribution(source);
                root.put(ATTRIBUTION, a);
            }
            return a;
        }
    }

    /** The window of the nearest enclosing class that has one, or null. */
    private static Attribution.Window enclosingWindow(ExtensionContext context) {
        return context.getParent().map(p -> p.getStore(NAMESPACE).get(WINDOW, Attribution.Window.class)).orElse(null);
    }

    private static boolean isTopLevel(ExtensionContext context) {
        return context.getParent().map(p -> !p.getParent().isPresent()).orElse(false);
    }
}
