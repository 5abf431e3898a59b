package io.jlockdep.maven;

import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.tools.RunReport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Reads the JSON files the test JVMs wrote (one per JVM: every Surefire fork, every Failsafe run) and writes into
 * outputDirectory what they found: {@code jlockdep.txt}, the reports of every JVM and the cycles that exist only
 * across JVMs (the merge command's), {@code jlockdep.html}, the html command's page, and {@code jlockdep.sarif},
 * the sarif command's SARIF 2.1.0 log (suppressed findings marked with their reason).
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class ReportMojo extends JlockdepMojo {
    @Override
    void run() throws MojoExecutionException {
        List<Path> inputs = runFiles().list();
        if (inputs.isEmpty()) {
            for (ReportFile f : ReportFile.values()) {
                delete(f.in(outputDirectory.toPath())); // an earlier run's, which would now mislead
            }
            File testReports = testsRanWithoutAgent();
            if (testReports == null) {
                getLog().info(noRunFiles(null) + "; nothing to report");
            } else {
                getLog().warn(noRunFiles(testReports));
            }
            return;
        }
        RunReport run = RunFiles.read(inputs);
        for (String gap : run.gaps()) {
            getLog().warn("jlockdep: " + gap);
        }
        Suppressions accepted = suppressions();
        StringBuilder written = new StringBuilder();
        for (ReportFile f : ReportFile.values()) {
            Path file = f.in(outputDirectory.toPath());
            try {
                Files.write(file, f.render(run, accepted, project.getBasedir().toPath()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new MojoExecutionException("jlockdep: " + file + ": cannot write it (" + e + ")", e);
            }
            written.append(written.length() == 0 ? "" : ", ").append(shown(file.toFile()));
        }
        getLog().info(run.summary() + "; written: " + written);
    }

    private static void delete(Path file) throws MojoExecutionException {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new MojoExecutionException("jlockdep: cannot delete " + file + " of an earlier run: " + e, e);
        }
    }
}
