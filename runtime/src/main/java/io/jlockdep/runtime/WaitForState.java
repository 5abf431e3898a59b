package io.jlockdep.runtime;

import io.jlockdep.runtime.lockclass.EventClass;
import io.jlockdep.runtime.lockclass.EventClasses;
import io.jlockdep.runtime.lockclass.LockClass;
import io.jlockdep.runtime.lockclass.Mode;

/**
 * One thread's side of the wait-for check (see {@link WaitFor}): the contexts it runs in and the locks it took in the
 * innermost one. The event a wait waits for, which the watchdog reads, is in {@link WaitState} with the lock waits.
 *
 * <p>Concurrency: only the owning thread writes, with plain stores, and reads plainly. The watchdog reads the contexts
 * ({@link #frames}, {@link #frameSource}) of another thread racily, to tell which thread runs an awaited task: only of
 * a thread it has seen stuck in the same wait for its whole limit, which has changed nothing here since the release
 * that published that wait, and whose publication the watchdog read (acquire) first (see {@code ThreadState}). A
 * reference or an int never tears; a frame seen half-written names no task the watchdog looks for.
 *
 * <p>A context is what the thread is doing towards an event: running a task (whose completion is the event), or, at the
 * bottom, its own life (whose end {@code Thread.join} waits for). The locks a thread takes in a context are needed
 * before that context's event; the locks it took since its innermost context began (in it, or in the tasks that
 * context ran), or since it last returned from a wait (which is where it started working towards whatever it produces
 * next), are needed before any event it produces.
 */
final class WaitForState {
    /** Innermost contexts kept; deeper nesting (tasks run inside tasks inside tasks...) is not followed. */
    static final int MAX_FRAMES = 8;
    /** Distinct lock classes remembered per context; more are not counted for the events it produces. */
    static final int MAX_ENTRIES = 64;

    // The contexts, bottom first: the object that runs (a task, or null for the thread's own life), its source (null
    // when it is not followed), where its entries start, and whether its event already happened.
    final Object[] frameTask = new Object[MAX_FRAMES];
    final EventClasses.Source[] frameSource = new EventClasses.Source[MAX_FRAMES];
    final int[] frameStart = new int[MAX_FRAMES];
    final boolean[] frameDone = new boolean[MAX_FRAMES];
    int frames;
    /** Contexts begun past {@link #MAX_FRAMES} and not yet ended. */
    int untrackedFrames;

    // The locks taken (blocking) in the contexts, innermost last: class, instance, mode and code site.
    LockClass[] entryClass = new LockClass[4];
    Object[] entryInstance = new Object[4];
    int[] entryMode = new int[4];
    int[] entrySite = new int[4];
    int entries;

    /** Needs a task's acquisitions buffer before they are published to the event classes' records in one batch. */
    static final int MAX_PENDING = 64;

    // The buffered needs (see WaitFor): locks taken (blocking) in a task, needed for the event of every context the
    // thread is in, whose event classes already have a record of the lock's class. Allocated on the first one, then
    // reused; an instance at most once. Written by the owning thread only; another thread (a waiter looking for
    // needs not yet published) reads them holding WaitFor's lock, after reading pending.
    LockClass[] pendingClass;
    Object[] pendingInstance;
    /**
     * How many needs are buffered. Volatile: the owning thread writes it after each entry, before it reads the
     * waiters of the event classes; a waiter reads it after registering itself (see WaitFor.buffered). Only the
     * owning thread, holding WaitFor's lock, sets it back to 0 (publish), then clears the entries; the contexts ({@link #frames},
     * {@link #frameSource}, {@link #frameDone}) change only while it is 0.
     */
    volatile int pending;

    /** Nesting of wait methods (a deque's {@code take} calls {@code takeFirst}): only the outermost counts. */
    int waitDepth;

    /** The {@code ThreadPoolExecutor} this thread is a worker of, or null. */
    Object pool;

    /** A thread's state: its own life is its bottom context, followed when the thread was created while checking. */
    WaitForState(Thread thread) {
        EventClasses.Source self = EventClasses.sourceOf(thread);
        frameTask[0] = null;
        frameSource[0] = self;
        frames = 1;
    }

    EventClass frameClass(int f) {
        EventClasses.Source s = frameSource[f];
        return s == null || frameDone[f] ? null : s.primary();
    }

