/**
 * Lock classes, the unit lockdep reasons about, and where they come from: allocation and code sites registered by the
 * instrumenter ({@link io.jlockdep.runtime.lockclass.Sites}), the weak instance-to-class map, a lock's identity, the
 * lock types and modes, captured stacks ({@link io.jlockdep.runtime.lockclass.Trace}) and per-class contention
 * statistics ({@code lockstat=true}).
 *
 * <p>Depends on the runtime's top package only for the engine's switches. Internal: public members exist for the
 * other jlockdep packages and the agent, not for applications.
 */
package io.jlockdep.runtime.lockclass;
