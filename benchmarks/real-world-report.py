#!/usr/bin/env python3
"""Reads what benchmarks/real-world.sh left in its work directory and prints, per subject: wall time without and with
the agent, test results of both, the tests the agent broke, and every distinct finding (kind + lock classes), with the
test classes that were running when it was reported. Also writes <work>/results.md and <work>/findings.json.

usage: real-world-report.py WORK SUBJECT...
"""
import glob
import json
import os
import re
import sys
import xml.etree.ElementTree as ET


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def test_results(reports_dir):
    """{"Class.method": status} with status pass/fail/error/skipped; {booter jar: test class} (Surefire starts each
    test JVM from a booter jar of its own, and jlockdep's JSON header names it as the main jar); the seconds spent
    inside test classes."""
    results, booters, seconds = {}, {}, 0.0
    for path in sorted(glob.glob(os.path.join(reports_dir, "TEST-*.xml"))):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        seconds += float(root.get("time", "0").replace(",", "") or 0)
        for prop in root.iter("property"):
            if prop.get("name") == "sun.java.command" and prop.get("value"):
                booters[prop.get("value").split()[0]] = root.get("name")
        for case in root.iter("testcase"):
            # A failure outside any test (@BeforeAll, @AfterClass) has an empty name: "<class>".
            name = "%s.%s" % (case.get("classname"), case.get("name") or "<class>")
            status = "pass"
            for child in case:
                if child.tag in ("failure", "error", "skipped"):
                    status = {"failure": "fail", "error": "error", "skipped": "skipped"}[child.tag]
                    break
            # A test rerun or reported twice (a class-level failure) keeps its worst status.
            if results.get(name) in ("fail", "error"):
                continue
            results[name] = status
    return results, booters, seconds


def failure_message(reports_dir, test):
    """The first lines of the failure of one test, from the Surefire XML report."""
    cls, _, method = test.rpartition(".")
    path = os.path.join(reports_dir, "TEST-%s.xml" % cls)
    try:
        root = ET.parse(path).getroot()
    except (FileNotFoundError, ET.ParseError):
        return ""
    for case in root.iter("testcase"):
        if case.get("classname") == cls and (case.get("name") or "<class>") == method:
            for child in case:
                if child.tag in ("failure", "error"):
                    text = (child.get("type") or "") + ": " + (child.get("message") or "")
                    body = (child.text or "").strip().splitlines()
                    return (text + " | " + " / ".join(l.strip() for l in body[:4]))[:600]
    return ""


def finding_identity(rec):
    """kind + the lock classes the finding is about; a cycle is the set of its classes, whichever lock closed it."""
    kind = rec.get("kind")
    if rec.get("chain"):
        locks = [link["from"] for link in rec["chain"]]
    else:
        locks = rec.get("locks") or []
    keys = sorted({l.get("key") or l.get("name") for l in locks})
    names = {}
    for l in locks:
        names[l.get("key") or l.get("name")] = re.sub(r"#\d+$", "", l.get("name") or "?")
    return kind + " | " + " ; ".join(keys), kind, [names[k] for k in keys]


def findings(run_dir, booters):
    """Distinct findings of one run: identity -> {kind, names, jvms, tests, example (first record)}."""
    out, jvms_without_graph, jvm_count = {}, [], 0
    for path in sorted(glob.glob(os.path.join(run_dir, "json", "*.json"))):
        records = []
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError:
                        pass
        jvm_count += 1
        header = next((r for r in records if r.get("type") == "header"), {})
        test = booters.get(header.get("main"), "pid %s" % header.get("pid"))
        if not any(r.get("type") == "graph" for r in records):
            jvms_without_graph.append(os.path.basename(path))
        for rec in records:
            if rec.get("type") != "finding":
                continue
            ident, kind, names = finding_identity(rec)
            entry = out.setdefault(ident, {"kind": kind, "names": names, "jvms": set(), "tests": set(),
                                           "example": rec, "file": path})
            entry["jvms"].add(rec.get("pid"))
            entry["tests"].add(test.rsplit(".", 1)[-1])
    return out, jvm_count, jvms_without_graph


