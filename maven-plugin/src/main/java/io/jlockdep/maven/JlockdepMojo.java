package io.jlockdep.maven;

import io.jlockdep.runtime.finding.Suppressions;
import java.io.File;
import java.util.Date;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** What every goal shares: the project, where the run's files go, and {@code jlockdep.skip}. */
abstract class JlockdepMojo extends AbstractMojo {
    /** The test reports Surefire and Failsafe write by default: they tell whether tests ran in this build. */
    private static final String[] TEST_REPORTS = {"surefire-reports", "failsafe-reports"};

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    /**
     * Where each test JVM writes its JSON file ({@code jlockdep-<pid>.json}) and where report writes its files.
     */
    @Parameter(property = "jlockdep.outputDirectory", defaultValue = "${project.build.directory}/jlockdep")
    File outputDirectory;

    /**
     * The suppression file (the agent's {@code suppress=} format: {@code <id> <reason>} lines): the findings it lists
     * are accepted; report marks them suppressed and check does not fail on them. Used only when it exists, unless
     * named explicitly.
     */
    @Parameter(property = "jlockdep.suppressions", defaultValue = "${project.basedir}/jlockdep-suppressions.txt")
    File suppressions;

    /** Skips the goal: prepare-agent then leaves the agent out of the test JVMs. */
    @Parameter(property = "jlockdep.skip", defaultValue = "false")
    boolean skip;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("jlockdep: skipped (jlockdep.skip)");
            skipped();
            return;
        }
        run();
    }

    abstract void run() throws MojoExecutionException, MojoFailureException;

    /** What the goal still does when skipped. */
    void skipped() {
    }

    /** The suppression file's contents; none when the default file does not exist. */
    Suppressions suppressions() throws MojoExecutionException {
        if (suppressions == null || !suppressions.exists()
                && suppressions.equals(new File(project.getBasedir(), "jlockdep-suppressions.txt"))) {
            return Suppressions.none();
        }
        try {
            return Suppressions.read(suppressions.toPath());
        } catch (Suppressions.BadFileException | RuntimeException e) {
            throw new MojoExecutionException("jlockdep: " + shown(suppressions) + ": " + e.getMessage());
        }
    }

    RunFiles runFiles() {
        return new RunFiles(outputDirectory.toPath());
    }

    /**
     * Where tests wrote reports during this build although no JVM wrote a JSON file: the directory, or null. Then
     * the test JVMs ran without the agent (an {@code <argLine>} without {@code @{argLine}}, a skipped prepare-agent).
     */
    File testsRanWithoutAgent() {
        Date start = session.getRequest().getStartTime();
        for (String name : TEST_REPORTS) {
            File dir = new File(project.getBuild().getDirectory(), name);
            File[] reports = dir.listFiles();
            if (reports == null) {
                continue;
            }
            for (File f : reports) {
                if (start == null || f.lastModified() >= start.getTime()) {
                    return dir;
                }
            }
        }
        return null;
    }

    /** Says why there is no JSON file; {@code testReports} is {@link #testsRanWithoutAgent}'s answer. */
    String noRunFiles(File testReports) {
        String none = "no JSON file in " + shown(outputDirectory);
        if (testReports == null) {
            return "jlockdep: " + none + ": no test JVM ran in this build";
        }
        return "jlockdep: tests ran in this build (" + shown(testReports) + ") but none under the jlockdep agent: "
                + none + ". A build that sets maven-surefire-plugin's or maven-failsafe-plugin's <argLine> must keep"
                + " the agent's with @{argLine}: <argLine>@{argLine} ...</argLine>";
    }

    /** A path as the user sees it in the build: relative to the project's directory when inside it. */
    String shown(File file) {
        java.nio.file.Path base = project.getBasedir().toPath().toAbsolutePath();
        java.nio.file.Path path = file.toPath().toAbsolutePath();
        return path.startsWith(base) ? base.relativize(path).toString() : path.toString();
    }
}
