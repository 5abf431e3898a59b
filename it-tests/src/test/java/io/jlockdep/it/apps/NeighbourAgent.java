package io.jlockdep.it.apps;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Another agent built the way most are, with Byte Buddy's AgentBuilder: it retransforms a JDK class loaded before it
 * started ({@code Vector}, whose methods are synchronized) and transforms an application class as it loads
 * ({@link TwoLockOrders}), both with advice that marks a system property. Run beside jlockdep, in either order.
 */
public final class NeighbourAgent {
    private NeighbourAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .ignore(net.bytebuddy.matcher.ElementMatchers.none())
                .type(named("java.util.Vector"))
                .transform((builder, type, loader, module, domain) ->
                        builder.visit(Advice.to(VectorAdvice.class).on(named("addElement"))))
                .type(named(TwoLockOrders.class.getName()))
                .transform((builder, type, loader, module, domain) ->
                        builder.visit(Advice.to(AppAdvice.class).on(named("monitors"))))
                .installOn(inst);
    }

    /** Inlined into java.util.Vector: may use only what the boot loader sees. */
    static final class VectorAdvice {
        @Advice.OnMethodEnter
        static void enter() {
            System.setProperty("neighbour.vector", "advised");
        }
    }

    static final class AppAdvice {
        @Advice.OnMethodEnter
        static void enter() {
            System.setProperty("neighbour.app", "advised");
        }
    }
}
