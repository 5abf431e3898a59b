package io.jlockdep.maven;

import io.jlockdep.tools.BadInputException;
import io.jlockdep.tools.RunReport;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;

/** The JSON files the test JVMs of one build write, one per JVM: {@code <outputDirectory>/jlockdep-<pid>.json}. */
final class RunFiles {
    static final String PREFIX = "jlockdep-";
    static final String SUFFIX = ".json";

    final Path directory;

    RunFiles(Path directory) {
        this.directory = directory;
    }

    /** The {@code json=} agent option that makes each JVM write its own file here ({@code %p}: its pid). */
    String jsonOption() {
        return directory.toAbsolutePath().resolve(PREFIX + "%p" + SUFFIX).toString();
    }

    /** The files there now, by name. */
    List<Path> list() throws MojoExecutionException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path f : dir) {
                files.add(f);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("jlockdep: cannot list " + directory + ": " + e, e);
        }
        files.sort(null);
        return files;
    }

    /**
     * Makes the directory (the agent does not create one) and deletes the files of an earlier build there, so that
     * report and check read this build's JVMs only. Returns how many it deleted.
     */
    int prepare() throws MojoExecutionException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new MojoExecutionException("jlockdep: cannot create " + directory + ": " + e, e);
        }
        int n = 0;
        for (Path f : list()) {
            try {
                Files.delete(f);
                n++;
            } catch (IOException e) {
                throw new MojoExecutionException("jlockdep: cannot delete " + f + " of an earlier run: " + e, e);
            }
        }
        return n;
    }

    /** Reads and merges these files; a file that cannot be read fails the goal with the tools' one line. */
    static RunReport read(List<Path> files) throws MojoExecutionException {
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(f.toString());
        }
        try {
            return RunReport.read(names);
        } catch (BadInputException e) {
            throw new MojoExecutionException("jlockdep: " + e.getMessage(), e);
        }
    }
}
