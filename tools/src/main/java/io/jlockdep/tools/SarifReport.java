package io.jlockdep.tools;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.finding.Finding;
import io.jlockdep.runtime.finding.Suppressions;
import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.Trace;
import io.jlockdep.runtime.sink.JsonWriter;
import io.jlockdep.runtime.text.FrameFolding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every finding of the inputs as a SARIF 2.1.0 log (the OASIS Static Analysis Results Interchange Format, which GitHub
 * code scanning and most CI dashboards read): one run of the tool {@code jlockdep}, one rule per kind of finding, one
 * result per finding. A result's location is where the reporting thread took the lock (its first frame outside the
 * lock's own code); its related locations are where each order of the chain was taken; its code flow has one thread
 * flow per order, the stack that took it from the outermost frame of the code under test to the acquisition. The
 * finding's stable id is its partial fingerprint, so a dashboard follows it across runs; a suppressed finding carries
 * its reason as an external suppression.
 */
final class SarifReport {
    static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";
    static final String FINGERPRINT = "jlockdepFindingId/v1";
    private static final String ROOT = "SRCROOT";
    /** A code flow shows at most this many frames of one stack. */
    private static final int MAX_FLOW_FRAMES = 24;

    private final ReportData data;
    private final Suppressions suppressions;
    private final SourceFiles sources;
    private final Map<String, Integer> ruleIndex = new LinkedHashMap<>();

    SarifReport(ReportData data, Suppressions suppressions, SourceFiles sources) {
        this.data = data;
        this.suppressions = suppressions;
        this.sources = sources;
        for (Finding.Kind k : Finding.Kind.values()) {
            if (k != Finding.Kind.MESSAGE) {
                ruleIndex.put(k.id(), ruleIndex.size());
            }
        }
        for (ReportData.Shown s : data.findings) {
            ruleIndex.putIfAbsent(s.kind(), ruleIndex.size()); // a kind of a later jlockdep
        }
    }

    String render() {
        StringBuilder sb = new StringBuilder(1 << 16);
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().field("$schema", SCHEMA).field("version", "2.1.0").name("runs").beginArray().beginObject();
        w.name("tool").beginObject().name("driver").beginObject().field("name", "jlockdep")
                .field("version", version()).name("rules").beginArray();
        for (String kind : ruleIndex.keySet()) {
            rule(w, kind);
        }
        w.endArray().endObject().endObject();
        w.name("originalUriBaseIds").beginObject().name(ROOT).beginObject()
                .field("uri", sources.root().toAbsolutePath().normalize().toUri().toString()).endObject().endObject();
        w.name("results").beginArray();
        for (ReportData.Shown s : data.findings) {
            result(w, s);
        }
        w.endArray().endObject().endArray().endObject();
        return sb.append('\n').toString();
    }

    private String version() {
        for (Recording r : data.recordings) {
            if (r.version != null) {
                return r.version;
            }
        }
        return Engine.version();
    }

    private static void rule(JsonWriter w, String kind) {
        w.beginObject().field("id", kind).field("name", camelCase(kind))
                .name("shortDescription").beginObject().field("text", shortDescription(kind)).endObject()
                .name("fullDescription").beginObject().field("text", fullDescription(kind)).endObject()
                .name("defaultConfiguration").beginObject().field("level", level(kind)).endObject()
                .name("properties").beginObject().field("tags", List.of("concurrency", "deadlock")).endObject()
                .endObject();
    }

