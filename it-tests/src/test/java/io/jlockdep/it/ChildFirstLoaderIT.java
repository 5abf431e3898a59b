package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.it.apps.ChildFirstLoaders;
import io.jlockdep.it.apps.EarlyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes defined by child-first class loaders reach the one runtime on the boot class path, whatever the loader
 * delegates: no NoClassDefFoundError for the runtime, no second copy of it from the loader's own path, the program's
 * output as without the agent, and the inversion its class makes reported.
 */
class ChildFirstLoaderIT {
    private static final String PROGRAM = "left then right\nright then left\n";

    @Test
    void aLoaderThatHandsOnlyTheJdkToItsParentStillReachesTheRuntime() throws Exception {
        for (String loader : new String[] {"two-arg", "one-arg"}) {
            Jvm.Result without = Jvm.withoutAgent().main(ChildFirstLoaders.class, loader, Jvm.TEST_CLASSES).run();
            assertTrue(without.stdout.contains(PROGRAM) && without.stdout.contains("runtime seen by the loader: none"),
                    without::toString);
            Jvm.Result r = Jvm.withAgent(null).main(ChildFirstLoaders.class, loader, Jvm.TEST_CLASSES).run();
            assertChecked(r, loader);
            assertEquals(without.stdout.replace("none", "the boot class path's"), r.stdout, loader + "\n" + r);
        }
    }

    @Test
    void aLoaderWithTheRuntimeOnItsOwnPathDefinesNoSecondCopy() throws Exception {
        for (String loader : new String[] {"two-arg", "one-arg"}) {
            Jvm.Result r = Jvm.withAgent(null)
                    .main(ChildFirstLoaders.class, loader, Jvm.TEST_CLASSES, Jvm.AGENT.toString()).run();
            assertChecked(r, loader);
            assertTrue(r.stdout.contains("runtime seen by the loader: the boot class path's"), loader + "\n" + r);
        }
    }

    @Test
    void aLoaderWhoseClassWasLoadedBeforeTheAgentIsRewrittenToo(@TempDir Path dir) throws Exception {
        // A first agent loads the loader's class; jlockdep, which starts after it, must rewrite it before main.
        Path early = dir.resolve("early-loader.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", EarlyLoader.class.getName());
        new JarOutputStream(Files.newOutputStream(early), manifest).close();
        String loaderClass = ChildFirstLoaders.class.getName() + "$TwoArguments";
        Jvm.Result r = Jvm.withAgent(null).jvmOption("-javaagent:" + early + "=" + loaderClass)
                .main(ChildFirstLoaders.class, "two-arg", Jvm.TEST_CLASSES).run();
        assertTrue(r.stdout.startsWith("loaded before jlockdep: TwoArguments\n"), r::toString);
        assertChecked(r, "two-arg, loaded before the agent");
    }

    private static void assertChecked(Jvm.Result r, String loader) {
        assertEquals(0, r.exitCode, loader + "\n" + r);
        assertTrue(r.stdout.contains(PROGRAM), loader + "\n" + r);
        assertFalse(r.stderr.contains("NoClassDefFoundError") || r.stderr.contains("Exception"), loader + "\n" + r);
        assertEquals(1, r.count(Reports.CIRCULAR), loader + "\n" + r);
        Reports.assertInOrder(r, Reports.CIRCULAR,
                "(Inversion.left){monitor}, at Inversion.run(ChildFirstLoaders.java:",
                "but thread is already holding lock:", "(Inversion.right){monitor}");
    }
}
