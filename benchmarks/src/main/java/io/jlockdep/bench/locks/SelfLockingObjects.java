package io.jlockdep.bench.locks;

import io.jlockdep.bench.AgentCheck;
import io.jlockdep.runtime.Engine;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Making an object of a class that locks itself (a synchronized method), which the agent classes by the site that
 * allocated it: from the hint the allocating code leaves before the constructor call ({@code hinted}: code the agent
 * rewrites anyway), or from a stack walk when there is none ({@code walked}: code with nothing else to rewrite).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SelfLockingObjects {
    static final class Account {
        long balance;

        synchronized void deposit(long amount) {
            balance += amount;
        }
    }

    /** Rewritten for its synchronized method: its {@code new Account()} carries the hint. */
    static final class HintingFactory {
        private static int made;

        static Account make() {
            count();
            return new Account();
        }

        static synchronized void count() {
            made++;
        }
    }

    /** Nothing to rewrite: its {@code new Account()} has no hint, and the constructor's report walks the stack. */
    static final class PlainFactory {
        static Account make() {
            return new Account();
        }
    }

    @Setup(Level.Trial)
    public void checkPaths() {
        if (!AgentCheck.expectAgentAsStarted("SelfLockingObjects")) {
            return;
        }
        long hints = Engine.stats().constructorHints();
        HintingFactory.make();
        long walks = Engine.stats().constructorWalks();
        PlainFactory.make();
        if (Engine.stats().constructorHints() != hints + 1 || Engine.stats().constructorWalks() != walks + 1) {
            throw new IllegalStateException("SelfLockingObjects: the hinted object was not classed by its hint, or"
                    + " the plain one not by a walk");
        }
    }

    @Benchmark
    public Account hinted() {
        return HintingFactory.make();
    }

    @Benchmark
    public Account walked() {
        return PlainFactory.make();
    }
}