    private void result(JsonWriter w, ReportData.Shown s) {
        w.beginObject().field("ruleId", s.kind()).field("ruleIndex", ruleIndex.get(s.kind()))
                .field("level", level(s.kind()))
                .name("message").beginObject().field("text", s.headline()).endObject();
        List<Map<String, Object>> parties = s.parties();
        CodeSite primary = parties.isEmpty() ? null : callerSite(stackOf(parties.get(0)));
        if (primary == null && !s.chain().isEmpty()) {
            primary = callerSite(stackOf(s.chain().get(s.chain().size() - 1)));
        }
        w.name("locations").beginArray();
        if (primary != null) {
            location(w, primary, null);
        }
        w.endArray();
        relatedLocations(w, s);
        codeFlows(w, s);
        if (s.id() != null) {
            w.name("partialFingerprints").beginObject().field(FINGERPRINT, s.id()).endObject();
        }
        String reason = s.suppression(suppressions);
        if (reason != null) {
            w.name("suppressions").beginArray().beginObject().field("kind", "external").field("status", "accepted")
                    .field("justification", reason).endObject().endArray();
        }
        w.name("properties").beginObject();
        if (s.id() != null) {
            w.field("findingId", s.id());
        }
        w.field("recordedIn", s.acrossInputs() ? "across JVMs (merge)" : s.source).field("report", s.text())
                .endObject();
        w.endObject();
    }

    /** Where each order of the chain was taken, and where each other thread of a deadlock waits. */
    private void relatedLocations(JsonWriter w, ReportData.Shown s) {
        w.name("relatedLocations").beginArray();
        int id = 1;
        for (Map<String, Object> link : s.chain()) {
            CodeSite site = callerSite(stackOf(link));
            if (site != null) {
                location(w, site, id++, orderText(link));
            }
        }
        List<Map<String, Object>> parties = s.parties();
        for (int i = 1; i < parties.size(); i++) {
            CodeSite site = callerSite(stackOf(parties.get(i)));
            if (site != null) {
                location(w, site, id++, parties.get(i).get("thread") + " is here");
            }
        }
        w.endArray();
    }

    /** One thread flow per order of the chain (or the reporting thread's stack when there is no chain). */
    private void codeFlows(JsonWriter w, ReportData.Shown s) {
        List<List<CodeSite>> stacks = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (Map<String, Object> link : s.chain()) {
            stacks.add(stackOf(link));
            messages.add(orderText(link));
        }
        if (stacks.isEmpty()) {
            for (Map<String, Object> p : s.parties()) {
                stacks.add(stackOf(p));
                messages.add(p.get("thread") + "");
            }
        }
        List<Integer> flows = new ArrayList<>();
        for (int i = 0; i < stacks.size(); i++) {
            if (callerIndex(stacks.get(i)) >= 0) {
                flows.add(i);
            }
        }
        if (flows.isEmpty()) {
            return;
        }
        w.name("codeFlows").beginArray().beginObject().name("threadFlows").beginArray();
        for (int i : flows) {
            List<CodeSite> stack = stacks.get(i);
            int top = callerIndex(stack);
            int bottom = Math.min(FrameFolding.tailStart(stack), top + MAX_FLOW_FRAMES);
            w.beginObject().name("message").beginObject().field("text", messages.get(i)).endObject()
                    .name("locations").beginArray();
            for (int f = Math.max(bottom, top + 1) - 1, level = 0; f >= top; f--, level++) {
                w.beginObject().name("location");
                location(w, stack.get(f), f == top ? messages.get(i) : null);
                w.field("nestingLevel", level).endObject();
            }
            w.endArray().endObject();
        }
        w.endArray().endObject().endArray();
    }

    private void location(JsonWriter w, CodeSite site, String message) {
        location(w, site, -1, message);
    }

    private void location(JsonWriter w, CodeSite site, int id, String message) {
        w.beginObject();
        if (id > 0) {
            w.field("id", id);
        }
        w.name("physicalLocation").beginObject().name("artifactLocation").beginObject()
                .field("uri", sources.uriOf(site.className(), site.fileName())).field("uriBaseId", ROOT).endObject();
        if (site.line() > 0) {
            w.name("region").beginObject().field("startLine", site.line()).endObject();
        }
        w.endObject();
        w.name("logicalLocations").beginArray().beginObject()
                .field("fullyQualifiedName", site.className() + '.' + site.methodName()).field("kind", "function")
                .endObject().endArray();
        if (message != null) {
            w.name("message").beginObject().field("text", message).endObject();
        }
        w.endObject();
    }

