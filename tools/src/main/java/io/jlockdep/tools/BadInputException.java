package io.jlockdep.tools;

/** An input file that cannot be used: the message is one line, "<file>: <what is wrong>". */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    BadInputException(String file, String what) {
        super(file + ": " + what);
    }
}
