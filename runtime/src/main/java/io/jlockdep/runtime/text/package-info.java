/**
 * lockdep's text: {@link io.jlockdep.runtime.text.LockdepText} renders a {@link io.jlockdep.runtime.finding.Finding}
 * section by section as the kernel's lockdep prints it. It reads the finding model only (never a thread, a lock or the
 * graph), so a finding merged from files renders like a live one. Internal.
 */
package io.jlockdep.runtime.text;
