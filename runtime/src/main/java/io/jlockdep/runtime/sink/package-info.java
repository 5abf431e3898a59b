/**
 * Where findings and the graph go: standard error or the {@code out=} file ({@link io.jlockdep.runtime.sink.Output}),
 * the {@code json=} file ({@link io.jlockdep.runtime.sink.JsonFile}), the JMX MXBean
 * ({@link io.jlockdep.runtime.sink.LockdepMXBean}), Flight Recorder events, the history of recent findings that
 * {@code Lockdep} and the JUnit extension read, and the graph as JSON or DOT. Sinks read the finding model and graph
 * snapshots; only the MXBean also lists each live thread's held locks. Internal, except the MXBean interface.
 */
package io.jlockdep.runtime.sink;