    /** Begins a context: the thread starts running {@code task}. */
    void push(Object task, EventClasses.Source source) {
        if (frames == MAX_FRAMES) {
            untrackedFrames++;
            return;
        }
        frameTask[frames] = task;
        frameSource[frames] = source;
        frameStart[frames] = entries;
        frameDone[frames] = false;
        frames++;
    }

    /**
     * Ends the context of {@code task} (and any left open inside it); returns whether one ended. Inside another task,
     * the locks taken in it stay, as that task's: they were taken since it began, so what it produces next needs them
     * too (a completion service's queue gets a task's future after the task has run). Back in the thread's own code
     * they are forgotten: a pool's worker, or a thread that ran a task for someone else, goes on to unrelated work.
     */
    boolean pop(Object task) {
        if (untrackedFrames > 0) {
            untrackedFrames--;
            return false;
        }
        for (int f = frames - 1; f >= 1; f--) {
            if (frameTask[f] == task) {
                if (f == 1) {
                    truncate(frameStart[f]);
                }
                for (int g = f; g < frames; g++) {
                    frameTask[g] = null;
                    frameSource[g] = null;
                }
                frames = f;
                return true;
            }
        }
        return false;
    }

    /**
     * The result of {@code future} (with its source) is in: locks taken from now on in the context that produced it
     * (the task itself, or an async task completing it) are no longer needed for it.
     */
    void done(Object future, EventClasses.Source source) {
        for (int f = frames - 1; f >= 0; f--) {
            if (runs(f, future, source)) {
                frameDone[f] = true;
            }
        }
    }

    /** Whether context {@code f} is the run of {@code task} (or of the async task that completes it). */
    boolean runs(int f, Object task, EventClasses.Source source) {
        return frameTask[f] == task
                || (source != null && source.isOneObjects() && frameSource[f] == source);
    }

    /** Where the innermost context's entries begin. */
    int innermostStart() {
        return frameStart[frames - 1];
    }

    /** Records a blocking acquisition in the innermost context, once per lock (a write counts over a read). */
    void addEntry(LockClass c, Object instance, int mode, int site) {
        for (int i = innermostStart(); i < entries; i++) {
            if (entryInstance[i] == instance) {
                if (mode == Mode.EXCLUSIVE && entryMode[i] != Mode.EXCLUSIVE) {
                    entryMode[i] = mode;
                    entrySite[i] = site;
                }
                return;
            }
        }
        if (entries == MAX_ENTRIES) {
            return;
        }
        if (entries == entryClass.length) {
            int n = Math.min(MAX_ENTRIES, entries * 2);
            entryClass = java.util.Arrays.copyOf(entryClass, n);
            entryInstance = java.util.Arrays.copyOf(entryInstance, n);
            entryMode = java.util.Arrays.copyOf(entryMode, n);
            entrySite = java.util.Arrays.copyOf(entrySite, n);
        }
        entryClass[entries] = c;
        entryInstance[entries] = instance;
        entryMode[entries] = mode;
        entrySite[entries] = site;
        entries++;
    }

    /**
     * Buffers the need of {@code instance} (of class {@code c}), unless buffered already; returns false, having
     * buffered nothing, when the buffer is full.
     */
    boolean buffer(LockClass c, Object instance) {
        int n = pending;
        if (pendingInstance == null) {
            pendingClass = new LockClass[MAX_PENDING];
            pendingInstance = new Object[MAX_PENDING];
        }
        for (int i = 0; i < n; i++) {
            if (pendingInstance[i] == instance) {
                return true;
            }
        }
        if (n == MAX_PENDING) {
            return false;
        }
        pendingClass[n] = c;
        pendingInstance[n] = instance;
        pending = n + 1;
        return true;
    }

    /** Forgets the locks the buffered needs named, once they were published and {@link #pending} set to 0. */
    void clearPending() {
        for (int i = 0; i < MAX_PENDING && pendingInstance[i] != null; i++) {
            pendingClass[i] = null;
            pendingInstance[i] = null;
        }
    }

    /** Whether one of the thread's contexts works towards an event of class {@code e} (and has not produced it). */
    boolean worksTowards(EventClass e) {
        for (int f = 0; f < frames; f++) {
            if (frameClass(f) == e) {
                return true;
            }
        }
        return false;
    }

    /** Forgets the entries from {@code from} on, and the locks they name. */
    private void truncate(int from) {
        for (int i = from; i < entries; i++) {
            entryInstance[i] = null;
        }
        entries = Math.min(entries, from);
    }

    /** The thread returned from a wait: what it produces next, it works towards from here. */
    void cut() {
        truncate(innermostStart());
    }
}
