package io.jlockdep.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlockdep.runtime.lockclass.CodeSite;
import io.jlockdep.runtime.lockclass.Trace;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread's stack read by another thread (the watchdog's {@code Trace.of}) reads like the one the thread walks itself
 * ({@code Trace.capture}, every other report): same frames, same lines, no frame without a source. The thread is
 * reached through a lambda and reflection, whose frames only the other thread's reading would otherwise show. (This
 * test lives outside io.jlockdep.runtime, whose frames the walker leaves out as jlockdep's own.)
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class StacksTest {
    private static final String LABEL = "traced/1";

    @Test
    void anotherThreadsReadingOfAStackMatchesTheThreadsOwnWalk() throws Exception {
        AtomicReference<Trace> own = new AtomicReference<>();
        CountDownLatch captured = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable body = () -> captureThenWait(own, captured, release);
        Method run = Runnable.class.getMethod("run");
        Thread t = new Thread(() -> {
            try {
                run.invoke(body);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }, "traced");
        t.start();
        captured.await();
        while (t.getState() != Thread.State.WAITING) {
            Thread.sleep(1); // it is about to wait on release; the timeout above is only a safety net
        }
        Trace other = Trace.of(t, LABEL);
        release.countDown();
        t.join();

        List<String> walked = below("captureThenWait", own.get());
        List<String> read = below("captureThenWait", other);
        assertEquals(walked, read, "frames under captureThenWait, walked by the thread and read by another");
        assertTrue(walked.size() >= 3, walked.toString()); // the lambdas and Thread.run
        for (String frame : read) {
            assertTrue(frame.matches("[\\w.$]+\\.[\\w$<>]+\\([\\w$]+\\.java:\\d+\\)"), "file and line: " + frame);
        }
    }

    private static void captureThenWait(AtomicReference<Trace> own, CountDownLatch captured, CountDownLatch release) {
        own.set(Trace.capture(LABEL));
        captured.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The frames under the first frame of {@code method}, in their long form. */
    private static List<String> below(String method, Trace trace) {
        List<CodeSite> frames = Arrays.asList(trace.frames);
        int at = 0;
        while (at < frames.size() && !frames.get(at).methodName().equals(method)) {
            at++;
        }
        assertTrue(at < frames.size(), method + " in " + frames);
        List<String> out = new ArrayList<>();
        for (CodeSite f : frames.subList(at + 1, frames.size())) {
            out.add(f.longForm());
        }
        return out;
    }
}
