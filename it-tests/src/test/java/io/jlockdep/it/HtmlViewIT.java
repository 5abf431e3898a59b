package io.jlockdep.it;

import static io.jlockdep.it.Recordings.record;
import static io.jlockdep.it.Recordings.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML page of a cross-JVM cycle, opened in headless Chromium: what a user sees. */
class HtmlViewIT {
    private static final Path CHROMIUM = Paths.get(System.getProperty("jlockdep.chromium", "/usr/bin/chromium"));
    /** The page's colour for cycles (HtmlReport.CYCLE_COLOUR, #d62728). */
    private static final int CYCLE_RED = 0xd62728;
    private static final long BROWSER_TIMEOUT_SECONDS = 90;

    @TempDir
    static Path dir;
    private static Path page;

    @BeforeAll
    static void writePage() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("Chromium is needed for this test and is not installed at " + CHROMIUM
                    + ": install it with 'apt-get install -y chromium' (.ci/run does so when it is missing)");
        }
        Path a = record(dir, "a", "account-then-ledger");
        Path b = record(dir, "b", "ledger-then-account");
        page = dir.resolve("report.html");
        Jvm.Result r = tool("html", a, b, "-o", page);
        assertEquals(0, r.exitCode, r::toString);
        assertEquals("", r.stderr, r::toString);
    }

    @Test
    void theScreenshotShowsTheGraphWithTheCycleInRed() throws Exception {
        Path png = dir.resolve("report.png");
        browser("--window-size=1280,1000", "--screenshot=" + png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "Chromium wrote no PNG at " + png);
        assertEquals(1280, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        int red = 0;
        int nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
                if (near(rgb, CYCLE_RED)) {
                    red++;
                }
            }
        }
        assertTrue(colours.size() > 20 && nonWhite > 10_000, "the page is not blank: " + colours.size()
                + " colours, " + nonWhite + " non-white pixels in " + png);
        // The two cycle boxes' 3px borders and the two cycle arrows, in the first screen.
        assertTrue(red > 500, "the cycle's highlight colour is on screen: " + red + " pixels in " + png);
    }

    @Test
    void theRenderedPageDrawsAndNamesTheLockClasses() throws Exception {
        String dom = browser("--dump-dom");
        int svg = dom.indexOf("<svg class=\"graph\" id=\"cycle-graph\"");
        assertTrue(svg >= 0, "the cycle graph is drawn:\n" + dom);
        String graph = dom.substring(svg, dom.indexOf("</svg>", svg));
        for (String name : new String[] {"Account.balanceLock", "Ledger.entriesLock"}) {
            assertTrue(graph.contains(">" + name + "</text>"), name + " in the drawing:\n" + graph);
        }
        assertEquals(2, count(graph, "<g class=\"node cycle\""), graph);
        assertEquals(2, count(graph, "<g class=\"edge cycle\""), graph);
        assertTrue(dom.contains("across JVMs"), "the cross-JVM finding is listed");
    }

    /** Runs headless Chromium on the page with a fresh profile; returns what it printed. Bounded in time. */
    private static String browser(String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile-");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(action));
        command.add(page.toUri().toString());
        Path out = dir.resolve("chromium-out.txt");
        Path err = dir.resolve("chromium-err.txt");
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("Chromium did not finish in " + BROWSER_TIMEOUT_SECONDS + " s: " + command
                    + "\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "Chromium failed: " + command + "\n" + readQuietly(err));
        return printed;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean near(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff)) > 12) {
                return false;
            }
        }
        return true;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
