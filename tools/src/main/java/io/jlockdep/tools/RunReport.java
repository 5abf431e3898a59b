package io.jlockdep.tools;

import io.jlockdep.runtime.finding.Suppressions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The findings of one run's JSON files (one file per JVM, such as a build's test forks), for build tools: the
 * jlockdep-maven-plugin's report and check goals. The files are read and merged as by the merge and html commands,
 * so a cycle that exists only across the JVMs is a finding too.
 */
public final class RunReport {
    private final ReportData data;

    private RunReport(ReportData data) {
        this.data = data;
    }

    /** Reads and merges the files; a missing, truncated or foreign file is a {@link BadInputException}. */
    public static RunReport read(List<String> files) throws BadInputException {
        return new RunReport(ReportData.load(files));
    }

    /** How many JVMs the files recorded. */
    public int jvmCount() {
        return data.recordings.size();
    }

    /** Every finding: those each JVM reported, and the cycles that exist only across JVMs. */
    public int findingCount() {
        return data.findings.size();
    }

    /** The findings the suppression file does not list: those that fail a build. */
    public int newFindingCount(Suppressions suppressions) {
        int n = 0;
        for (ReportData.Shown s : data.findings) {
            if (s.id() == null || suppressions.reasonFor(s.id()) == null) {
                n++;
            }
        }
        return n;
    }

    /** The findings as SARIF 2.1.0, as the sarif command writes them; source files are looked up under sourceRoot. */
    public String sarif(Suppressions suppressions, Path sourceRoot) {
        return new SarifReport(data, suppressions, new SourceFiles(sourceRoot)).render();
    }

    /** The cycles no single JVM had, found by merging their lock graphs. */
    public int crossJvmCycleCount() {
        return data.crossInputCycles.size();
    }

    /** One line for each JVM whose lock graph is missing or partial. */
    public List<String> gaps() {
        return data.gaps();
    }

    /** One line: how many findings in how many JVMs, and how many of them only across JVMs. */
    public String summary() {
        int jvms = jvmCount();
        int across = crossJvmCycleCount();
        if (findingCount() == 0) {
            return "jlockdep: no findings in " + HtmlReport.plural(jvms, "JVM")
                    + (jvms > 1 ? ", and no cycle across them" : "");
        }
        return "jlockdep: " + HtmlReport.plural(findingCount(), "finding") + " in " + HtmlReport.plural(jvms, "JVM")
                + (across == 0 ? "" : " (" + across + (across == 1 ? " is a cycle" : " are cycles")
                        + " across JVMs that no single JVM saw)");
    }

    /**
     * The summary line, the gaps, then every finding's report as printed: those of each JVM under its file and pid,
     * then those across JVMs.
     */
    public String text() {
        StringBuilder sb = new StringBuilder(summary()).append('\n');
        for (String gap : gaps()) {
            sb.append("jlockdep: ").append(gap).append('\n');
        }
        int quiet = 0;
        for (Recording r : data.recordings) {
            List<ReportData.Shown> found = findingsOf(r.label);
            if (found.isEmpty()) {
                quiet++;
                continue;
            }
            section(sb, r.label + ": " + HtmlReport.plural(found.size(), "finding"), found);
        }
        List<ReportData.Shown> across = findingsOf(null);
        if (!across.isEmpty()) {
            section(sb, "across JVMs (merged lock graphs): " + HtmlReport.plural(across.size(), "cycle", "cycles")
                    + " that no single JVM saw", across);
        }
        if (quiet > 0 && quiet < jvmCount()) {
            sb.append("\n").append(HtmlReport.plural(quiet, "JVM")).append(" reported no finding of ")
                    .append(quiet == 1 ? "its" : "their").append(" own.\n");
        }
        return sb.toString();
    }

    /** The self-contained HTML page of the html command. */
    public String html() {
        return HtmlReport.render(data);
    }

    private List<ReportData.Shown> findingsOf(String source) {
        List<ReportData.Shown> out = new ArrayList<>();
        for (ReportData.Shown s : data.findings) {
            if (source == null ? s.acrossInputs() : source.equals(s.source)) {
                out.add(s);
            }
        }
        return out;
    }

    private static void section(StringBuilder sb, String title, List<ReportData.Shown> findings) {
        sb.append("\n=== ").append(title).append('\n');
        for (ReportData.Shown s : findings) {
            sb.append(s.text());
        }
    }
}
