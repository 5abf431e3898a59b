/**
 * jlockdep's runtime: the entry points that instrumented code calls and the per-thread tracking behind them.
 *
 * <pre>
 *   instrumented code (application and JDK)
 *        │  monitorEnter / beforeLock / afterUnlock / allocated / site ...
 *        ▼
 *   {@link io.jlockdep.runtime.Hooks}            this package: entry, never throws, never re-enters
 *        │
 *        ▼
 *   {@code Tracker} + {@code ThreadState}         this package: held-lock stack, chain key, chain-cache fast path
 *        │        └─ asks {@link io.jlockdep.runtime.lockclass} which lock class an instance belongs to
 *        ▼ (new chains only)
 *   {@link io.jlockdep.runtime.graph}          the lock-order graph and its checks (cycles, nesting, wait/notify)
 *        │
 *        ▼
 *   {@link io.jlockdep.runtime.report}         builds a {@link io.jlockdep.runtime.finding.Finding} per problem found;
 *        │                                     {@link io.jlockdep.runtime.text} renders it as lockdep's text
 *        ▼  Engine.emit: the one way out
 *   {@link io.jlockdep.runtime.sink}           stderr or out= file, json= file, JMX, Flight Recorder, the history
 *                                              that Lockdep and the JUnit extension read
 * </pre>
 *
 * <p>This package holds everything that runs on every lock operation: {@link io.jlockdep.runtime.Hooks} (whose name
 * the instrumenter bakes into bytecode), {@code Tracker}, {@code ThreadState} and {@code HeldLock}, together with the
 * engine's switches ({@link io.jlockdep.runtime.Engine}, {@link io.jlockdep.runtime.Config}) and the watchdog, which
 * reads what other threads wait for ({@code WaitState}, a sequence lock: the one per-thread state another thread reads
 * consistently; docs/architecture.md has who writes and reads each field, and how it is published). The hooks' names
 * and descriptors are the agent's hook table, checked against {@code Hooks} by a test. They share one package so that
 * the per-thread state stays package-private: the runtime sits on the boot class path, where every public member is
 * visible to every class in the JVM. Other packages get read-only views ({@code ThreadState.depth()},
 * {@code held(i)}, {@code HeldLock.lockClass()}...).
 *
 * <p>The wait-for check lives here too ({@code WaitFor}, and {@code WaitForState}, the per-thread contexts each
 * {@code ThreadState} carries): its hooks run only where a thread waits for an event that is not a lock (a future, a
 * latch, a queue...), produces one, or starts and ends a task; the per-lock path only hands it the acquisitions that
 * take the slow path. Its event classes are in {@link io.jlockdep.runtime.lockclass}.
 *
 * <p>Public API for applications is {@code io.jlockdep.Lockdep} only. Public types here and in the sub-packages are
 * internal: public because another jlockdep package (or the agent) needs them, not for application use, and they may
 * change in any release.
 */
package io.jlockdep.runtime;
