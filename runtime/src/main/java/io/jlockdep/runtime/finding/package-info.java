/**
 * What a report is about, as data: {@link io.jlockdep.runtime.finding.Finding}, its kind, locks, chain and threads.
 * Every sink (text, JSON, JMX, Flight Recorder, the JUnit extension) reads this one model. It holds strings and
 * numbers only, never a lock, a thread or an application class. Public because embedding code and the tools read it.
 */
package io.jlockdep.runtime.finding;
