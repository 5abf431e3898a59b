package io.jlockdep.maven;

import java.io.File;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Sets a property, {@code argLine} by default, to the {@code -javaagent:} argument of the jlockdep agent (the jar
 * among this plugin's dependencies) with the configured agent options, appended to the property's existing value.
 * maven-surefire-plugin and maven-failsafe-plugin read {@code argLine} when the build does not set their
 * {@code <argLine>}; a build that does must include the property with late replacement:
 * {@code <argLine>@{argLine} -Xmx1g</argLine>}. JaCoCo's prepare-agent sets the same property, and both agents run.
 *
 * <p>Each test JVM writes its findings and lock graph to {@code <outputDirectory>/jlockdep-<pid>.json}; the files of
 * an earlier build there are deleted first, so report and check read this build's JVMs only.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public final class PrepareAgentMojo extends JlockdepMojo {
    static final String AGENT = "io.jlockdep:jlockdep-agent";

    @Parameter(property = "plugin.artifactMap", required = true, readonly = true)
    Map<String, Artifact> pluginArtifactMap;

    /** The property to set; {@code argLine} is the one Surefire and Failsafe read. */
    @Parameter(property = "jlockdep.propertyName", defaultValue = "argLine")
    String propertyName;

    /**
     * The agent's options, one element each, as in {@code -javaagent:jlockdep-agent.jar=key=value,...}: for example
     * {@code <options><max-reports>20</max-reports><watchdog>1000</watchdog></options>}. They are checked now, with
     * the agent's messages. {@code json} is the plugin's own (see outputDirectory).
     */
    @Parameter
    Map<String, String> options;

    @Override
    void run() throws MojoExecutionException {
        File jar = agentJar();
        RunFiles files = runFiles();
        String argument;
        try {
            argument = AgentArgument.render(jar.toPath(), options == null ? Collections.emptyMap() : options,
                    files.jsonOption());
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        int stale = files.prepare();
        if (stale > 0) {
            getLog().info("jlockdep: deleted " + stale + " JSON file" + (stale == 1 ? "" : "s")
                    + " of an earlier run in " + shown(outputDirectory));
        }
        Properties properties = project.getProperties();
        String value = AgentArgument.append(properties.getProperty(propertyName), jar.toPath(), argument);
        properties.setProperty(propertyName, value);
        getLog().info("jlockdep: " + propertyName + " set to " + value);
    }

    /** Like JaCoCo's: an unset property becomes empty, so that {@code @{argLine}} in a build's argLine still works. */
    @Override
    void skipped() {
        Properties properties = project.getProperties();
        if (properties.getProperty(propertyName) == null) {
            properties.setProperty(propertyName, "");
        }
    }

    private File agentJar() throws MojoExecutionException {
        Artifact agent = pluginArtifactMap.get(AGENT);
        if (agent == null || agent.getFile() == null) {
            throw new MojoExecutionException("jlockdep: the plugin's dependency " + AGENT + " was not resolved");
        }
        return agent.getFile();
    }
}
