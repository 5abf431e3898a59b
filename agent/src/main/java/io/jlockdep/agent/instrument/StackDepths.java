package io.jlockdep.agent.instrument;

import java.util.List;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The operand stack depth, in slots, before each instruction of a method: a small data-flow pass that needs no class
 * loading and no frames, so it works for every class file version. Used to tell which {@code new} a constructor call
 * initializes, whatever order the code puts them in.
 */
final class StackDepths {
    static final int UNKNOWN = Integer.MIN_VALUE;

    private StackDepths() {
    }

    /**
     * Depth before each node of {@code method.instructions} (by index), -1 where the code is unreachable; null when the
     * code is inconsistent (two paths reach an instruction with different depths), which valid code never is.
     */
    static int[] compute(MethodNode method) {
        InsnList insns = method.instructions;
        int size = insns.size();
        AbstractInsnNode[] nodes = insns.toArray();
        int[] depth = new int[size];
        for (int i = 0; i < size; i++) {
            depth[i] = -1;
        }
        int[] work = new int[size + method.tryCatchBlocks.size() + 1];
        int top = 0;
        if (size == 0) {
            return depth;
        }
        depth[0] = 0;
        work[top++] = 0;
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int h = insns.indexOf(block.handler);
            if (depth[h] == -1) {
                depth[h] = 1;
                work[top++] = h;
            } else if (depth[h] != 1) {
                return null;
            }
        }
        boolean[] queued = new boolean[size];
        while (top > 0) {
            int i = work[--top];
            queued[i] = false;
            // Walk straight-line code from i, queueing branch targets.
            while (i < size) {
                AbstractInsnNode n = nodes[i];
                int before = depth[i];
                int opcode = n.getOpcode();
                int effect = delta(n);
                if (effect == UNKNOWN) {
                    return null;
                }
                int after = before + effect;
                if (after < 0) {
                    return null;
                }
                if (n instanceof JumpInsnNode) {
                    int target = insns.indexOf(((JumpInsnNode) n).label);
                    int atTarget = opcode == Opcodes.JSR ? before + 1 : after;
                    top = flow(depth, work, top, queued, target, atTarget);
                    if (top < 0) {
                        return null;
                    }
                    if (opcode == Opcodes.GOTO) {
                        break;
                    }
                    if (opcode == Opcodes.JSR) {
                        after = before; // the subroutine returns with the stack as it found it
                    }
                } else if (n instanceof TableSwitchInsnNode) {
                    TableSwitchInsnNode s = (TableSwitchInsnNode) n;
                    top = flowAll(insns, depth, work, top, queued, s.labels, s.dflt, after);
                    if (top < 0) {
                        return null;
                    }
                    break;
                } else if (n instanceof LookupSwitchInsnNode) {
                    LookupSwitchInsnNode s = (LookupSwitchInsnNode) n;
                    top = flowAll(insns, depth, work, top, queued, s.labels, s.dflt, after);
                    if (top < 0) {
                        return null;
                    }
                    break;
                } else if (isTerminal(opcode)) {
                    break;
                }
                int next = i + 1;
                if (next >= size) {
                    break;
                }
                if (depth[next] == -1) {
                    depth[next] = after;
                    i = next;
                } else {
                    if (depth[next] != after) {
                        return null;
                    }
                    break;
                }
            }
        }
        return depth;
    }

    private static int flowAll(InsnList insns, int[] depth, int[] work, int top, boolean[] queued,
                               List<LabelNode> labels, LabelNode dflt, int value) {
        top = flow(depth, work, top, queued, insns.indexOf(dflt), value);
        for (LabelNode label : labels) {
            if (top < 0) {
                return top;
            }
            top = flow(depth, work, top, queued, insns.indexOf(label), value);
        }
        return top;
    }

    /** Records the depth at a branch target; returns the new work stack top, or -1 on a conflict. */
    private static int flow(int[] depth, int[] work, int top, boolean[] queued, int target, int value) {
        if (depth[target] == -1) {
            depth[target] = value;
            if (!queued[target]) {
                queued[target] = true;
                if (top == work.length) {
                    return -1; // cannot happen: each instruction is queued at most once
                }
                work[top++] = target;
            }
            return top;
        }
        return depth[target] == value ? top : -1;
    }

    private static boolean isTerminal(int opcode) {
        return (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) || opcode == Opcodes.ATHROW
                || opcode == Opcodes.RET;
    }

    /** Stack effect of one instruction, in slots; {@link #UNKNOWN} for an opcode that does not exist. */
    static int delta(AbstractInsnNode n) {
        int opcode = n.getOpcode();
        switch (opcode) {
            case -1: // labels, line numbers, frames
            case Opcodes.NOP:
            case Opcodes.INEG:
            case Opcodes.LNEG:
            case Opcodes.FNEG:
            case Opcodes.DNEG:
            case Opcodes.IINC:
            case Opcodes.I2F:
            case Opcodes.L2D:
            case Opcodes.F2I:
            case Opcodes.D2L:
            case Opcodes.I2B:
            case Opcodes.I2C:
            case Opcodes.I2S:
            case Opcodes.SWAP:
            case Opcodes.LALOAD:
            case Opcodes.DALOAD:
            case Opcodes.GOTO:
            case Opcodes.RET:
            case Opcodes.NEWARRAY:
            case Opcodes.ANEWARRAY:
            case Opcodes.ARRAYLENGTH:
            case Opcodes.CHECKCAST:
            case Opcodes.INSTANCEOF:
            case Opcodes.RETURN:
            case Opcodes.JSR: // handled by the caller
                return 0;
            case Opcodes.ACONST_NULL:
            case Opcodes.ICONST_M1:
            case Opcodes.ICONST_0:
            case Opcodes.ICONST_1:
            case Opcodes.ICONST_2:
            case Opcodes.ICONST_3:
            case Opcodes.ICONST_4:
            case Opcodes.ICONST_5:
            case Opcodes.FCONST_0:
            case Opcodes.FCONST_1:
            case Opcodes.FCONST_2:
            case Opcodes.BIPUSH:
            case Opcodes.SIPUSH:
            case Opcodes.ILOAD:
            case Opcodes.FLOAD:
            case Opcodes.ALOAD:
            case Opcodes.DUP:
            case Opcodes.DUP_X1:
            case Opcodes.DUP_X2:
            case Opcodes.I2L:
            case Opcodes.I2D:
            case Opcodes.F2L:
            case Opcodes.F2D:
            case Opcodes.NEW:
                return 1;
            case Opcodes.LCONST_0:
            case Opcodes.LCONST_1:
            case Opcodes.DCONST_0:
            case Opcodes.DCONST_1:
            case Opcodes.LLOAD:
            case Opcodes.DLOAD:
            case Opcodes.DUP2:
            case Opcodes.DUP2_X1:
            case Opcodes.DUP2_X2:
                return 2;
            case Opcodes.LDC: {
                Object value = ((LdcInsnNode) n).cst;
                if (value instanceof Long || value instanceof Double) {
                    return 2;
                }
                if (value instanceof ConstantDynamic) {
                    return ((ConstantDynamic) value).getSize();
                }
                return 1;
            }
            case Opcodes.IALOAD:
            case Opcodes.FALOAD:
            case Opcodes.AALOAD:
            case Opcodes.BALOAD:
            case Opcodes.CALOAD:
            case Opcodes.SALOAD:
            case Opcodes.ISTORE:
            case Opcodes.FSTORE:
            case Opcodes.ASTORE:
            case Opcodes.POP:
            case Opcodes.IADD:
            case Opcodes.ISUB:
            case Opcodes.IMUL:
            case Opcodes.IDIV:
            case Opcodes.IREM:
            case Opcodes.IAND:
            case Opcodes.IOR:
            case Opcodes.IXOR:
            case Opcodes.ISHL:
            case Opcodes.ISHR:
            case Opcodes.IUSHR:
            case Opcodes.LSHL:
            case Opcodes.LSHR:
            case Opcodes.LUSHR:
            case Opcodes.FADD:
            case Opcodes.FSUB:
            case Opcodes.FMUL:
            case Opcodes.FDIV:
            case Opcodes.FREM:
            case Opcodes.L2I:
            case Opcodes.L2F:
            case Opcodes.D2I:
            case Opcodes.D2F:
            case Opcodes.FCMPL:
            case Opcodes.FCMPG:
            case Opcodes.IFEQ:
            case Opcodes.IFNE:
            case Opcodes.IFLT:
            case Opcodes.IFGE:
            case Opcodes.IFGT:
            case Opcodes.IFLE:
            case Opcodes.IFNULL:
            case Opcodes.IFNONNULL:
            case Opcodes.TABLESWITCH:
            case Opcodes.LOOKUPSWITCH:
            case Opcodes.MONITORENTER:
            case Opcodes.MONITOREXIT:
            case Opcodes.IRETURN:
            case Opcodes.FRETURN:
            case Opcodes.ARETURN:
            case Opcodes.ATHROW:
                return -1;
            case Opcodes.LSTORE:
            case Opcodes.DSTORE:
            case Opcodes.POP2:
            case Opcodes.LADD:
            case Opcodes.LSUB:
            case Opcodes.LMUL:
            case Opcodes.LDIV:
            case Opcodes.LREM:
            case Opcodes.LAND:
            case Opcodes.LOR:
            case Opcodes.LXOR:
            case Opcodes.DADD:
            case Opcodes.DSUB:
            case Opcodes.DMUL:
            case Opcodes.DDIV:
            case Opcodes.DREM:
            case Opcodes.IF_ICMPEQ:
            case Opcodes.IF_ICMPNE:
            case Opcodes.IF_ICMPLT:
            case Opcodes.IF_ICMPGE:
            case Opcodes.IF_ICMPGT:
            case Opcodes.IF_ICMPLE:
            case Opcodes.IF_ACMPEQ:
            case Opcodes.IF_ACMPNE:
            case Opcodes.LRETURN:
            case Opcodes.DRETURN:
                return -2;
            case Opcodes.IASTORE:
            case Opcodes.FASTORE:
            case Opcodes.AASTORE:
            case Opcodes.BASTORE:
            case Opcodes.CASTORE:
            case Opcodes.SASTORE:
            case Opcodes.LCMP:
            case Opcodes.DCMPL:
            case Opcodes.DCMPG:
                return -3;
            case Opcodes.LASTORE:
            case Opcodes.DASTORE:
                return -4;
            case Opcodes.GETSTATIC:
                return fieldSize(n);
            case Opcodes.PUTSTATIC:
                return -fieldSize(n);
            case Opcodes.GETFIELD:
                return fieldSize(n) - 1;
            case Opcodes.PUTFIELD:
                return -fieldSize(n) - 1;
            case Opcodes.INVOKEVIRTUAL:
            case Opcodes.INVOKESPECIAL:
            case Opcodes.INVOKEINTERFACE: {
                int sizes = Type.getArgumentsAndReturnSizes(((MethodInsnNode) n).desc);
                return (sizes & 3) - (sizes >> 2); // the receiver is counted in the argument size
            }
            case Opcodes.INVOKESTATIC: {
                int sizes = Type.getArgumentsAndReturnSizes(((MethodInsnNode) n).desc);
                return (sizes & 3) - (sizes >> 2) + 1;
            }
            case Opcodes.INVOKEDYNAMIC: {
                int sizes = Type.getArgumentsAndReturnSizes(((InvokeDynamicInsnNode) n).desc);
                return (sizes & 3) - (sizes >> 2) + 1;
            }
            case Opcodes.MULTIANEWARRAY:
                return 1 - ((MultiANewArrayInsnNode) n).dims;
            default:
                return UNKNOWN;
        }
    }

    private static int fieldSize(AbstractInsnNode n) {
        char c = ((FieldInsnNode) n).desc.charAt(0);
        return c == 'J' || c == 'D' ? 2 : 1;
    }

    /** Slots taken by the arguments of a method descriptor, without the receiver. */
    static int argumentSlots(String descriptor) {
        return (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - 1;
    }
}
