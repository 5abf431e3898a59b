package io.jlockdep.bench.process;

/** The smallest program: what start-up costs with nothing else to do. */
public final class HelloWorld {
    private HelloWorld() {
    }

    public static void main(String[] args) {
        System.out.println("hello, world");
    }
}
