package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.jlockdep.runtime.lockclass.LockClasses;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * Rewrites one class file so that its lock operations call {@code io.jlockdep.runtime.Hooks}. Pure bytes in, bytes out:
 * it loads no class and keeps no state besides the sites it registers with {@code io.jlockdep.runtime.Sites}.
 *
 * <p>What it rewrites, in every method that has code:
 * <ul>
 *   <li>each {@code monitorenter} becomes {@code dup; <site>; Hooks.monitorEnter; monitorenter} and each
 *       {@code monitorexit} becomes {@code dup; Hooks.monitorExit; monitorexit}, whatever the structure of the code;</li>
 *   <li>a {@code synchronized} method either loses its flag and takes its monitor explicitly (when
 *       {@code mayChangeMethodFlags}), so that the hook runs before the thread can block, or keeps it and reports the
 *       monitor with {@code Hooks.syncMethodEntered} at entry and {@code Hooks.monitorExit} at every exit;</li>
 *   <li>{@code new ReentrantLock/ReentrantReadWriteLock/StampedLock/Object(...)}, {@code new} of a JDK type whose
 *       instances lock themselves (Hashtable, StringBuffer...) and {@code Collections.synchronizedList(...)} and its
 *       kin are followed by {@code Hooks.allocated} ({@code Hooks.allocatedIn} with the owner for an instance field);
 *       a store of some other value into a field of a lock type is preceded by {@code Hooks.storedInField};</li>
 *   <li>the constructors of a class whose instances lock themselves (synchronized methods, {@code synchronized (this)})
 *       call {@code Hooks.constructed(this)} before they return, unless it is a JDK class;</li>
 *   <li>the static initializer of a class rewritten for any of the above, unless it is a JDK class, calls
 *       {@code Hooks.initializing(C.class)} at entry, {@code Hooks.initialized(C.class)} at every exit (a catch-all
 *       handler rethrows), and {@code Hooks.initializerStored(value, C.class)} before each store of a new object
 *       straight into a static field of C ({@code new T(...)} right before the {@code putstatic});</li>
 *   <li>calls to blocking or trying lock methods are preceded by {@code Hooks.site}; calls to {@code Object.wait},
 *       {@code notify} and {@code notifyAll} are replaced by {@code Hooks.objectWait/objectNotify/objectNotifyAll},
 *       which check and then make the call.</li>
 * </ul>
 *
 * <p>Entry points: {@link #instrument} when only the bytes matter, {@link #transform} when the caller also wants the
 * {@linkplain Result#notes() notes} (methods left alone because they would outgrow the 64 KB code limit). A class that
 * cannot be rewritten at all raises {@link InstrumentationException}, whose one-line message is the failure note.
 *
 * <p>This class runs inside a {@code ClassFileTransformer}, so its own code avoids lambdas, string concatenation with
 * {@code +} (indy on Java 9+) and records: their bootstrap would load and transform classes while a transformation is
 * under way.
 */
public final class ClassInstrumenter {
    private static final String[] EXCLUDED_PREFIXES = {
        "io/jlockdep/runtime/", "io/jlockdep/agent/", "io/jlockdep/shaded/",
    };

    private ClassInstrumenter() {
    }

    /**
     * Returns the rewritten class file, or null when the class needs no change. Throws {@link InstrumentationException}
     * (message: one line naming the class and the reason) if it cannot be rewritten; callers then leave the class
     * untouched. Same as {@code transform(classFile, mayChangeMethodFlags).classFile()}; use {@link #transform} to
     * also get the notes.
     *
     * @param classFile            the class file
     * @param mayChangeMethodFlags true when the class is being defined for the first time; false when it is being
     *                             retransformed, so that only method bodies may change (no new members, no flag changes)
     */
    public static byte[] instrument(byte[] classFile, boolean mayChangeMethodFlags) {
        return transform(classFile, mayChangeMethodFlags).classFile();
    }

    /**
     * Like {@link #instrument}, but also returns the notes: one line for each method that was left uninstrumented
     * because its rewritten code would exceed the JVM's 65535-byte limit. The rest of the class is still rewritten.
     *
     * @throws InstrumentationException if the class cannot be rewritten at all
     */
    public static Result transform(byte[] classFile, boolean mayChangeMethodFlags) {
        return transform(classFile, mayChangeMethodFlags, false);
    }

    /**
     * Like {@link #transform(byte[], boolean)}; with {@code markMonitorEntered}, every {@code monitorenter} is also
     * followed by {@code Hooks.monitorEntered()}, so the runtime knows when a thread got the monitor it asked for
     * (wanted by the watchdog, which must tell a thread blocked entering a monitor from one holding it).
     */
    public static Result transform(byte[] classFile, boolean mayChangeMethodFlags, boolean markMonitorEntered) {
        String className = null;
        try {
            if (!ClassFilePreScan.mayNeedRewrite(classFile)) {
                return new Result(null, null, Collections.<String>emptyList());
            }
            ClassReader reader = new ClassReader(classFile);
            className = reader.getClassName();
            if (isExcluded(className)) {
                return new Result(className, null, Collections.<String>emptyList());
            }
            Scanner scanner = new Scanner();
            reader.accept(scanner, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            boolean reportConstructed = scanner.locksItself() && !MethodRewriter.isJdkClass(className);
            if (reportConstructed) {
                scanner.targets.addAll(scanner.constructors);
            }
            if (scanner.targets.isEmpty()) {
                return new Result(className, null, Collections.<String>emptyList());
            }
            // Rewritten anyway: its allocations of other classes get the hint that spares a stack walk to the objects
            // of classes that lock themselves (MethodRewriter.hintsConstruction).
            scanner.targets.addAll(scanner.allocating);
            if (reportConstructed) {
                LockClasses.locksItself(className);
            }
            if (scanner.hasInitializer && !MethodRewriter.isJdkClass(className)) {
                scanner.targets.add(MethodRewriter.INITIALIZER);
            }
            return rewrite(reader, className, scanner.targets, mayChangeMethodFlags, markMonitorEntered,
                    reportConstructed);
        } catch (InstrumentationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InstrumentationException(failure(className != null ? className : nameOf(classFile), e), e);
        }
    }

    /**
     * True when the class takes, releases, waits on or notifies a monitor: the cheap first pass only. Used to pick,
     * among classes already loaded, the ones worth a retransformation (a class that only allocates or calls locks
     * gains little from it: its earlier allocations are past). False for a class file that cannot be read.
     */
    public static boolean hasMonitorOperations(byte[] classFile) {
        if (!ClassFilePreScan.mayHaveMonitorOperations(classFile)) {
            return false;
        }
        try {
            ClassReader reader = new ClassReader(classFile);
            if (isExcluded(reader.getClassName())) {
                return false;
            }
            Scanner scanner = new Scanner();
            reader.accept(scanner, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return scanner.monitorOperations;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** ASM's exact first pass alone (no pre-scan): the methods that may need rewriting, and whether any monitor is used. */
    static boolean[] exactScan(byte[] classFile) {
        Scanner scanner = new Scanner();
        ClassReader reader = new ClassReader(classFile);
        reader.accept(scanner, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        boolean constructorsReport = scanner.locksItself() && !MethodRewriter.isJdkClass(reader.getClassName())
                && !scanner.constructors.isEmpty();
        return new boolean[] {!scanner.targets.isEmpty() || constructorsReport, scanner.monitorOperations};
    }

    /** Best effort, for the failure message: the class name of a class file ASM refused (a newer version, say). */
    private static String nameOf(byte[] classFile) {
        try {
            byte[] copy = classFile.clone();
            copy[6] = 0;
            copy[7] = (byte) Opcodes.V1_8;
            return new ClassReader(copy).getClassName();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Result rewrite(ClassReader reader, String className, Set<String> targets, boolean mayChangeMethodFlags,
                                  boolean markMonitorEntered, boolean reportConstructed) {
        Set<String> leftAlone = new HashSet<>();
        List<String> notes = new ArrayList<>();
        while (true) {
            ClassWriter writer = new ClassWriter(reader, 0);
            Rewriter rewriter = new Rewriter(writer, targets, leftAlone, mayChangeMethodFlags, markMonitorEntered,
                    reportConstructed);
            reader.accept(rewriter, ClassReader.EXPAND_FRAMES);
            if (!rewriter.changed) {
                return new Result(className, null, notes);
            }
            try {
                return new Result(className, writer.toByteArray(), notes);
            } catch (MethodTooLargeException e) {
                String key = e.getMethodName().concat(e.getDescriptor());
                if (!targets.contains(key) || !leftAlone.add(key)) {
                    throw e;
                }
                notes.add(new StringBuilder()
                        .append(className.replace('/', '.')).append('.').append(e.getMethodName())
                        .append(e.getDescriptor()).append(": left uninstrumented, its instrumented code would be ")
                        .append(e.getCodeSize()).append(" bytes, over the JVM's 65535-byte limit").toString());
            }
        }
    }

    static boolean isExcluded(String internalName) {
        for (String prefix : EXCLUDED_PREFIXES) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String failure(String className, RuntimeException e) {
        StringBuilder message = new StringBuilder();
        message.append(className == null ? "<unreadable class file>" : className.replace('/', '.'))
                .append(": cannot instrument: ").append(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            message.append(": ").append(e.getMessage());
        }
        // One line, whatever the exception said.
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n' || c == '\r') {
                message.setCharAt(i, ' ');
            }
        }
        return message.toString();
    }

    /**
     * What {@link #transform} produced.
     */
    public static final class Result {
        private final String className;
        private final byte[] classFile;
        private final List<String> notes;

        Result(String className, byte[] classFile, List<String> notes) {
            this.className = className;
            this.classFile = classFile;
            this.notes = Collections.unmodifiableList(notes);
        }

        /** Internal name of the class, e.g. {@code com/x/Foo$Bar}. */
        public String className() {
            return className;
        }

        /** The rewritten class file, or null when the class needs no change. */
        public byte[] classFile() {
            return classFile;
        }

        /** One line per method left uninstrumented (too large once rewritten); empty in the usual case. */
        public List<String> notes() {
            return notes;
        }
    }

    /** The cheap first pass: which methods (name + descriptor) may need rewriting. Decodes code, builds no tree. */
    private static final class Scanner extends ClassVisitor {
        final Set<String> targets = new HashSet<>();
        /** The constructors: targets too when the class locks itself (they report each object constructed). */
        final Set<String> constructors = new HashSet<>();
        /** The methods that allocate objects of classes outside the JDK (see {@link MethodRewriter#hintsConstruction}). */
        final Set<String> allocating = new HashSet<>();
        /** A monitor is taken, released, waited on or notified somewhere (not just a lock allocated or called). */
        boolean monitorOperations;
        /** The class has a static initializer with code. */
        boolean hasInitializer;
        /** An instance method is synchronized or locks {@code this}, or the superclass is a JDK type that does. */
        private boolean locksItself;

        Scanner() {
            super(Opcodes.ASM9);
        }

        /**
         * Whether instances of the class are their own lock: a synchronized instance method, {@code synchronized
         * (this)} in an instance method ({@code aload_0; [dup; astore n;] monitorenter}), or a JDK superclass whose
         * instances lock themselves. Such objects are classed by where they are allocated: allocated at two places,
         * they are two lock classes.
         */
        boolean locksItself() {
            return locksItself;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            if (superName != null && MethodRewriter.SELF_LOCKING_JDK_TYPES.contains(superName)) {
                locksItself = true;
            }
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                return null;
            }
            final String key = name.concat(descriptor);
            final boolean instanceMethod = (access & Opcodes.ACC_STATIC) == 0;
            if (name.equals("<init>")) {
                constructors.add(key);
            } else if (key.equals(MethodRewriter.INITIALIZER)) {
                hasInitializer = true;
            }
            if (MethodRewriter.isSynchronizedMethod(access, name)) {
                targets.add(key);
                monitorOperations = true;
                if (instanceMethod) {
                    locksItself = true;
                }
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                /** How far {@code aload_0; dup; astore n} has gone just before: 0 none, 1 aload_0, 2 dup, 3 astore. */
                private int thisLoaded;

                @Override
                public void visitInsn(int opcode) {
                    if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT) {
                        targets.add(key);
                        monitorOperations = true;
                        if (opcode == Opcodes.MONITORENTER && instanceMethod && (thisLoaded == 1 || thisLoaded == 3)) {
                            locksItself = true;
                        }
                    }
                    thisLoaded = opcode == Opcodes.DUP && thisLoaded == 1 ? 2 : 0;
                }

                @Override
                public void visitVarInsn(int opcode, int var) {
                    thisLoaded = opcode == Opcodes.ALOAD && var == 0 ? 1
                            : opcode == Opcodes.ASTORE && thisLoaded == 2 ? 3 : 0;
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    thisLoaded = 0;
                }

                @Override
                public void visitJumpInsn(int opcode, org.objectweb.asm.Label label) {
                    thisLoaded = 0;
                }

                @Override
                public void visitLdcInsn(Object value) {
                    thisLoaded = 0;
                }

                @Override
                public void visitIincInsn(int var, int increment) {
                    thisLoaded = 0;
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrap,
                                                   Object... arguments) {
                    thisLoaded = 0;
                }

                @Override
                public void visitTableSwitchInsn(int min, int max, org.objectweb.asm.Label dflt,
                                                 org.objectweb.asm.Label... labels) {
                    thisLoaded = 0;
                }

                @Override
                public void visitLookupSwitchInsn(org.objectweb.asm.Label dflt, int[] keys,
                                                  org.objectweb.asm.Label[] labels) {
                    thisLoaded = 0;
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                    thisLoaded = 0;
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    thisLoaded = 0;
                    if (opcode == Opcodes.NEW && MethodRewriter.isLockAllocation(type)) {
                        targets.add(key);
                    } else if (opcode == Opcodes.NEW && !MethodRewriter.isJdkClass(type)) {
                        allocating.add(key);
                    }
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    thisLoaded = 0;
                    if ((opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC)
                            && MethodRewriter.isLockField(descriptor)) {
                        targets.add(key);
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                            boolean isInterface) {
                    thisLoaded = 0;
                    if (MethodRewriter.monitorCallReplacement(opcode, name, descriptor) != null) {
                        targets.add(key);
                        monitorOperations = true;
                    } else if (MethodRewriter.needsSiteHint(opcode, owner, name, descriptor)
                            || MethodRewriter.isSelfLockingFactory(opcode, owner, name)) {
                        targets.add(key);
                    }
                }
            };
        }
    }

    /** The rewriting pass: methods found by the scanner go through a tree, the others straight to the writer. */
    private static final class Rewriter extends ClassVisitor {
        private final Set<String> targets;
        private final Set<String> leftAlone;
        private final boolean mayChangeMethodFlags;
        private final boolean markMonitorEntered;
        private final boolean reportConstructed;
        private String className;
        private String superName;
        private int version;
        private String sourceFile;
        boolean changed;

        Rewriter(ClassVisitor next, Set<String> targets, Set<String> leftAlone, boolean mayChangeMethodFlags,
                 boolean markMonitorEntered, boolean reportConstructed) {
            super(Opcodes.ASM9, next);
            this.targets = targets;
            this.leftAlone = leftAlone;
            this.mayChangeMethodFlags = mayChangeMethodFlags;
            this.markMonitorEntered = markMonitorEntered;
            this.reportConstructed = reportConstructed;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.version = version;
            this.className = name;
            this.superName = superName;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public void visitSource(String source, String debug) {
            this.sourceFile = source;
            super.visitSource(source, debug);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            String key = name.concat(descriptor);
            if (!targets.contains(key) || leftAlone.contains(key)) {
                return super.visitMethod(access, name, descriptor, signature, exceptions);
            }
            final ClassVisitor out = cv;
            return new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions) {
                @Override
                public void visitEnd() {
                    MethodRewriter methodRewriter = new MethodRewriter(className, superName, sourceFile, version,
                            mayChangeMethodFlags, markMonitorEntered, reportConstructed, this);
                    if (methodRewriter.rewrite()) {
                        changed = true;
                    }
                    accept(out);
                }
            };
        }
    }
}
