package io.jlockdep.maven;

import io.jlockdep.tools.RunReport;
import java.nio.file.Path;

/**
 * The files the report goal writes, each rendered by the tools' code. SARIF is the next one: once the tools can
 * write it (a {@code sarif} command, issue 13), it is one more constant here, {@code jlockdep.sarif}.
 */
enum ReportFile {
    TEXT("jlockdep.txt") {
        @Override
        String render(RunReport run) {
            return run.text();
        }
    },
    HTML("jlockdep.html") {
        @Override
        String render(RunReport run) {
            return run.html();
        }
    };

    final String fileName;

    ReportFile(String fileName) {
        this.fileName = fileName;
    }

    abstract String render(RunReport run);

    Path in(Path directory) {
        return directory.resolve(fileName);
    }
}
