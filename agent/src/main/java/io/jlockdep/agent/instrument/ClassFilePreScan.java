package io.jlockdep.agent.instrument;

import java.nio.charset.StandardCharsets;

/**
 * A quick look at a class file, before ASM: most classes an application loads take no lock at all, and telling so from
 * the raw bytes costs a fraction of building ASM's view of the class. Answers "maybe" whenever in doubt (a byte that
 * could be an opcode, a name that could be a lock method, an unreadable file), so that ASM's exact scan decides; a
 * "no" is certain.
 *
 * <p>Looks for: a {@code synchronized} method; a {@code monitorenter}/{@code monitorexit} instruction in any method's code;
 * a constant-pool name of a lock method, a wait or notify, a lock type, a field of a lock type or a factory of
 * synchronized collections; a {@code new} of {@code java/lang/Object}, of a JDK type whose instances lock themselves
 * or of a synchronizer (whose allocations the wait-for check classes); such a type as the superclass.
 */
final class ClassFilePreScan {
    private static final int ACC_SYNCHRONIZED = 0x0020;
    private static final int ACC_NATIVE = 0x0100;
    private static final int ACC_ABSTRACT = 0x0400;
    private static final int MONITORENTER = 0xC2;
    private static final int MONITOREXIT = 0xC3;
    private static final int NEW = 0xBB;
    private static final int IINC = 0x84;
    private static final int TABLESWITCH = 0xAA;
    private static final int LOOKUPSWITCH = 0xAB;
    private static final int WIDE = 0xC4;

    /** Names whose presence in the constant pool means a lock call or a wait/notify may be in the code. */
    private static final Names CALL_NAMES = new Names("wait", "notify", "notifyAll", "lock", "lockInterruptibly",
            "tryLock", "readLock", "writeLock", "readLockInterruptibly", "writeLockInterruptibly", "tryReadLock",
            "tryWriteLock", "tryConvertToWriteLock", "tryConvertToReadLock", "await", "awaitNanos",
            "awaitUninterruptibly", "awaitUntil", "java/util/concurrent/locks/ReentrantLock",
            "java/util/concurrent/locks/ReentrantReadWriteLock", "java/util/concurrent/locks/StampedLock",
            "Ljava/util/concurrent/locks/ReentrantLock;", "Ljava/util/concurrent/locks/ReentrantReadWriteLock;",
            "Ljava/util/concurrent/locks/StampedLock;", "Ljava/util/concurrent/locks/Lock;",
            "Ljava/util/concurrent/locks/ReadWriteLock;", "synchronizedCollection", "synchronizedList",
            "synchronizedMap", "synchronizedSet", "synchronizedSortedMap", "synchronizedSortedSet",
            "synchronizedNavigableMap", "synchronizedNavigableSet");
    /** Names that mean a wait or a notify (the monitor operations among calls). */
    private static final Names MONITOR_CALL_NAMES = new Names("wait", "notify", "notifyAll");
    /** Types whose {@code new} is rewritten: Object, the JDK types whose instances lock themselves, synchronizers. */
    private static final Names ALLOCATED = allocatedTypes();
    private static final byte[] OBJECT = "java/lang/Object".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CODE = "Code".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INIT = "<init>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLINIT = "<clinit>".getBytes(StandardCharsets.UTF_8);

    private ClassFilePreScan() {
    }

    /** False only when the class certainly has nothing for {@link ClassInstrumenter} to rewrite. */
    static boolean mayNeedRewrite(byte[] classFile) {
        return scan(classFile, CALL_NAMES, true, false);
    }

    /** False only when the class certainly takes, releases, waits on or notifies no monitor. */
    static boolean mayHaveMonitorOperations(byte[] classFile) {
        return scan(classFile, MONITOR_CALL_NAMES, false, false);
    }

    /**
     * For tests: whether the instruction walk of every method ends exactly at the end of its code, never meeting an
     * opcode it does not know. A walk that loses its way only ever answers "maybe", so a broken walk would otherwise
     * go unnoticed, costing time instead of failing.
     */
    static boolean walksEveryMethodCleanly(byte[] classFile) {
        return !scan(classFile, new Names(), false, true);
    }

