package io.jlockdep.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A user's Maven project (a directory under src/it/) configured with the snippets of README.md, built by a nested
 * {@code mvn} (the Maven and the JDK running this build) against the artifacts this build just made.
 *
 * <p>In every text file of the project, a line {@code <!-- README: name -->} (or {@code # README: name}) is replaced
 * by the README's code block marked {@code <!-- maven-build: name -->}, and {@code @property@} by the version this
 * build uses, so README and tests stay in step. The nested builds share one local repository under target/, seeded
 * with what {@code mvn install} installs (parent POM, runtime, api, agent jar with its dependency-reduced POM, junit,
 * the Maven plugin), so this build never writes its snapshots into the user's ~/.m2. Everything else resolves from
 * the outer build's local repository, read as a {@code file://} repository, then from Maven Central.
 */
final class SampleMavenProject {
    static final Path ROOT = Paths.get(System.getProperty("jlockdep.root", "..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("jlockdep.version", "0.1.0-SNAPSHOT");
    private static final Path WORK = ROOT.resolve("it-tests/target/maven-builds");
    private static final Pattern SNIPPET = Pattern.compile("<!-- maven-build: ([\\w.-]+) -->\\s*```\\w*\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern README_MARK = Pattern.compile("(?m)^[ \\t]*(?:<!-- README: ([\\w.-]+) -->|# README:"
            + " ([\\w.-]+))[ \\t]*$");
    private static final Pattern PROPERTY = Pattern.compile("@([\\w.-]+)@");

    final Path dir;
    final Path repository = WORK.resolve("repository");
    final Path settings = WORK.resolve("settings.xml");
    final Path log;

    private SampleMavenProject(String name) {
        dir = WORK.resolve(name);
        log = WORK.resolve(name + ".log");
    }

    /** src/it/maven-project: the JUnit 5 project of the README's Maven section. */
    static SampleMavenProject create() throws IOException {
        return create("maven-project");
    }

    /** Lays out src/it/{@code name} (README snippets and versions in place), the seeded repository and settings. */
    static SampleMavenProject create(String name) throws IOException {
        SampleMavenProject p = new SampleMavenProject(name);
        Map<String, String> readme = readmeSnippets();
        Map<String, String> versions = versions();
        deleteTree(p.dir);
        Path source = ROOT.resolve("it-tests/src/it").resolve(name);
        copyTree(source, p.dir);
        try (Stream<Path> files = Files.walk(p.dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                text = fill(text, README_MARK, m -> required(readme, m.group(m.group(1) != null ? 1 : 2)).strip());
                Files.writeString(f, fill(text, PROPERTY, m -> required(versions, m.group(1))), StandardCharsets.UTF_8);
            }
        }
        p.seedRepository();
        p.writeSettings();
        return p;
    }

    private static String fill(String text, Pattern pattern, Function<Matcher, String> value) {
        Matcher m = pattern.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(value.apply(m)));
        }
        return m.appendTail(sb).toString();
    }

    /** The versions a sample may name as {@code @name@}: this build's, and the plugins jlockdep's own build pins. */
    private static Map<String, String> versions() throws IOException {
        Map<String, String> v = new HashMap<>();
        v.put("jlockdep.version", VERSION);
        v.put("junit.version", System.getProperty("junit.version", "5.11.4"));
        for (String plugin : new String[] {"maven-compiler-plugin", "maven-resources-plugin", "maven-surefire-plugin",
            "maven-jar-plugin"}) {
            v.put(plugin + ".version", outerPluginVersion(plugin));
        }
        for (String property : new String[] {"jacoco.version", "failsafe.version"}) {
            v.put(property, outerProperty(property));
        }
        return v;
    }

    /** The code blocks README.md marks with {@code <!-- maven-build: name -->}, by name. */
    static Map<String, String> readmeSnippets() throws IOException {
        String text = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher m = SNIPPET.matcher(text);
        while (m.find()) {
            snippets.put(m.group(1), m.group(2));
        }
        return snippets;
    }

    private static String required(Map<String, String> values, String name) {
        String s = values.get(name);
        if (s == null) {
            throw new AssertionError("no value for " + name + " (README.md marks its code blocks with"
                    + " <!-- maven-build: name -->; versions are " + values.keySet() + ")");
        }
        return s;
    }

    /** The version jlockdep's parent POM pins for a plugin, so the sample resolves it from the outer repository. */
    private static String outerPluginVersion(String artifactId) throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<artifactId>" + artifactId + "</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        if (!m.find()) {
            throw new AssertionError("the parent POM pins no version of " + artifactId);
        }
        return m.group(1);
    }

    /** A property of jlockdep's parent POM. */
    private static String outerProperty(String name) throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        if (!m.find()) {
            throw new AssertionError("the parent POM has no property " + name);
        }
        return m.group(1);
    }

    /** What {@code mvn install} puts in a local repository for the published modules (checked by hand once). */
    private void seedRepository() throws IOException {
        deleteTree(repository.resolve("io/jlockdep"));
        install("jlockdep-parent", ROOT.resolve("pom.xml"), null);
        install("jlockdep-runtime", ROOT.resolve("runtime/pom.xml"),
                ROOT.resolve("runtime/target/jlockdep-runtime-" + VERSION + ".jar"));
        install("jlockdep-api", ROOT.resolve("api/pom.xml"),
                ROOT.resolve("api/target/jlockdep-api-" + VERSION + ".jar"));
        install("jlockdep-tools", ROOT.resolve("tools/pom.xml"),
                ROOT.resolve("tools/target/jlockdep-tools-" + VERSION + ".jar"));
        install("jlockdep-agent", ROOT.resolve("agent/target/dependency-reduced-pom.xml"),
                ROOT.resolve("agent/target/jlockdep-agent.jar"));
        install("jlockdep-junit", ROOT.resolve("junit/pom.xml"),
                ROOT.resolve("junit/target/jlockdep-junit-" + VERSION + ".jar"));
        install("jlockdep-maven-plugin", ROOT.resolve("maven-plugin/pom.xml"),
                ROOT.resolve("maven-plugin/target/jlockdep-maven-plugin-" + VERSION + ".jar"));
    }

    private void install(String artifactId, Path pom, Path jar) throws IOException {
        Path dir = repository.resolve("io/jlockdep").resolve(artifactId).resolve(VERSION);
        Files.createDirectories(dir);
        copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"));
        if (jar != null) {
            copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            throw new AssertionError("not built: " + from);
        }
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private void writeSettings() throws IOException {
        String outer = Paths.get(System.getProperty("outer.local.repository",
                System.getProperty("user.home") + "/.m2/repository")).toUri().toString();
        String repo = "<id>outer-build</id><url>" + outer + "</url>"
                // A local repository keeps no checksums: nothing to validate against.
                + "<releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>"
                + "<snapshots><enabled>false</enabled></snapshots>";
        String xml = "<settings>\n"
                + "  <localRepository>" + repository + "</localRepository>\n"
                + "  <profiles>\n"
                + "    <profile>\n"
                + "      <id>outer-build</id>\n"
                + "      <repositories><repository>" + repo + "</repository></repositories>\n"
                + "      <pluginRepositories><pluginRepository>" + repo + "</pluginRepository></pluginRepositories>\n"
                + "    </profile>\n"
                + "  </profiles>\n"
                + "  <activeProfiles><activeProfile>outer-build</activeProfile></activeProfiles>\n"
                + "</settings>\n";
        Files.writeString(settings, xml, StandardCharsets.UTF_8);
    }

    /** Changes the project's POM, as a user editing it would; {@code from} must be there. */
    void editPom(String from, String to) throws IOException {
        Path pom = dir.resolve("pom.xml");
        String text = Files.readString(pom, StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new AssertionError("the sample POM has no " + from + ":\n" + text);
        }
        Files.writeString(pom, text.replace(from, to), StandardCharsets.UTF_8);
    }

    /** Runs {@code mvn <goals>} in the project; its output goes to {@link #log}. Returns the exit status. */
    int mvn(Duration timeout, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(mavenCommand());
        command.addAll(List.of("-B", "-ntp", "-s", settings.toString()));
        command.addAll(List.of(goals));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the nested Maven build took longer than " + timeout + "\n" + logTail());
        }
        return p.exitValue();
    }

    /** The Maven running this build ({@code maven.home}), else {@code mvn} on the PATH. */
    private static String mavenCommand() {
        String home = System.getProperty("maven.home");
        boolean windows = System.getProperty("os.name").startsWith("Windows");
        if (home != null) {
            Path mvn = Paths.get(home, "bin", windows ? "mvn.cmd" : "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        return windows ? "mvn.cmd" : "mvn";
    }

    String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** The end of the nested build's output, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no build log: " + e + ")";
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
