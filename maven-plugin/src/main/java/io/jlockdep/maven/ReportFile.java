package io.jlockdep.maven;

import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.tools.RunReport;
import java.nio.file.Path;

/** The files the report goal writes, each rendered by the tools' code. */
enum ReportFile {
    TEXT("jlockdep.txt") {
        @Override
        String render(RunReport run, Suppressions suppressions, Path sourceRoot) {
            return run.text();
        }
    },
    HTML("jlockdep.html") {
        @Override
        String render(RunReport run, Suppressions suppressions, Path sourceRoot) {
            return run.html();
        }
    },
    /** For GitHub code scanning and other CI dashboards; suppressed findings carry their reason. */
    SARIF("jlockdep.sarif") {
        @Override
        String render(RunReport run, Suppressions suppressions, Path sourceRoot) {
            return run.sarif(suppressions, sourceRoot);
        }
    };

    final String fileName;

    ReportFile(String fileName) {
        this.fileName = fileName;
    }

    abstract String render(RunReport run, Suppressions suppressions, Path sourceRoot);

    Path in(Path directory) {
        return directory.resolve(fileName);
    }
}
