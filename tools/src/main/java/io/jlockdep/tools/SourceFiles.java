package io.jlockdep.tools;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a class's source file is, as a path relative to a source root (the repository's top directory, usually):
 * SARIF readers such as GitHub code scanning place a result by such a path. A stack frame names the class and its
 * file ({@code com.x.Ntfs$Inode}, {@code Ntfs.java}); the file is looked for under the root at the package's path
 * ({@code .../com/x/Ntfs.java}, under any source folder: {@code src/main/java}, {@code src/test/java}, a module's).
 * Not found (a JDK or library class, or a source folder of another layout), the package path itself is the guess.
 */
final class SourceFiles {
    /** Source files indexed at most: a larger tree is partly guessed rather than crawled for minutes. */
    private static final int MAX_FILES = 200_000;
    private static final String[] SOURCE_EXTENSIONS = {".java", ".kt", ".scala", ".groovy", ".clj"};

    private final Path root;
    /** File name to the paths (relative to the root, '/'-separated) of every source file of that name. */
    private Map<String, List<String>> byName;

    SourceFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * The relative URI of the source of {@code className}, whose stack frames name {@code fileName} (or null when the
     * class file has no source name).
     */
    String uriOf(String className, String fileName) {
        String binary = className.replace('/', '.');
        int dot = binary.lastIndexOf('.');
        String packagePath = dot < 0 ? "" : binary.substring(0, dot).replace('.', '/') + '/';
        String file = fileName;
        if (file == null) {
            String simple = binary.substring(dot + 1);
            int nested = simple.indexOf('$');
            file = (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
        }
        String guess = packagePath + file;
        String found = null;
        for (String candidate : index().getOrDefault(file, List.of())) {
            if ((candidate.equals(guess) || candidate.endsWith('/' + guess))
                    && (found == null || better(candidate, found))) {
                found = candidate;
            }
        }
        return encode(found != null ? found : guess);
    }

    /** Of two sources of one class, the main one, then the shorter path. */
    private static boolean better(String a, String b) {
        boolean aMain = a.contains("/main/");
        boolean bMain = b.contains("/main/");
        if (aMain != bMain) {
            return aMain;
        }
        return a.length() < b.length() || (a.length() == b.length() && a.compareTo(b) < 0);
    }

    private Map<String, List<String>> index() {
        if (byName == null) {
            byName = new HashMap<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
                    private int files;

                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                        if (!dir.equals(root) && (name.startsWith(".") || name.equals("target")
                                || name.equals("build") || name.equals("node_modules"))) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        String name = file.getFileName().toString();
                        if (attrs.isRegularFile() && isSource(name)) {
                            byName.computeIfAbsent(name, n -> new ArrayList<>())
                                    .add(root.relativize(file).toString().replace('\\', '/'));
                            if (++files >= MAX_FILES) {
                                return FileVisitResult.TERMINATE;
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // unreadable: its classes are guessed
                    }
                });
            } catch (IOException e) {
                // what was indexed so far is used; the rest is guessed
            }
        }
        return byName;
    }

    private static boolean isSource(String name) {
        for (String ext : SOURCE_EXTENSIONS) {
            if (name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    /** A relative path as a URI reference: segments percent-encoded where they must be. */
    private static String encode(String path) {
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (URISyntaxException e) {
            return path.replace(" ", "%20");
        }
    }
}