def agent_messages(run_dir):
    """Distinct 'jlockdep: ...' lines (internal errors, full tables) from the reports and the Maven log."""
    lines = {}
    for path in glob.glob(os.path.join(run_dir, "out", "*.txt")) + [os.path.join(run_dir, "mvn.log")]:
        for line in read(path).splitlines():
            line = line.strip()
            if line.startswith("jlockdep:") or "jlockdep: internal error" in line:
                key = re.sub(r"\d+", "N", line)[:200]
                lines[key] = lines.get(key, 0) + 1
    return lines


def merged_cycles(run_dir):
    """Cycles `merge` found only across JVMs: (status, [chain of lock names per report])."""
    text = read(os.path.join(run_dir, "merge.txt"))
    status = read(os.path.join(run_dir, "merge-status"), "?")
    cycles = []
    for report in re.split(r"\n=+\nWARNING", text):
        names = re.findall(r"^-> #\d+ \((.*?)\)\{", report, re.M)
        if names:
            cycles.append(sorted(set(names)))
    return status, cycles, text


def cpu(run_dir):
    text = read(os.path.join(run_dir, "cpu"))
    return float(text) if text else None


def wall(run_dir):
    times = read(os.path.join(run_dir, "times"))
    if not times:
        return None
    start, end = (float(x) for x in times.split())
    return end - start


