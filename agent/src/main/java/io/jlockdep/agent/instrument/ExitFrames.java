package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.AnalyzerAdapter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The stack map frame at each {@code monitorexit} of a method whose release hook can be guarded: one whose frame
 * holds no value not yet initialized (the values under the monitor are kept in locals while the hook runs). Read
 * from the method's own frames (it must have been read with {@code EXPAND_FRAMES}) and the straight-line code after
 * each, by ASM's {@link AnalyzerAdapter}: no class is loaded.
 */
final class ExitFrames {
    private ExitFrames() {
    }

    /** The guardable monitorexits of {@code method} (not yet rewritten), each with the frame in front of it. */
    static Map<AbstractInsnNode, FrameNode> at(String owner, MethodNode method) {
        Map<AbstractInsnNode, FrameNode> frames = new HashMap<>();
        AnalyzerAdapter analyzer = new AnalyzerAdapter(owner, method.access, method.name, method.desc, null);
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.MONITOREXIT) {
                FrameNode frame = frame(analyzer.locals, analyzer.stack);
                if (frame != null) {
                    frames.put(insn, frame);
                }
            }
            insn.accept(analyzer);
        }
        return frames;
    }

    /** The frame for these values (one per slot, as the analyzer keeps them), or null when it cannot be guarded. */
    private static FrameNode frame(List<Object> slots, List<Object> stackSlots) {
        if (slots == null || stackSlots == null || stackSlots.isEmpty()) {
            return null;
        }
        List<Object> locals = values(slots);
        List<Object> stack = values(stackSlots);
        if (locals == null || stack == null || !(stack.get(stack.size() - 1) instanceof String)) {
            return null;
        }
        while (!locals.isEmpty() && locals.get(locals.size() - 1) == Opcodes.TOP) {
            locals.remove(locals.size() - 1);
        }
        return new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.size(), stack.toArray());
    }

    /** One entry per value, as a frame lists them; null when a value is not initialized yet. */
    private static List<Object> values(List<Object> slots) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Object v = slots.get(i);
            if (v instanceof Label || v == Opcodes.UNINITIALIZED_THIS) {
                return null;
            }
            values.add(v);
            if (v == Opcodes.LONG || v == Opcodes.DOUBLE) {
                i++; // the second slot of the value, which a frame does not list
            }
        }
        return values;
    }
}
