package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The raw pre-scan may say "maybe" too often, never "no" wrongly: over every class of the running JDK, a class it
 * rules out has nothing ASM's exact scan would rewrite. And it must rule out most of them, or it is not worth having.
 */
class ClassFilePreScanTest {

    @Test
    void aNoIsAlwaysRightAndMostClassesGetOne() throws IOException {
        List<byte[]> classes = new ArrayList<>();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : new String[] {"java.base", "java.logging", "java.sql", "java.desktop"}) {
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules", module))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class")) {
                        classes.add(Files.readAllBytes(p));
                    }
                }
            }
        }
        int ruledOut = 0;
        int noMonitors = 0;
        List<String> wrong = new ArrayList<>();
        for (byte[] c : classes) {
            boolean[] exact = ClassInstrumenter.exactScan(c);
            if (!ClassFilePreScan.mayNeedRewrite(c)) {
                ruledOut++;
                if (exact[0]) {
                    wrong.add("rewrite: " + new org.objectweb.asm.ClassReader(c).getClassName());
                }
            }
            if (!ClassFilePreScan.mayHaveMonitorOperations(c)) {
                noMonitors++;
                if (exact[1]) {
                    wrong.add("monitors: " + new org.objectweb.asm.ClassReader(c).getClassName());
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(ruledOut > classes.size() / 2, "ruled out " + ruledOut + " of " + classes.size());
        assertTrue(noMonitors > classes.size() * 3 / 4, "no monitors in " + noMonitors + " of " + classes.size());
    }

    @Test
    void aFileItCannotReadIsAMaybe() {
        assertTrue(ClassFilePreScan.mayNeedRewrite(new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0}));
        assertTrue(ClassFilePreScan.mayHaveMonitorOperations(new byte[0]));
    }
}
