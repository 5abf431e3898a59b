package io.jlockdep.agent.instrument;

import java.util.HashSet;
import java.util.Set;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.AnalyzerAdapter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The {@code monitorenter}s of an instance method that lock an internal part of {@code this}: a value whose declared
 * type there is a class nested in the method's class or in its superclass ({@code ConcurrentHashMap.putVal} locks a
 * {@code ConcurrentHashMap$Node} of its own table). Such a monitor is classed by its container, {@code this}, rather
 * than by its type, which the parts of every container share. Types come from the method's own frames (it must have
 * been read with {@code EXPAND_FRAMES}) and the straight-line code after each, by ASM's {@link AnalyzerAdapter}: no
 * class is loaded.
 */
final class PartMonitors {
    private PartMonitors() {
    }

    /**
     * The part-locking monitorenters of {@code method} (not yet rewritten) of class {@code owner}, a class file with
     * stack map frames (the types at branch targets). Empty when the code cannot be followed: its monitors are then
     * classed like any other.
     */
    static Set<AbstractInsnNode> in(String owner, String superName, MethodNode method) {
        Set<AbstractInsnNode> parts = new HashSet<>();
        AnalyzerAdapter analyzer = new AnalyzerAdapter(owner, method.access, method.name, method.desc, null);
        try {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn.getOpcode() == Opcodes.MONITORENTER && analyzer.stack != null && !analyzer.stack.isEmpty()) {
                    Object locked = analyzer.stack.get(analyzer.stack.size() - 1);
                    if (locked instanceof String && (isNestedIn((String) locked, owner)
                            || isNestedIn((String) locked, superName))) {
                        parts.add(insn);
                    }
                }
                insn.accept(analyzer);
            }
        } catch (RuntimeException e) {
            return Set.of(); // jsr/ret, or code the analyzer does not follow
        }
        return parts;
    }

    /** {@code type} (an internal name) is a class nested, at any depth, in {@code outer}. */
    static boolean isNestedIn(String type, String outer) {
        return outer != null && type.length() > outer.length() + 1 && type.startsWith(outer)
                && type.charAt(outer.length()) == '$';
    }
}