    /** With {@code walkOnly}, looks for nothing and returns true only where a "maybe" would come from a lost walk. */
    private static boolean scan(byte[] b, Names names, boolean allocations, boolean walkOnly) {
        try {
            int count = u2(b, 8);
            boolean[] allocatedUtf8 = new boolean[count];
            int objectUtf8 = -1;
            int codeUtf8 = -1;
            int initUtf8 = -1;
            int clinitUtf8 = -1;
            int[] classNameIndex = new int[count];
            int at = 10;
            for (int i = 1; i < count; i++) {
                int tag = b[at] & 0xFF;
                switch (tag) {
                    case 1: { // Utf8
                        int length = u2(b, at + 1);
                        int start = at + 3;
                        if (names.contains(b, start, length)) {
                            return true;
                        }
                        if (allocations && ALLOCATED.contains(b, start, length)) {
                            allocatedUtf8[i] = true;
                            if (equal(b, start, length, OBJECT)) {
                                objectUtf8 = i;
                            }
                        } else if (equal(b, start, length, CODE)) {
                            codeUtf8 = i;
                        } else if (equal(b, start, length, INIT)) {
                            initUtf8 = i;
                        } else if (equal(b, start, length, CLINIT)) {
                            clinitUtf8 = i;
                        }
                        at = start + length;
                        break;
                    }
                    case 7: // Class
                        classNameIndex[i] = u2(b, at + 1);
                        at += 3;
                        break;
                    default:
                        if (tag == 5 || tag == 6) {
                            i++; // Long, Double: two slots
                        }
                        at = skipConstant(b, at);
                        if (at < 0) {
                            return true; // not a class file this scan understands: let ASM decide
                        }
                }
            }
            boolean[] allocatedClass = new boolean[count];
            for (int i = 1; i < count; i++) {
                allocatedClass[i] = classNameIndex[i] > 0 && allocatedUtf8[classNameIndex[i]];
            }
            int superClass = u2(b, at + 4);
            if (!walkOnly && superClass > 0 && superClass < count && allocatedClass[superClass]
                    && classNameIndex[superClass] != objectUtf8) {
                return true; // a subclass of a JDK type that locks itself: its constructors are rewritten
            }
            at += 6; // access, this, super
            at += 2 + 2 * u2(b, at); // interfaces
            int fields = u2(b, at);
            at += 2;
            for (int f = 0; f < fields; f++) {
                at = skipAttributes(b, at + 6);
            }
            int methods = u2(b, at);
            at += 2;
            for (int m = 0; m < methods; m++) {
                int access = u2(b, at);
                int name = u2(b, at + 2);
                if (!walkOnly && (access & ACC_SYNCHRONIZED) != 0 && (access & (ACC_NATIVE | ACC_ABSTRACT)) == 0
                        && name != initUtf8 && name != clinitUtf8) {
                    return true;
                }
                int attributes = u2(b, at + 6);
                at += 8;
                for (int a = 0; a < attributes; a++) {
                    int attributeName = u2(b, at);
                    int length = s4(b, at + 2);
                    if (attributeName == codeUtf8 && codeHasCandidate(b, at + 6, allocatedClass, walkOnly)) {
                        return true;
                    }
                    at += 6 + length;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true; // truncated or odd: ASM will say what is wrong
        }
    }

    /** Offset of the constant-pool entry after the one at {@code at}; -1 for a tag this scan does not know. */
    private static int skipConstant(byte[] b, int at) {
        switch (b[at] & 0xFF) {
            case 1: // Utf8
                return at + 3 + u2(b, at + 1);
            case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                return at + 3;
            case 15: // MethodHandle
                return at + 4;
            case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                return at + 5;
            case 5: case 6: // Long, Double
                return at + 9;
            default:
                return -1;
        }
    }

    /**
     * False only when the class file certainly has no constant {@code name} (so it declares and calls no method of that
     * name); true when it has, or when it cannot be read.
     */
    static boolean hasName(byte[] b, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        try {
            int count = u2(b, 8);
            int at = 10;
            for (int i = 1; i < count && at >= 0; i++) {
                int tag = b[at] & 0xFF;
                if (tag == 1 && equal(b, at + 3, u2(b, at + 1), wanted)) {
                    return true;
                }
                if (tag == 5 || tag == 6) {
                    i++;
                }
                at = skipConstant(b, at);
            }
            return at < 0;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * Walks the code instruction by instruction: a monitor opcode, or {@code new} of a class entry in {@code allocated}
     * (Object, a JDK type that locks itself, a synchronizer). Operand bytes
     * are skipped, so that an operand that happens to equal a monitor opcode does not count. An opcode the walk does not
     * know, or a walk that runs off the end, is a "maybe".
     */
    private static boolean codeHasCandidate(byte[] b, int codeAttribute, boolean[] allocated, boolean walkOnly) {
        int length = s4(b, codeAttribute + 4);
        int start = codeAttribute + 8;
        int end = start + length;
        int i = start;
        while (i < end) {
            int op = b[i] & 0xFF;
            if (!walkOnly && (op == MONITORENTER || op == MONITOREXIT)) {
                return true;
            }
            if (!walkOnly && op == NEW) {
                int type = u2(b, i + 1);
                if (type < allocated.length && allocated[type]) {
                    return true;
                }
            }
            int size = instructionLength(b, i, i - start);
            if (size <= 0) {
                return true;
            }
            i += size;
        }
        return i != end;
    }

    /** Bytes taken by the instruction at {@code at} ({@code pc} bytes into the code); 0 for an opcode not in JVMS 6.5. */
    private static int instructionLength(byte[] b, int at, int pc) {
        int op = b[at] & 0xFF;
        if (op == TABLESWITCH || op == LOOKUPSWITCH) {
            int operands = at + 1 + (3 - (pc & 3)); // padded to a multiple of four bytes into the code
            if (op == TABLESWITCH) {
                long cases = (long) s4(b, operands + 8) - s4(b, operands + 4) + 1;
                return cases < 0 || cases > 65536 ? 0 : (int) (operands - at + 12 + 4 * cases);
            }
            int pairs = s4(b, operands + 4);
            return pairs < 0 || pairs > 65536 ? 0 : operands - at + 8 + 8 * pairs;
        }
        if (op == WIDE) {
            return (b[at + 1] & 0xFF) == IINC ? 6 : 4;
        }
        return op < INSTRUCTION_LENGTHS.length ? INSTRUCTION_LENGTHS[op] : 0;
    }

    /** Length of each fixed-size instruction by opcode (JVMS 6.5); 0 where variable or undefined. */
    private static final byte[] INSTRUCTION_LENGTHS = instructionLengths();

    private static byte[] instructionLengths() {
        byte[] lengths = new byte[0xCA];
        java.util.Arrays.fill(lengths, (byte) 1);
        lengths[0x10] = 2; // bipush
        lengths[0x11] = 3; // sipush
        lengths[0x12] = 2; // ldc
        lengths[0x13] = 3; // ldc_w
        lengths[0x14] = 3; // ldc2_w
        java.util.Arrays.fill(lengths, 0x15, 0x1A, (byte) 2); // iload..aload
        java.util.Arrays.fill(lengths, 0x36, 0x3B, (byte) 2); // istore..astore
        lengths[IINC] = 3;
        java.util.Arrays.fill(lengths, 0x99, 0xA9, (byte) 3); // if*, goto, jsr
        lengths[0xA9] = 2; // ret
        lengths[TABLESWITCH] = 0;
        lengths[LOOKUPSWITCH] = 0;
        java.util.Arrays.fill(lengths, 0xB2, 0xB9, (byte) 3); // field access, invokevirtual/special/static
        lengths[0xB9] = 5; // invokeinterface
        lengths[0xBA] = 5; // invokedynamic
        lengths[NEW] = 3;
        lengths[0xBC] = 2; // newarray
        lengths[0xBD] = 3; // anewarray
        lengths[0xC0] = 3; // checkcast
        lengths[0xC1] = 3; // instanceof
        lengths[WIDE] = 0;
        lengths[0xC5] = 4; // multianewarray
        lengths[0xC6] = 3; // ifnull
        lengths[0xC7] = 3; // ifnonnull
        lengths[0xC8] = 5; // goto_w
        lengths[0xC9] = 5; // jsr_w
        return lengths;
    }

    private static int skipAttributes(byte[] b, int at) {
        int count = u2(b, at);
        at += 2;
        for (int i = 0; i < count; i++) {
            at += 6 + s4(b, at + 2);
        }
        return at;
    }

    private static boolean equal(byte[] b, int start, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int s4(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static Names allocatedTypes() {
        java.util.List<String> names = new java.util.ArrayList<>(MethodRewriter.SELF_LOCKING_JDK_TYPES);
        names.addAll(MethodRewriter.SYNCHRONIZERS);
        names.addAll(MethodRewriter.PART_LOCKING_JDK_TYPES);
        names.add("java/lang/Object");
        return new Names(names.toArray(new String[0]));
    }

    /**
     * A set of names, as UTF-8, grouped by length: every constant-pool string of a class is looked up in it, and most
     * have a length that no name has, so they are passed over with one array read instead of a comparison per name.
     */
    private static final class Names {
        private final byte[][][] byLength;

        Names(String... names) {
            int longest = 0;
            for (String name : names) {
                longest = Math.max(longest, name.getBytes(StandardCharsets.UTF_8).length);
            }
            byLength = new byte[longest + 1][][];
            for (String name : names) {
                byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
                byte[][] same = byLength[utf8.length];
                byte[][] grown = same == null ? new byte[1][] : java.util.Arrays.copyOf(same, same.length + 1);
                grown[grown.length - 1] = utf8;
                byLength[utf8.length] = grown;
            }
        }

        /** Whether the {@code length} bytes at {@code start} are one of the names. */
        boolean contains(byte[] b, int start, int length) {
            byte[][] same = length < byLength.length ? byLength[length] : null;
            if (same == null) {
                return false;
            }
            for (byte[] name : same) {
                if (equal(b, start, length, name)) {
                    return true;
                }
            }
            return false;
        }
    }
}
