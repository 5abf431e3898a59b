/**
 * The global lock-order graph and the checks run on the slow path, for a chain of held locks never validated before:
 * {@link io.jlockdep.runtime.graph.LockGraph} adds dependencies and searches for a path back
 * ({@link io.jlockdep.runtime.graph.PathSearch}); {@link io.jlockdep.runtime.graph.ChainCache} is the lock-free set of
 * validated chains the tracker's fast path reads; {@code Nesting} checks two instances of one class, {@code WaitNotify}
 * waits made while holding a lock. Snapshots ({@link io.jlockdep.runtime.graph.GraphSnapshot}), graphs merged from
 * several JSON files ({@link io.jlockdep.runtime.graph.MergedGraph}) and the lockdep_stats counters live here too.
 *
 * <p>Everything that changes the graph runs under the graph lock, which stays package-private. Internal: public
 * members exist for the tracker, the report builders, the sinks and the offline tools.
 */
package io.jlockdep.runtime.graph;
