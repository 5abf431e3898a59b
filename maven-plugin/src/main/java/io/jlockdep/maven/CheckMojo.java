package io.jlockdep.maven;

import io.jlockdep.tools.RunReport;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fails the build when the test JVMs' JSON files hold findings that the suppression file does not list, including
 * cycles that exist only across JVMs, with a one-line summary; also when tests ran in this build but none under the agent. With failOnFindings false it only
 * warns.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class CheckMojo extends JlockdepMojo {
    /** False: findings are a warning, not a failed build. */
    @Parameter(property = "jlockdep.failOnFindings", defaultValue = "true")
    boolean failOnFindings;

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        List<Path> inputs = runFiles().list();
        if (inputs.isEmpty()) {
            File testReports = testsRanWithoutAgent();
            if (testReports == null) {
                getLog().info(noRunFiles(null) + "; nothing to check");
            } else {
                fail(noRunFiles(testReports));
            }
            return;
        }
        RunReport run = RunFiles.read(inputs);
        for (String gap : run.gaps()) {
            getLog().warn("jlockdep: " + gap);
        }
        int accepted = run.findingCount() - run.newFindingCount(suppressions());
        String summary = run.summary() + (accepted == 0 ? "" : "; " + accepted + " accepted by the suppression file");
        if (accepted == run.findingCount()) {
            getLog().info(summary);
            return;
        }
        File text = ReportFile.TEXT.in(outputDirectory.toPath()).toFile();
        fail(summary + (text.isFile() ? "; details in " + shown(text)
                : "; the test output has the reports, and the report goal writes them to " + shown(outputDirectory)));
    }

    private void fail(String line) throws MojoFailureException {
        if (failOnFindings) {
            throw new MojoFailureException(line);
        }
        getLog().warn(line);
    }
}
