package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.List;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Makes every class loader answer jlockdep's runtime from the boot class path, whatever it delegates. Rewritten code
 * calls {@code io.jlockdep.runtime.Hooks}, and the JVM resolves that name through the loader that defined the calling
 * class: a child-first loader (a web container's, a plugin system's, a test's own) that hands only {@code java.*} to
 * its parent cannot find it at all, or defines a second copy of the runtime from its own class path, one that was never
 * started and checks nothing.
 *
 * <p>Each {@code loadClass(String)} and {@code loadClass(String, boolean)} a class declares begins with:
 * <pre>
 *   if (name != null &amp;&amp; (name.startsWith("io.jlockdep.runtime.") || name.startsWith("io.jlockdep.Lockdep"))) {
 *       try { return Class.forName(name, false, null); } catch (Throwable e) { } // then as before
 *   }
 *   ...the method as it was...
 * </pre>
 * The JVM resolves a name through {@code loadClass(String)}, and a loader that overrides only the two-argument form is
 * reached through it; a loader that overrides only {@code findClass} delegates to its parent first, so its parent's
 * {@code loadClass} answers. The inserted code uses {@code java.lang} alone, so it works in a loader whose own class
 * was defined by another child-first loader. Only the method's beginning changes (no member, no flag), so a loader
 * loaded before the agent started can be retransformed. Any class with such a method gets it, loader or not: the
 * answer for jlockdep's own names is right for anything that looks classes up by name.
 */
public final class ClassLoaderInstrumenter {
    /** The names answered from the boot class path: the runtime's packages and the {@code io.jlockdep.Lockdep} API. */
    static final String[] BOOT_PREFIXES = {"io.jlockdep.runtime.", "io.jlockdep.Lockdep"};
    private static final String ONE_ARGUMENT = "(Ljava/lang/String;)Ljava/lang/Class;";
    private static final String TWO_ARGUMENTS = "(Ljava/lang/String;Z)Ljava/lang/Class;";
    private static final String THROWABLE = "java/lang/Throwable";

    private ClassLoaderInstrumenter() {
    }

    /** False only when the class certainly declares no {@code loadClass}: a cheap look at its constant pool. */
    public static boolean mayDeclareLoadClass(byte[] classFile) {
        return ClassFilePreScan.hasName(classFile, "loadClass");
    }

    /** Returns the class file with every {@code loadClass} bridged, or null when it declares none with code. */
    public static byte[] instrument(byte[] classFile) {
        return instrument(classFile, BOOT_PREFIXES);
    }

    /** {@link #instrument(byte[])} for names with these prefixes (the tests use names the boot class path has). */
    static byte[] instrument(byte[] classFile, String[] prefixes) {
        ClassReader reader = new ClassReader(classFile);
        if (ClassInstrumenter.isExcluded(reader.getClassName())) {
            return null;
        }
        ClassNode node = new ClassNode(Opcodes.ASM9);
        reader.accept(node, ClassReader.EXPAND_FRAMES);
        boolean changed = false;
        for (MethodNode m : node.methods) {
            if (isLoadClass(m)) {
                bridge(node, m, prefixes);
                changed = true;
            }
        }
        if (!changed) {
            return null;
        }
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);
        return writer.toByteArray();
    }

    private static boolean isLoadClass(MethodNode m) {
        return m.name.equals("loadClass") && (m.desc.equals(ONE_ARGUMENT) || m.desc.equals(TWO_ARGUMENTS))
                && (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
                && m.instructions.size() > 0;
    }

    private static void bridge(ClassNode owner, MethodNode m, String[] prefixes) {
        boolean frames = (owner.version & 0xFFFF) >= Opcodes.V1_6;
        LabelNode boot = new LabelNode();
        LabelNode tryEnd = new LabelNode();
        LabelNode failed = new LabelNode();
        LabelNode body = new LabelNode();
        Object[] locals = initialLocals(owner, m);

        InsnList check = new InsnList();
        check.add(new VarInsnNode(Opcodes.ALOAD, 1));
        check.add(new JumpInsnNode(Opcodes.IFNULL, body));
        for (int i = 0; i < prefixes.length; i++) {
            boolean last = i == prefixes.length - 1;
            check.add(new VarInsnNode(Opcodes.ALOAD, 1));
            check.add(new LdcInsnNode(prefixes[i]));
            check.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/String", "startsWith",
                    "(Ljava/lang/String;)Z", false));
            check.add(new JumpInsnNode(last ? Opcodes.IFEQ : Opcodes.IFNE, last ? body : boot));
        }
        check.add(boot);
        if (frames) {
            check.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]));
        }
        check.add(new VarInsnNode(Opcodes.ALOAD, 1));
        check.add(new InsnNode(Opcodes.ICONST_0));
        check.add(new InsnNode(Opcodes.ACONST_NULL));
        check.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", false));
        check.add(new InsnNode(Opcodes.ARETURN));
        check.add(tryEnd);
        check.add(failed); // not on the boot class path after all (a name of the program's own), or refused
        if (frames) {
            check.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE}));
        }
        check.add(new InsnNode(Opcodes.POP));
        check.add(body);
        if (frames && !startsWithFrame(m)) {
            check.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]));
        }
        m.instructions.insert(check);
        m.tryCatchBlocks.add(0, new TryCatchBlockNode(boot, tryEnd, failed, null));
        m.maxStack = Math.max(m.maxStack, 3);
    }

    /** The frame at the method's entry: {@code this}, the name, and the boolean of the two-argument form. */
    private static Object[] initialLocals(ClassNode owner, MethodNode m) {
        List<Object> locals = new ArrayList<>();
        locals.add(owner.name);
        for (Type argument : Type.getArgumentTypes(m.desc)) {
            locals.add(argument.getSort() == Type.BOOLEAN ? Opcodes.INTEGER : argument.getInternalName());
        }
        return locals.toArray();
    }

    /**
     * Whether the original code already has a frame at its first instruction (it starts with a loop): that frame then
     * describes the offset the inserted branches jump to, and a second one there would be refused.
     */
    private static boolean startsWithFrame(MethodNode m) {
        for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
            if (n instanceof FrameNode) {
                return true;
            }
            if (n.getOpcode() >= 0) {
                return false;
            }
        }
        return false;
    }
}
