/**
 * Builds findings: reads the reporting thread's held locks, the graph's chain and the captured stacks, and returns a
 * {@link io.jlockdep.runtime.finding.Finding} for each kind of problem, with its text rendered by
 * {@link io.jlockdep.runtime.text.LockdepText}. The check that found it emits it ({@code Engine.emit}). Runs off the hot
 * path only. Internal.
 */
package io.jlockdep.runtime.report;