def main():
    work, subjects = sys.argv[1], sys.argv[2:]
    md = ["# real-world.sh results", ""]
    summary_rows, all_findings = [], []
    for s in subjects:
        base_dir, agent_dir = os.path.join(work, s, "baseline"), os.path.join(work, s, "agent")
        title = read(os.path.join(work, s, "title"), s)
        base, _, base_seconds = test_results(os.path.join(base_dir, "reports"))
        with_agent, booters, agent_seconds = test_results(os.path.join(agent_dir, "reports"))
        t_base, t_agent = wall(base_dir), wall(agent_dir)
        c_base, c_agent = cpu(base_dir), cpu(agent_dir)
        cpu_ratio = (c_agent / c_base) if c_base and c_agent else None
        flaky = set(read(os.path.join(work, s, "known-flaky")).split())
        failing_without = sorted(t for t, st in base.items() if st in ("fail", "error"))
        failed_with = {t for t, st in with_agent.items() if st in ("fail", "error")}
        broken = sorted(t for t in failed_with if base.get(t) == "pass" and t not in flaky)
        flaky_with = sorted(t for t in failed_with if base.get(t) == "pass" and t in flaky)
        missing = sorted(t for t, st in base.items() if st == "pass" and t not in with_agent)
        found, jvm_count, no_graph = findings(agent_dir, booters)
        messages = agent_messages(agent_dir)
        merge_status, merged, _ = merged_cycles(agent_dir)
        classes = len({t.rsplit(".", 1)[0] for t in base})

        def count(results, *states):
            return sum(1 for st in results.values() if st in states)

        ratio = (t_agent / t_base) if t_base and t_agent else None
        summary_rows.append((s, title, len(base), classes, count(base, "pass"), count(with_agent, "pass"),
                             len(broken), t_base, t_agent, ratio, cpu_ratio, len(found), len(merged)))
        print("=" * 100)
        print("%s: %s" % (s, title))
        print("  tests: %d in %d classes; passed without agent %d, with agent %d; failed without agent %d"
              % (len(base), classes, count(base, "pass"), count(with_agent, "pass"), len(failing_without)))
        print("  time inside test classes (Surefire's per-class times, summed): without agent %s, with agent %s"
              % (fmt_s(base_seconds), fmt_s(agent_seconds)))
        print("  CPU time (user + system, Maven and its test JVMs): without agent %s, with agent %s, ratio %s"
              % (fmt_s(c_base), fmt_s(c_agent), "%.2fx" % cpu_ratio if cpu_ratio else "-"))
        print("  wall time: without agent %s, with agent %s, ratio %s  (load before/after: %s / %s ; %s / %s)"
              % (fmt_s(t_base), fmt_s(t_agent), "%.2fx" % ratio if ratio else "-",
                 read(os.path.join(base_dir, "load-before")), read(os.path.join(base_dir, "load-after")),
                 read(os.path.join(agent_dir, "load-before")), read(os.path.join(agent_dir, "load-after"))))
        for label, d in (("without agent", base_dir), ("with agent", agent_dir)):
            st = read(os.path.join(d, "status"), "?")
            if st not in ("0", "?"):
                print("  !! mvn %s exited with %s (124 = suite timeout)" % (label, st))
        print("  test JVMs with the agent: %d; without a graph record (did not exit normally): %d %s"
              % (jvm_count, len(no_graph), " ".join(no_graph[:5])))
        if failing_without:
            print("  failing WITHOUT the agent (not the agent's doing, left out of the comparison):")
            for t in failing_without:
                print("    - %s: %s" % (t, failure_message(os.path.join(base_dir, "reports"), t)[:200]))
        if flaky_with:
            print("  failing with the agent, passing without, but known to fail without it too (FLAKY in the script):")
            for t in flaky_with:
                print("    - %s: %s" % (t, failure_message(os.path.join(agent_dir, "reports"), t)[:200]))
        print("  BROKEN by the agent (pass without, fail with): %d" % len(broken))
        for t in broken:
            print("    - %s: %s" % (t, failure_message(os.path.join(agent_dir, "reports"), t)[:300]))
        if missing:
            print("  passed without the agent but not reported with it (JVM crashed or timed out?): %d" % len(missing))
            for t in missing[:20]:
                print("    - %s" % t)
        print("  distinct findings: %d" % len(found))
        for i, (ident, f) in enumerate(sorted(found.items(), key=lambda kv: (kv[1]["kind"], kv[0])), 1):
            print("   %d. %s: %s" % (i, f["kind"], "  <->  ".join(f["names"])))
            print("      in %d JVM(s); test classes running: %s" % (len(f["jvms"]), ", ".join(sorted(f["tests"])) or "?"))
            print("      keys: %s" % ident.split(" | ", 1)[1])
            print("      example: %s" % f["file"])
            all_findings.append({"subject": s, "kind": f["kind"], "locks": f["names"],
                                 "keys": ident.split(" | ", 1)[1].split(" ; "), "jvms": len(f["jvms"]),
                                 "tests": sorted(f["tests"]), "example": f["file"]})
        if messages:
            print("  agent messages:")
            for m, n in sorted(messages.items()):
                print("    %dx %s" % (n, m))
        print("  merge across JVMs: status %s, %d cycle(s) no single JVM had" % (merge_status, len(merged)))
        for c in merged:
            print("    - %s" % "  <->  ".join(c))
        md += ["## %s" % title, "",
               "- tests: %d in %d classes; passed without the agent %d, with it %d"
               % (len(base), classes, count(base, "pass"), count(with_agent, "pass")),
               "- failing without the agent: %s" % (", ".join(failing_without) or "none"),
               "- failing with the agent only, but known flaky: %s" % (", ".join(flaky_with) or "none"),
               "- broken by the agent: %s" % (", ".join(broken) or "none"),
               "- wall time: %s without, %s with (%s); CPU time %s without, %s with (%s)"
               % (fmt_s(t_base), fmt_s(t_agent), "%.2fx" % ratio if ratio else "-",
                  fmt_s(c_base), fmt_s(c_agent), "%.2fx" % cpu_ratio if cpu_ratio else "-"),
               "", "| # | kind | lock classes | JVMs | test classes |", "|---|---|---|---|---|"]
        for i, f in enumerate(x for x in all_findings if x["subject"] == s):
            md.append("| %d | %s | %s | %d | %s |" % (i + 1, f["kind"], " ↔ ".join("`%s`" % n for n in f["locks"]),
                                                     f["jvms"], ", ".join(f["tests"])))
        md.append("")
    print("=" * 100)
    header = ("subject", "tests", "classes", "pass w/o", "pass with", "broken", "wall w/o", "wall with", "ratio",
              "CPU ratio", "findings", "merged")
    print("%-8s %6s %7s %8s %9s %6s %9s %9s %6s %9s %8s %6s" % header)
    for (s, _, n, classes, pb, pa, broken, tb, ta, ratio, cr, nf, nm) in summary_rows:
        print("%-8s %6d %7d %8d %9d %6d %9s %9s %6s %9s %8d %6d"
              % (s, n, classes, pb, pa, broken, fmt_s(tb), fmt_s(ta), "%.2fx" % ratio if ratio else "-",
                 "%.2fx" % cr if cr else "-", nf, nm))
    with open(os.path.join(work, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(work, "findings.json"), "w") as f:
        json.dump(all_findings, f, indent=1)
    print("\nwritten: %s, %s" % (os.path.join(work, "results.md"), os.path.join(work, "findings.json")))


def fmt_s(t):
    return "-" if t is None else "%.0f s" % t


if __name__ == "__main__":
    main()