    /** {@code main/1 takes Ledger.lock while holding Account.lock}, with the recording for an order from a file. */
    private static String orderText(Map<String, Object> link) {
        Object origin = link.get("origin");
        return link.get("thread") + " takes " + name(link.get("to")) + " while holding " + name(link.get("from"))
                + (origin == null ? "" : " (recorded in " + origin + ")");
    }

    private static String name(Object lock) {
        return lock instanceof Map ? String.valueOf(((Map<?, ?>) lock).get("name")) : "?";
    }

    @SuppressWarnings("unchecked")
    private static List<CodeSite> stackOf(Map<String, Object> holder) {
        List<CodeSite> frames = new ArrayList<>();
        Object stack = holder.get("stack");
        if (stack instanceof List) {
            for (Object line : (List<Object>) stack) {
                CodeSite site = line instanceof String ? CodeSite.parse((String) line) : null;
                if (site != null) {
                    frames.add(site);
                }
            }
        }
        return frames;
    }

    /** The first frame outside the lock's own code, as live reports place an acquisition; null for no frames. */
    private static CodeSite callerSite(List<CodeSite> stack) {
        int i = callerIndex(stack);
        return i < 0 ? null : stack.get(i);
    }

    private static int callerIndex(List<CodeSite> stack) {
        if (stack.isEmpty()) {
            return -1;
        }
        CodeSite caller = new Trace(stack.toArray(new CodeSite[0]), null, null).callerSite();
        return stack.indexOf(caller);
    }

    private static String camelCase(String kind) {
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : kind.toCharArray()) {
            if (c == '-' || c == '/') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    private static String level(String kind) {
        switch (kind) {
            case "circular-dependency":
            case "recursive-locking":
            case "wait-notify":
            case "wait-for":
            case "deadlock":
                return "error";
            case "max-lock-depth":
                return "note";
            default:
                return "warning";
        }
    }

    private static String shortDescription(String kind) {
        switch (kind) {
            case "circular-dependency":
                return "Possible circular locking dependency";
            case "recursive-locking":
                return "Possible recursive locking";
            case "wait-notify":
                return "Possible wait/notify deadlock";
            case "wait-for":
                return "Possible wait-for deadlock";
            case "bad-unlock-balance":
                return "Bad unlock balance";
            case "locks-held-at-thread-exit":
                return "Thread ended holding locks";
            case "max-lock-depth":
                return "Too many locks held at once to check";
            case "deadlock":
                return "Deadlock";
            default:
                return "jlockdep finding: " + kind;
        }
    }

    private static String fullDescription(String kind) {
        switch (kind) {
            case "circular-dependency":
                return "Two or more lock classes were taken in orders that form a cycle: threads taking them in those"
                        + " orders at once can deadlock, although this run did not.";
            case "recursive-locking":
                return "A lock is taken again by the thread that holds it where that always hangs: a read lock upgraded"
                        + " to a write lock, a StampedLock re-acquired, or two locks of one class nested against a"
                        + " declared order.";
            case "wait-notify":
                return "A thread waits on a lock while holding another lock that the code which wakes it must take"
                        + " first: the waiter is never woken.";
            case "wait-for":
                return "A thread waits for an event (a task's result, a latch, a permit, a queue's element, a thread's"
                        + " end, a free worker of a bounded pool) while holding a lock that the code producing that"
                        + " event needs first: the event never comes.";
            case "bad-unlock-balance":
                return "A monitor was released by a thread that does not hold it as tracked.";
            case "locks-held-at-thread-exit":
                return "A thread ended while holding locks that will now never be released.";
            case "max-lock-depth":
                return "A thread held more locks at once than jlockdep checks (max-depth); it was not checked until it"
                        + " held fewer.";
            case "deadlock":
                return "Threads waited for each other's locks longer than the watchdog's limit: a real deadlock.";
            default:
                return "A finding of a kind this version of jlockdep does not describe (" + kind + ").";
        }
    }
}
