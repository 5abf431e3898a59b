package io.jlockdep.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/** Helpers shared by the instrumenter tests: compiling fixtures, loading bytes, verifying, reading trees. */
final class TestSupport {
    static final String HOOKS = Hook.HOOKS;
    static final String RECORDING_HOOKS = "io/jlockdep/agent/instrument/RecordingHooks";

    private TestSupport() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Compiling the fixtures (test resources under instrument/fixtures) in memory

    /** Compiles the named fixture sources with {@code --release release}; returns internal name → class file. */
    static Map<String, byte[]> compileFixtures(String release, String... sourceNames) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "tests need a JDK");
        List<JavaFileObject> sources = new ArrayList<>();
        for (String name : sourceNames) {
            sources.add(new SourceFile(name, resource("instrument/fixtures/" + name)));
        }
        Map<String, ByteArrayOutputStream> outputs = new TreeMap<>();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        JavaFileManager manager = new ForwardingJavaFileManager<JavaFileManager>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                outputs.put(className.replace('.', '/'), out);
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return out;
                    }
                };
            }
        };
        List<String> options = Arrays.asList("--release", release, "-g", "-nowarn", "-Xlint:none");
        Boolean ok = compiler.getTask(null, manager, diagnostics, options, null, sources).call();
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.append(d).append('\n');
            }
        }
        assertTrue(ok, "fixtures do not compile:\n" + errors);
        Map<String, byte[]> classes = new TreeMap<>();
        for (Map.Entry<String, ByteArrayOutputStream> e : outputs.entrySet()) {
            classes.put(e.getKey(), e.getValue().toByteArray());
        }
        return classes;
    }

    static String resource(String path) {
        try (InputStream in = TestSupport.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] classBytes(Class<?> c) {
        String path = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The running JDK's class file for a class such as {@code java.lang.Shutdown}, as the JVM loaded it. */
    static byte[] jdkClassBytes(Class<?> c) {
        return jdkClassBytes(c.getName().replace('.', '/'));
    }

    static byte[] jdkClassBytes(String internalName) {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            assertNotNull(in, internalName);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final class SourceFile extends SimpleJavaFileObject {
        private final String code;

        SourceFile(String name, String code) {
            super(URI.create("string:///" + name), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Loading

    /** Defines the given classes itself (child first), delegating everything else to the test class loader. */
    static final class ByteClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes = new LinkedHashMap<>();

        ByteClassLoader(Map<String, byte[]> internalNameToBytes) {
            super(TestSupport.class.getClassLoader());
            for (Map.Entry<String, byte[]> e : internalNameToBytes.entrySet()) {
                classes.put(e.getKey().replace('/', '.'), e.getValue());
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = classes.get(name);
                    if (bytes == null) {
                        return super.loadClass(name, resolve);
                    }
                    c = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        /** Loads and initializes every class, so the JVM verifies all of them now. */
        void linkAll() {
            for (String name : classes.keySet()) {
                try {
                    Class.forName(name, true, this);
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                } catch (LinkageError e) {
                    throw new AssertionError("JVM rejects " + name + ": " + e, e);
                }
            }
        }
    }

    static Class<?> load(Map<String, byte[]> classes, String internalName) {
        ByteClassLoader loader = new ByteClassLoader(classes);
        loader.linkAll();
        try {
            return Class.forName(internalName.replace('/', '.'), true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Verification

    /** ASM's verifier (CheckClassAdapter + SimpleVerifier over every method); fails with its output. */
    static void verify(byte[] classFile, ClassLoader loader) {
        StringWriter out = new StringWriter();
        try {
            CheckClassAdapter.verify(new ClassReader(classFile), loader, false, new PrintWriter(out));
        } catch (RuntimeException e) {
            fail("CheckClassAdapter rejects " + new ClassReader(classFile).getClassName() + ": " + e, e);
        }
        assertEquals("", out.toString(), "ASM verifier output for " + new ClassReader(classFile).getClassName());
    }

    static void verifyAll(Map<String, byte[]> classes) {
        ByteClassLoader loader = new ByteClassLoader(classes);
        for (byte[] bytes : classes.values()) {
            verify(bytes, loader);
        }
    }

    /** True when the class file has stack map frames in any method. */
    static boolean hasFrames(byte[] classFile) {
        boolean[] seen = new boolean[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
                        seen[0] = true;
                    }
                };
            }
        }, 0);
        return seen[0];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Instrumenting and remapping

    /** Instruments every class; classes that need no change are kept as they are. */
    static Map<String, byte[]> instrumentAll(Map<String, byte[]> classes, boolean mayChangeMethodFlags) {
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            byte[] rewritten = ClassInstrumenter.instrument(e.getValue(), mayChangeMethodFlags);
            out.put(e.getKey(), rewritten == null ? e.getValue() : rewritten);
        }
        return out;
    }

    /** Points the calls to io.jlockdep.runtime.Hooks at {@link RecordingHooks}. */
    static Map<String, byte[]> recording(Map<String, byte[]> classes) {
        SimpleRemapper remapper = new SimpleRemapper(Opcodes.ASM9, HOOKS, RECORDING_HOOKS);
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            ClassReader reader = new ClassReader(e.getValue());
            ClassWriter writer = new ClassWriter(0);
            reader.accept(new ClassRemapper(writer, remapper), 0);
            out.put(e.getKey(), writer.toByteArray());
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Trees

    static ClassNode tree(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        return node;
    }

    static MethodNode method(ClassNode c, String name) {
        MethodNode found = null;
        for (MethodNode m : c.methods) {
            if (m.name.equals(name)) {
                assertTrue(found == null, "several methods named " + name);
                found = m;
            }
        }
        assertNotNull(found, name);
        return found;
    }

    static MethodNode method(ClassNode c, String name, String descriptor) {
        for (MethodNode m : c.methods) {
            if (m.name.equals(name) && m.desc.equals(descriptor)) {
                return m;
            }
        }
        return null;
    }

    static List<AbstractInsnNode> realInsns(MethodNode m) {
        List<AbstractInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
            if (n.getOpcode() >= 0) {
                out.add(n);
            }
        }
        return out;
    }

    static AbstractInsnNode prevReal(AbstractInsnNode n, int steps) {
        AbstractInsnNode p = n;
        for (int i = 0; i < steps && p != null; i++) {
            p = p.getPrevious();
            while (p != null && p.getOpcode() < 0) {
                p = p.getPrevious();
            }
        }
        return p;
    }

    static AbstractInsnNode nextReal(AbstractInsnNode n, int steps) {
        AbstractInsnNode p = n;
        for (int i = 0; i < steps && p != null; i++) {
            p = p.getNext();
            while (p != null && p.getOpcode() < 0) {
                p = p.getNext();
            }
        }
        return p;
    }

    /** The line of the last line number node before {@code n} in code order, or -1. */
    static int lineOf(AbstractInsnNode n) {
        for (AbstractInsnNode p = n.getPrevious(); p != null; p = p.getPrevious()) {
            if (p instanceof LineNumberNode) {
                return ((LineNumberNode) p).line;
            }
        }
        return -1;
    }

    static int firstLine(MethodNode m) {
        for (AbstractInsnNode p = m.instructions.getFirst(); p != null; p = p.getNext()) {
            if (p instanceof LineNumberNode) {
                return ((LineNumberNode) p).line;
            }
        }
        return -1;
    }

    /** The value of an int-constant instruction, or null when it is none. */
    static Integer intValue(AbstractInsnNode n) {
        if (n == null) {
            return null;
        }
        int op = n.getOpcode();
        if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
            return op - Opcodes.ICONST_0;
        }
        if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) {
            return ((IntInsnNode) n).operand;
        }
        if (op == Opcodes.LDC && ((LdcInsnNode) n).cst instanceof Integer) {
            return (Integer) ((LdcInsnNode) n).cst;
        }
        return null;
    }

    /** The names of the {@code Hooks} methods the method calls, in code order. */
    static List<String> hookCalls(MethodNode m) {
        List<String> names = new ArrayList<>();
        for (AbstractInsnNode n : realInsns(m)) {
            if (n instanceof MethodInsnNode && ((MethodInsnNode) n).owner.equals(HOOKS)) {
                names.add(((MethodInsnNode) n).name);
            }
        }
        return names;
    }

    /** The method's first call of {@code Hooks.<name>}. */
    static AbstractInsnNode hook(MethodNode m, String name) {
        for (AbstractInsnNode n : realInsns(m)) {
            if (isHook(n, name)) {
                return n;
            }
        }
        throw new AssertionError("no " + name + " in " + m.name + m.desc);
    }

    /** The method without its {@code allocating} hints ({@code ldc type; [site]; Hooks.allocating}), for comparisons. */
    static MethodNode withoutAllocatingHints(MethodNode m) {
        for (AbstractInsnNode n : realInsns(m)) {
            if (isHook(n, "allocating")) {
                m.instructions.remove(prevReal(n, 2));
                m.instructions.remove(prevReal(n, 1));
                m.instructions.remove(n);
            }
        }
        return m;
    }

    static boolean isHook(AbstractInsnNode n, String name) {
        return n instanceof MethodInsnNode && n.getOpcode() == Opcodes.INVOKESTATIC
                && ((MethodInsnNode) n).owner.equals(HOOKS) && ((MethodInsnNode) n).name.equals(name);
    }

    static int count(MethodNode m, int opcode) {
        int count = 0;
        for (AbstractInsnNode n : realInsns(m)) {
            if (n.getOpcode() == opcode) {
                count++;
            }
        }
        return count;
    }

    static int countHooks(MethodNode m, String name) {
        int count = 0;
        for (AbstractInsnNode n : realInsns(m)) {
            if (isHook(n, name)) {
                count++;
            }
        }
        return count;
    }

    static int countHooks(ClassNode c, String name) {
        int count = 0;
        for (MethodNode m : c.methods) {
            count += countHooks(m, name);
        }
        return count;
    }

    static boolean isOpcode(AbstractInsnNode n, int opcode) {
        return n != null && n.getOpcode() == opcode;
    }

    static InsnNode insn(int opcode) {
        return new InsnNode(opcode);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Running scenarios

    /** Runs every public static no-argument method whose name starts with "scenario"; name → outcome. */
    static Map<String, String> runScenarios(Class<?> c) {
        Map<String, String> outcomes = new TreeMap<>();
        Method[] methods = c.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getName().startsWith("scenario") && Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0) {
                outcomes.put(m.getName(), outcome(m));
            }
        }
        return outcomes;
    }

    static String outcome(Method m, Object... args) {
        try {
            m.setAccessible(true);
            Object result = m.invoke(null, args);
            return "returned " + render(result);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            return "threw " + t.getClass().getName() + ": " + t.getMessage();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static String render(Object o) {
        if (o instanceof int[]) {
            return Arrays.toString((int[]) o);
        }
        if (o instanceof Object[]) {
            return Arrays.deepToString((Object[]) o);
        }
        return String.valueOf(o);
    }
}
