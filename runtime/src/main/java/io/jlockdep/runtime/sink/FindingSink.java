package io.jlockdep.runtime.sink;

import io.jlockdep.runtime.finding.Finding;

/**
 * Receives every finding (JSON file, JFR, JMX, ...). Called on the thread that found it, outside the graph lock, with
 * the thread marked as running jlockdep's own code so the sink's own locking is not tracked. A sink must return
 * promptly and never take a lock the application could hold; an exception it throws is caught and reported once.
 */
@FunctionalInterface
public interface FindingSink {
    void accept(Finding finding);
}
