package io.jlockdep.runtime.lockclass;

/** A place in the code: class, method, source file and line. Holds names only, never a Class. */
public final class CodeSite {
    private final String className;
    private final String methodName;
    private final String fileName;
    private final int line;
    /** For a monitorenter that locks a field's value: the class key and the name of that field; else null. */
    final String lockedField;
    final String lockedFieldName;
    /** The class a plain Object first locked here gets (see {@code LockClasses.ofMonitor}), once known. */
    volatile LockClass firstLocked;

    public CodeSite(String className, String methodName, String fileName, int line) {
        this(className, methodName, fileName, line, null, null);
    }

    CodeSite(String className, String methodName, String fileName, int line, String lockedField,
             String lockedFieldName) {
        this.className = className;
        this.methodName = methodName;
        this.fileName = fileName;
        this.line = line;
        this.lockedField = lockedField;
        this.lockedFieldName = lockedFieldName;
    }

    public String className() {
        return className;
    }

    public String methodName() {
        return methodName;
    }

    public String fileName() {
        return fileName;
    }

    public int line() {
        return line;
    }

    /** {@code Foo.java:42}. */
    public String fileAndLine() {
        String file = fileName != null ? fileName : Sites.simpleName(className) + ".java";
        return line >= 0 ? file + ':' + line : file;
    }

    /** {@code Inode.write(Ntfs.java:57)}: the short form used in lock lines. */
    public String shortForm() {
        return Sites.simpleName(className) + '.' + methodName + '(' + fileAndLine() + ')';
    }

    /** {@code com.x.Inode.write(Ntfs.java:57)}: the form used in stack traces. */
    public String longForm() {
        String file = fileName == null ? "Unknown Source" : (line >= 0 ? fileName + ':' + line : fileName);
        return className + '.' + methodName + '(' + file + ')';
    }

    /**
     * Reads back a {@link #longForm()}, such as a stack frame from a JSON file; null when {@code text} is not in that
     * form.
     */
    public static CodeSite parse(String text) {
        int open = text.lastIndexOf('(');
        if (open < 0 || !text.endsWith(")")) {
            return null;
        }
        int dot = text.lastIndexOf('.', open);
        if (dot <= 0 || dot == open - 1) {
            return null;
        }
        String where = text.substring(open + 1, text.length() - 1);
        String file = where;
        int line = -1;
        if (where.equals("Unknown Source")) {
            file = null;
        } else {
            int colon = where.lastIndexOf(':');
            if (colon > 0 && colon < where.length() - 1 && isDigits(where, colon + 1)) {
                file = where.substring(0, colon);
                line = Integer.parseInt(where.substring(colon + 1));
            }
        }
        return new CodeSite(text.substring(0, dot), text.substring(dot + 1, open), file, line);
    }

    private static boolean isDigits(String s, int from) {
        if (s.length() - from > 9) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static CodeSite of(StackTraceElement frame) {
        return new CodeSite(frame.getClassName(), frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
    }

    @Override
    public String toString() {
        return longForm();
    }
}
