package io.jlockdep.agent;

import io.jlockdep.agent.instrument.ShutdownInstrumenter;
import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.ExitCode;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The {@code exit-code} option's part of the agent: rewrites {@code java.lang.Shutdown} (loaded long before premain,
 * so by retransformation) to let {@link ExitCode} choose the JVM's exit status. Installed only when the option is set.
 */
final class ExitCodeTransformer implements ClassFileTransformer {
    private volatile boolean rewritten;
    private volatile String failure;

    private ExitCodeTransformer() {
    }

    /**
     * Returns null when Shutdown now consults ExitCode, else the one-line reason it could not be rewritten. The
     * transformer stays registered, so that a later retransformation of Shutdown (by another agent) keeps the change.
     */
    static String install(Instrumentation inst) {
        ExitCodeTransformer transformer = new ExitCodeTransformer();
        try {
            // Loaded now, not at exit: by then the JVM's delete-on-exit hook may have removed the runtime jar.
            Class.forName(ExitCode.class.getName(), true, null);
            inst.addTransformer(transformer, true);
            inst.retransformClasses(Class.forName("java.lang.Shutdown"));
        } catch (Exception | LinkageError e) {
            transformer.failure = e.toString();
        }
        if (transformer.rewritten) {
            return null;
        }
        inst.removeTransformer(transformer);
        return "cannot rewrite java.lang.Shutdown: " + (transformer.failure != null ? transformer.failure
                : "the JVM did not retransform it");
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        if (loader != null || !ShutdownInstrumenter.TARGET.equals(className)) {
            return null;
        }
        boolean previous = Engine.enterAgentCode();
        try {
            byte[] result = ShutdownInstrumenter.instrument(classFile);
            rewritten = true;
            return result;
        } catch (Throwable t) {
            failure = t.getMessage() != null ? t.getMessage() : t.toString();
            return null;
        } finally {
            Engine.exitAgentCode(previous);
        }
    }
}
