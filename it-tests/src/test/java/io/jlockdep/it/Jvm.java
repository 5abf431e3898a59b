package io.jlockdep.it;

import com.sun.tools.attach.VirtualMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Starts a real JVM (the same JDK that runs the tests) with the built agent, and collects what it prints. */
final class Jvm {
    static final Path AGENT = Paths.get(System.getProperty("jlockdep.agent.jar", "../agent/target/jlockdep-agent.jar"))
            .toAbsolutePath().normalize();
    static final Path DEMOS = Paths.get(System.getProperty("jlockdep.demos.jar", "../demo-apps/target/jlockdep-demos.jar"))
            .toAbsolutePath().normalize();
    static final String TEST_CLASSES = System.getProperty("jlockdep.test.classes", "target/test-classes");
    static final Path JAVA = Paths.get(System.getProperty("java.home"), "bin", "java");

    private final List<String> command = new ArrayList<>();
    /**
     * Environment variables set for the JVM. The agent's default cache directory is $XDG_CACHE_HOME/jlockdep: the
     * tests' JVMs share one under target/ rather than the user's home.
     */
    private final java.util.Map<String, String> environment = new java.util.HashMap<>(java.util.Map.of("XDG_CACHE_HOME",
            Paths.get("target", "agent-cache").toAbsolutePath().toString()));
    private Duration timeout = Duration.ofSeconds(60);

    private Jvm() {
        command.add(JAVA.toString());
    }

    /** A JVM with the agent and these options (null for none). */
    static Jvm withAgent(String options) {
        return withAgentJar(AGENT, options);
    }

    /** A JVM with this copy of the agent jar and these options (null for none). */
    static Jvm withAgentJar(Path agentJar, String options) {
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalStateException("agent jar not built: " + agentJar);
        }
        Jvm jvm = new Jvm();
        jvm.command.add("-javaagent:" + agentJar + (options == null ? "" : "=" + options));
        return jvm;
    }

    static Jvm withoutAgent() {
        return new Jvm();
    }

    /** Runs a main class of the it-tests' own test classes. */
    Jvm main(Class<?> mainClass, String... args) {
        command.add("-cp");
        command.add(TEST_CLASSES);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return this;
    }

    /** Runs a main class found on these class path entries. */
    Jvm main(String mainClass, List<String> classpath, String... args) {
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath));
        command.add(mainClass);
        command.addAll(List.of(args));
        return this;
    }

    /** Runs the demo jar. */
    Jvm demo(String... args) {
        command.add("-jar");
        command.add(DEMOS.toString());
        command.addAll(List.of(args));
        return this;
    }

    /** Runs {@code java -jar <jar> args...}, such as the agent jar's tools. */
    Jvm jar(Path jar, String... args) {
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return this;
    }

    Jvm jvmOption(String option) {
        command.add(1, option);
        return this;
    }

    /** Sets an environment variable of the JVM; a null value removes it. */
    Jvm env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    private ProcessBuilder processBuilder() {
        ProcessBuilder pb = new ProcessBuilder(command);
        for (java.util.Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getValue() == null) {
                pb.environment().remove(e.getKey());
            } else {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        return pb;
    }

    Jvm timeout(Duration d) {
        this.timeout = d;
        return this;
    }

    /** Starts it and returns at once; for tests that talk to the running program (dynamic attach). */
    Running start() throws IOException {
        Process p = processBuilder().start();
        return new Running(this, p, new Drain(p.getInputStream()), new Drain(p.getErrorStream()));
    }

    /** A program started with {@link #start}. */
    static final class Running {
        private final Jvm jvm;
        final Process process;
        private final Drain out;
        private final Drain err;

        private Running(Jvm jvm, Process process, Drain out, Drain err) {
            this.jvm = jvm;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Waits (up to the JVM's timeout) until standard output shows {@code text}. */
        void awaitStdout(String text) throws InterruptedException {
            long deadline = System.nanoTime() + jvm.timeout.toNanos();
            while (!out.text().contains(text)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("expected [" + text + "] on standard output\n" + finish());
                }
                Thread.sleep(20);
            }
        }

        /** Loads this agent jar into the running program through the Attach API, as {@code VirtualMachine} users do. */
        void loadAgent(Path agentJar, String options) throws Exception {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
            try {
                vm.loadAgent(agentJar.toString(), options);
            } finally {
                vm.detach();
            }
        }

        /** Sends one line to the program's standard input. */
        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        /** Waits for the program to end (killing it at the timeout) and returns what it printed. */
        Result finish() throws InterruptedException {
            boolean ended = process.waitFor(jvm.timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            out.join();
            err.join();
            return new Result(jvm.command, process.exitValue(), out.text(), err.text(), !ended, false);
        }
    }

    /** Runs to completion (or kills it at the timeout, which fails the run). */
    Result run() throws IOException, InterruptedException {
        return run(null);
    }

    /**
     * Runs until it exits, or until {@code stopWhen} holds for what standard error shows so far; then kills it. Used
     * for programs that really deadlock.
     */
    Result run(Predicate<String> stopWhen) throws IOException, InterruptedException {
        Process p = processBuilder().redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean stoppedByUs = false;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (stopWhen != null && stopWhen.test(err.text())) {
                stoppedByUs = true;
                break;
            }
            p.waitFor(50, TimeUnit.MILLISECONDS);
        }
        boolean timedOut = p.isAlive() && !stoppedByUs;
        if (p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        out.join();
        err.join();
        return new Result(command, p.exitValue(), out.text(), err.text(), timedOut, stoppedByUs);
    }

    static final class Result {
        final List<String> command;
        final int exitCode;
        final String stdout;
        final String stderr;
        final boolean timedOut;
        final boolean killedAfterMatch;

        Result(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut, boolean killed) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.timedOut = timedOut;
            this.killedAfterMatch = killed;
        }

        /** Number of times a header appears in standard error. */
        int count(String header) {
            int n = 0;
            for (int at = stderr.indexOf(header); at >= 0; at = stderr.indexOf(header, at + 1)) {
                n++;
            }
            return n;
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit: " + exitCode + (timedOut ? " (timed out)" : "")
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
