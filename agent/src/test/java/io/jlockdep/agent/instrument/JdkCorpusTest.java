package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * Runs the instrumenter over real-world bytecode it was not written against: every class of the running JDK's
 * java.base module. Nothing may fail; every rewritten method must pass ASM's basic verifier and the layout checks.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JdkCorpusTest {

    @Test
    void everyClassOfJavaBaseIsRewrittenConsistently() throws IOException {
        List<byte[]> classes = new ArrayList<>();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules/java.base"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class")) {
                    classes.add(Files.readAllBytes(p));
                }
            }
        }
        assertTrue(classes.size() > 3000, "java.base classes: " + classes.size());

        int rewritten = 0;
        List<String> failures = new ArrayList<>();
        LayoutChecker.Totals totals = new LayoutChecker.Totals();
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            for (byte[] classFile : classes) {
                ClassInstrumenter.Result result;
                try {
                    result = ClassInstrumenter.transform(classFile, mayChangeMethodFlags);
                } catch (InstrumentationException e) {
                    failures.add(e.getMessage());
                    continue;
                }
                assertEquals(List.of(), result.notes(), result.className());
                ClassNode before = TestSupport.tree(classFile);
                for (MethodNode m : before.methods) {
                    assertNotNull(StackDepths.compute(m), "stack depths of " + before.name + "." + m.name + m.desc);
                }
                if (result.classFile() == null) {
                    assertTrue(!LayoutChecker.expectsChanges(before), before.name + " was left alone");
                    continue;
                }
                rewritten++;
                ClassNode after = TestSupport.tree(result.classFile());
                LayoutChecker.checkClass(before, after, mayChangeMethodFlags, totals);
                for (MethodNode m : after.methods) {
                    try {
                        new Analyzer<BasicValue>(new BasicVerifier()).analyze(after.name, m);
                    } catch (AnalyzerException e) {
                        failures.add(after.name + "." + m.name + m.desc + ": " + e.getMessage());
                    }
                }
                if (TestSupport.hasFrames(classFile) || hasSynchronizedCode(before)) {
                    assertTrue(TestSupport.hasFrames(result.classFile()), "frames of " + before.name);
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(rewritten > 500, "rewritten: " + rewritten);
        assertTrue(totals.monitorEnters > 500 && totals.allocations > 100 && totals.siteHints > 100,
                totals.monitorEnters + " monitorenters, " + totals.allocations + " allocations, " + totals.siteHints
                        + " hints");
        // java.base waits and notifies in many places, in both modes: every such call was checked as replaced.
        for (String call : new String[] {"wait()V", "wait(J)V", "notify()V", "notifyAll()V"}) {
            Integer replaced = totals.replaced.get(call);
            assertTrue(replaced != null && replaced >= 2, call + " replaced: " + totals.replaced);
        }
        assertTrue(totals.replacedTotal() > 50, "replaced: " + totals.replaced);
        // ConcurrentHashMap's bin locks, among others, are parts of the map that locks them
        assertTrue(totals.partMonitors > 10, "monitors of parts of this: " + totals.partMonitors);
    }

    /**
     * HotSpot's own verifier over rewritten real-world code: the classes of a few JDK modules (packages outside java.*,
     * which a class loader may define) are defined again, original and rewritten, each set in its own child-first
     * loader, and linked ({@code getDeclaredMethods} links without initializing). Any rewritten class the JVM rejects
     * while it accepts the original fails the test.
     */
    @Test
    void rewrittenJdkClassesPassTheJvmVerifier() throws IOException {
        String[] modules = {"java.xml", "java.desktop", "java.management", "java.naming", "java.rmi", "jdk.httpserver",
            "jdk.jdi"};
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Map<String, byte[]> originals = new TreeMap<>();
        for (String module : modules) {
            Path root = jrt.getPath("/modules/" + module);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String relative = root.relativize(p).toString();
                    if (relative.endsWith(".class") && !relative.equals("module-info.class")
                            && !relative.startsWith("java/")) {
                        originals.put(relative.substring(0, relative.length() - 6), Files.readAllBytes(p));
                    }
                }
            }
        }
        for (boolean mayChangeMethodFlags : new boolean[] {true, false}) {
            Map<String, byte[]> rewritten = TestSupport.instrumentAll(originals, mayChangeMethodFlags);
            List<String> changed = new ArrayList<>();
            for (String name : originals.keySet()) {
                if (rewritten.get(name) != originals.get(name)) {
                    changed.add(name);
                }
            }
            assertTrue(changed.size() > 300, "rewritten: " + changed.size());
            // The rewritten set links first: loader-constraint clashes with the JDK's own copies then hit the originals.
            ClassLoader after = new TestSupport.ByteClassLoader(rewritten);
            ClassLoader before = new TestSupport.ByteClassLoader(originals);
            List<String> rejected = new ArrayList<>();
            int linked = 0;
            for (String name : changed) {
                String a = link(after, name);
                String b = link(before, name);
                if (a.equals("ok")) {
                    linked++;
                } else if (!a.contains("loader constraint") && !a.equals(b)) {
                    rejected.add(name + ": " + a + " (original: " + b + ")");
                }
            }
            assertEquals(List.of(), rejected);
            assertTrue(linked > 300, "linked: " + linked);
        }
    }

    private static String link(ClassLoader loader, String internalName) {
        try {
            Class.forName(internalName.replace('/', '.'), false, loader).getDeclaredMethods();
            return "ok";
        } catch (Throwable t) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("loader constraint")) {
                return t.getClass().getName() + ": loader constraint";
            }
            // A VerifyError the original shares (a class-loading artifact) is told by its first lines, not the
            // bytecode dump; the unnamed modules of the two loaders differ in name.
            String[] lines = message.split("\n");
            StringBuilder key = new StringBuilder(t.getClass().getName()).append(": ").append(lines[0]);
            for (int i = 0; i + 1 < lines.length; i++) {
                if (lines[i].trim().equals("Location:") || lines[i].trim().equals("Reason:")) {
                    key.append(" | ").append(lines[i + 1].trim());
                }
            }
            return key.toString().replaceAll("@0x[0-9a-f]+", "@?");
        }
    }

    private static boolean hasSynchronizedCode(ClassNode c) {
        for (MethodNode m : c.methods) {
            if (LayoutChecker.isSyncWithCode(m)) {
                return true;
            }
        }
        return false;
    }
}
