package io.jlockdep.selftest;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a case script. Scripts are written as in lib/locking-selftest.c: {@code L(A)} lock in the case's mode,
 * {@code R(A)} / {@code W(A)} read / write, {@code RR(A)} recursive read (lockdep's rlock; engine only), {@code T(A)}
 * trylock, {@code U(A)} release A's most recent hold, {@code WAIT(A)} wait on held A, {@code NOTIFY(A)} notify A,
 * {@code THREAD(2)} run the rest of the script in a new thread (named by the argument; nothing may be held).
 * A trailing {@code !} marks a step that really blocks forever (the case's last step).
 */
public final class Op {
    public enum Verb { L, R, W, RR, T, U, WAIT, NOTIFY, THREAD }

    public final Verb verb;
    public final String lock;
    public final boolean blocks;

    Op(Verb verb, String lock, boolean blocks) {
        this.verb = verb;
        this.lock = lock;
        this.blocks = blocks;
    }

    /** The lock class of an instance name: trailing digits name instances of one class ({@code X1}, {@code X2}). */
    public static String classOf(String instance) {
        int end = instance.length();
        while (end > 1 && Character.isDigit(instance.charAt(end - 1))) {
            end--;
        }
        return instance.substring(0, end);
    }

    static List<Op> parse(String script) {
        List<Op> ops = new ArrayList<>();
        for (String token : script.trim().split("\\s+")) {
            boolean blocks = token.endsWith("!");
            String t = blocks ? token.substring(0, token.length() - 1) : token;
            int open = t.indexOf('(');
            if (open < 0 || !t.endsWith(")")) {
                throw new IllegalArgumentException("bad step " + token + " in " + script);
            }
            ops.add(new Op(Verb.valueOf(t.substring(0, open)), t.substring(open + 1, t.length() - 1), blocks));
        }
        return ops;
    }

    @Override
    public String toString() {
        return verb + "(" + lock + ")" + (blocks ? "!" : "");
    }
}
