package io.jlockdep.selftest;

import java.util.List;

/** One row of the matrix: a script on one kind of lock, the nesting mode it runs in, and its expected outcome. */
public final class Case {
    public final String name;
    public final Kind kind;
    public final boolean strict;
    /** Uses lockdep's recursive read (no Java lock has it): the engine driver only. */
    public final boolean engineOnly;
    public final String script;
    public final List<Op> ops;
    public final Expect expect;

    Case(String name, Kind kind, boolean strict, String script, Expect expect) {
        this.name = name;
        this.kind = kind;
        this.strict = strict;
        this.script = script;
        this.ops = Op.parse(script);
        this.expect = expect;
        boolean recursiveRead = false;
        for (Op op : ops) {
            recursiveRead |= op.verb == Op.Verb.RR;
        }
        this.engineOnly = recursiveRead;
    }

    /** The last step blocks forever on a real lock: the real-JVM driver runs the case in a daemon thread. */
    public boolean hangs() {
        return ops.get(ops.size() - 1).blocks;
    }

    @Override
    public String toString() {
        return name + " [" + script + "] -> " + expect;
    }
}
