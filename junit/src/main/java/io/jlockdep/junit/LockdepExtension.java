package io.jlockdep.junit;

import java.util.ArrayList;
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
 * Fails the test during which jlockdep reported a finding, with the report in the failure; findings reported in a
 * test class but outside its tests fail the class (see {@link Attribution} for the exact rule). While it runs, the
 * agent announces each finding in one line instead of printing the report, so the report is read once: in the failure
 * (findings no failure shows are printed whole when the JVM exits).
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
    /** The failure's one-line message names this many findings; more are counted. */
    private static final int HEADLINES_SHOWN = 3;

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
            source.deliverThroughTests();
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
            throw failure(share, "before " + name + " started, while no test class was running (between test"
                    + " classes, or from a thread an earlier class left running)", "while " + name + " ran but none of"
                    + " its tests did (in @BeforeAll or @AfterAll, a constructor, or a thread still running after its"
                    + " test ended)");
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
            throw failure(share, null, "while this test ran");
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

    /**
     * The failure for a share of findings: a one-line message (the findings' headlines, saying when they were
     * reported) and the reports, each section under its own heading when there are two. Marks them shown.
     */
    private LockdepFailure failure(Attribution.Share share, String beforeStart, String whileRunning) {
        List<Attribution.Report> all = new ArrayList<>(share.beforeStart);
        all.addAll(share.whileRunning);
        boolean twoSections = !share.beforeStart.isEmpty() && !share.whileRunning.isEmpty();
        StringBuilder summary = new StringBuilder("jlockdep reported ");
        int total = all.size() + share.forgotten;
        summary.append(total).append(total == 1 ? " finding " : " findings ")
                .append(twoSections ? "outside the tests of this class" : share.beforeStart.isEmpty() ? whileRunning
                        : beforeStart);
        for (int i = 0; i < all.size() && i < HEADLINES_SHOWN; i++) {
            summary.append(i == 0 ? ": " : "; ").append(all.get(i).headline);
        }
        if (all.size() > HEADLINES_SHOWN) {
            summary.append("; and ").append(all.size() - HEADLINES_SHOWN).append(" more");
        }
        StringBuilder reports = new StringBuilder();
        section(reports, share.beforeStart, twoSections ? beforeStart : null);
        section(reports, share.whileRunning, twoSections ? whileRunning : null);
        if (share.forgotten > 0) {
            reports.append(reports.length() > 0 ? "\n\n" : "").append(share.forgotten)
                    .append(share.forgotten == 1 ? " more finding was" : " more findings were")
                    .append(" reported then, which jlockdep no longer remembers (it keeps the latest 1024); see its"
                            + " output.");
        }
        for (Attribution.Report r : all) {
            source.shown(r.number);
        }
        return new LockdepFailure(summary.toString(), reports.toString());
    }

    private static void section(StringBuilder reports, List<Attribution.Report> share, String heading) {
        if (share.isEmpty()) {
            return;
        }
        if (heading != null) {
            reports.append(reports.length() > 0 ? "\n\n" : "").append("jlockdep reported ").append(share.size())
                    .append(share.size() == 1 ? " finding " : " findings ").append(heading).append(':');
        }
        for (Attribution.Report r : share) {
            reports.append(reports.length() > 0 ? "\n\n" : "").append(r.text.strip());
        }
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
