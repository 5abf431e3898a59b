package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * {@link MethodRewriter#PART_LOCKING_JDK_TYPES} against the JDK: each listed type locks internal parts of its objects,
 * and every collection of {@code java.util} and {@code java.util.concurrent} that does is listed (programs allocate
 * those all over, and their parts' locks are held while program code runs: {@code computeIfAbsent}'s function). The
 * other JDK classes that lock parts of theirs (a {@code Deflater}'s stream, a {@code PropertyChangeSupport}'s map)
 * hold them around JDK code only; their parts are classed by the container's type.
 */
class PartLockingJdkTypesTest {
    @Test
    void everyPublicJdkClassThatLocksItsPartsIsListed() throws IOException {
        Set<String> found = new TreeSet<>();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : new String[] {"java.base", "java.logging", "java.sql", "java.desktop"}) {
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules/" + module))) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    ClassNode c = new ClassNode();
                    new ClassReader(Files.readAllBytes(p)).accept(c, ClassReader.EXPAND_FRAMES);
                    if ((c.access & Opcodes.ACC_PUBLIC) != 0 && !c.name.contains("$") && locksParts(c)) {
                        found.add(c.name);
                    }
                }
            }
        }
        assertTrue(found.containsAll(MethodRewriter.PART_LOCKING_JDK_TYPES), found::toString);
        Set<String> collections = new TreeSet<>();
        for (String type : found) {
            String pkg = type.substring(0, type.lastIndexOf('/'));
            if (pkg.equals("java/util") || pkg.equals("java/util/concurrent")) {
                collections.add(type);
            }
        }
        assertEquals(new TreeSet<>(MethodRewriter.PART_LOCKING_JDK_TYPES), collections);
    }

    private static boolean locksParts(ClassNode c) {
        for (MethodNode m : c.methods) {
            if ((m.access & Opcodes.ACC_STATIC) == 0 && !m.name.startsWith("<") && m.instructions.size() > 0
                    && !PartMonitors.in(c.name, c.superName, m).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
