package io.jlockdep.runtime.lockclass;

import io.jlockdep.runtime.Engine;
import io.jlockdep.runtime.ThreadState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Maps the objects a thread waits on (tasks, latches, semaphores, queues, threads) to their event classes, and owns
 * the table of event classes. Only followed objects have a class; waits on any other object are not checked:
 * <ul>
 *   <li>a synchronizer allocated in the program's code (not the JDK's) gets the class of its allocation site, named
 *       after the field it is stored into ({@code Service.ready}) or the site ({@code CountDownLatch@Foo.java:12});</li>
 *   <li>a task (a {@code FutureTask}, a {@code CompletableFuture} of {@code supplyAsync/runAsync}) and a thread get the
 *       class of what they run: its type ({@code task RefreshTask}), or for a lambda or method reference, the class
 *       it is written in and where the first task of it was created ({@code task Cache lambda at
 *       Cache.refresh(Cache.java:40)});</li>
 *   <li>the queue of an {@code ExecutorCompletionService} (its tasks' completions, which {@code invokeAny} waits
 *       for too) gets the class of where the program created the service;</li>
 *   <li>a {@code ThreadPoolExecutor} is named after where it was created, for the bounded-pool check.</li>
 * </ul>
 * Instances are held weakly: their state lives in small {@link Source} records that never refer back to them.
 */
public final class EventClasses {
    /** Event classes before jlockdep stops classing new synchronizers (each class holds a few records). */
    static final int MAX_EVENT_CLASSES = 8192;

    private static final Object LOCK = new Object();
    /** Followed instances: a {@link Source} for threads, async tasks and synchronizers, a {@link Pool} for pools. */
    private static final WeakIdentityMap<Object> BY_INSTANCE = new WeakIdentityMap<>();
    private static final Map<String, EventClass> BY_KEY = new HashMap<>();
    private static final ClassValue<TaskType> TASK_TYPES = new TaskTypes();
    /** The shared source of each allocation site of a synchronizer, by allocation id; {@link #UNFOLLOWED} for JDK sites. */
    private static volatile Source[] byAllocation = new Source[64];
    private static final Source UNFOLLOWED = new Source(null, null, null, true);

    private static int count;
    private static boolean capacityReported;

    private EventClasses() {
    }

    /**
     * What jlockdep knows of a followed object: its event classes and, for a task or a thread, what it runs. A shared
     * source stands for every object of an allocation site, or every {@code FutureTask} of a task type; any other is
     * one object's (a thread's, a {@code CompletableFuture}'s async task and the future it completes).
     */
    public static final class Source {
        /** The completion, count, permits or element this object's waiters wait for. */
        final EventClass primary;
        /** A queue's room; null for every other object. */
        final EventClass secondary;
        /** A task's or a thread's: the type of what it runs; else null. */
        final TaskType runs;
        /** Stands for many objects (so tells none apart); see the class comment. */
        final boolean shared;
        /** One object's, for a task: the pool it was handed to (by {@code ThreadPoolExecutor.execute}), or null. */
        volatile Pool pool;
        /** One object's, for a task: whether a thread has started running it. */
        volatile boolean started;

        Source(EventClass primary, EventClass secondary, TaskType runs, boolean shared) {
            this.primary = primary;
            this.secondary = secondary;
            this.runs = runs;
            this.shared = shared;
        }

        /** The event class waiters of {@code type} wait for on this object. */
        public EventClass of(EventType type) {
            return type == EventType.QUEUE_SPACE ? secondary : primary;
        }

        /** The class of the completion (count, permits, element) this object stands for. */
        public EventClass primary() {
            return primary;
        }

        /** Whether this source stands for one object only, which can then be told apart by it. */
        public boolean isOneObjects() {
            return !shared;
        }

        /** A thread starts running the task this one object's source stands for. */
        public void started() {
            if (!shared) {
                started = true;
            }
        }

    }

    /** A {@code ThreadPoolExecutor}, named after where the program created it. Holds the pool weakly. */
    public static final class Pool {
        final int id;
        final String key;
        final String name;
        final CodeSite createdAt;
        private final WeakReference<ThreadPoolExecutor> pool;

        Pool(int id, CodeSite createdAt, ThreadPoolExecutor pool) {
            this.id = id;
            this.createdAt = createdAt;
            this.key = "pool:" + (createdAt == null ? "?" : createdAt.longForm());
            this.name = "pool created at " + (createdAt == null ? "<unknown site>" : createdAt.shortForm());
            this.pool = new WeakReference<>(pool);
        }

        public int id() {
            return id;
        }

        public String key() {
            return key;
        }

        public String name() {
            return name;
        }

        /**
         * Whether {@code task} (with its source) was handed to this pool and no worker has started it: it waits in the
         * queue, or, for an object jlockdep follows one by one, no thread has begun running it.
         */
        public boolean notStarted(Object task, Source source) {
            if (!source.shared) {
                return source.pool == this && !source.started;
            }
            ThreadPoolExecutor p = pool.get();
            return p != null && p.getQueue().contains(task);
        }

        /**
         * Whether every worker this pool may run is running a task: a task queued now waits until one of them ends
         * its own. Never for a pool without a bound.
         */
        public boolean allWorkersBusy() {
            ThreadPoolExecutor p = pool.get();
            int bound = bound();
            return p != null && bound > 0 && p.getActiveCount() >= bound;
        }

        /** Whether this is the pool {@code executor}. */
        public boolean is(Object executor) {
            return executor instanceof ThreadPoolExecutor && pool.refersTo((ThreadPoolExecutor) executor);
        }

        /**
         * How many of its tasks can run at once, or 0 when a new task always gets a thread (no bound). A pool whose
         * queue hands tasks over (a {@code SynchronousQueue}) starts threads up to its maximum; any other queue holds
         * tasks once the core threads are busy, and starts more only when it is full.
         */
        public int bound() {
            ThreadPoolExecutor p = pool.get();
            if (p == null) {
                return 0;
            }
            int bound = p.getQueue() instanceof SynchronousQueue ? p.getMaximumPoolSize() : p.getCorePoolSize();
            return bound == Integer.MAX_VALUE ? 0 : Math.max(1, bound);
        }
    }

    /** The source of a followed object, or null. */
    public static Source sourceOf(Object o) {
        Object v = BY_INSTANCE.get(o);
        if (v instanceof Source) {
            return (Source) v;
        }
        if (o instanceof FutureTask && TaskFields.CALLABLE != null) {
            Object body = TaskFields.CALLABLE.get(o); // null once done: nothing left to wait for
            return body == null ? null : TASK_TYPES.get(unwrapped(body).getClass()).source();
        }
        return null;
    }

    /** What an {@code Executors.callable} adapter runs; anything else is itself. */
    private static Object unwrapped(Object body) {
        if (TaskFields.ADAPTED != null && body.getClass() == TaskFields.ADAPTER) {
            Object task = TaskFields.ADAPTED.get(body);
            return task != null ? task : body;
        }
        return body;
    }

    /** The event class of type {@code type} of a followed object, or null. */
    public static EventClass of(Object o, EventType type) {
        Source s = sourceOf(o);
        return s == null ? null : s.of(type);
    }

    /** The pool {@code executor} is, when jlockdep saw it created; else null. */
    public static Pool poolOf(Object executor) {
        Object v = BY_INSTANCE.get(executor);
        return v instanceof Pool ? (Pool) v : null;
    }

    /**
     * A synchronizer was allocated at an instrumented site: it gets the site's classes, unless the site is in the
     * JDK's own code (the queue inside an executor, the futures a {@code CompletableFuture} chains): those are the
     * JDK's plumbing, and as one class per JDK line they would merge unrelated waits.
     */
    static void registerAllocation(Object synchronizer, AllocationSite site) {
        Source s = allocationSource(site);
        if (s != UNFOLLOWED) {
            BY_INSTANCE.putNew(synchronizer, s);
        }
    }

    private static Source allocationSource(AllocationSite site) {
        Source[] table = byAllocation;
        Source s = site.id < table.length ? table[site.id] : null;
        if (s != null) {
            return s;
        }
        synchronized (LOCK) {
            table = byAllocation;
            if (site.id >= table.length) {
                table = java.util.Arrays.copyOf(table, Math.max(site.id + 1, table.length * 2));
            }
            s = table[site.id];
            if (s == null) {
                s = newAllocationSource(site);
                table[site.id] = s;
                byAllocation = table;
            }
            return s;
        }
    }

    /** Called with {@link #LOCK} held. */
    private static Source newAllocationSource(AllocationSite site) {
        if (site.site == null || isJdkClass(site.site.className())) {
            return UNFOLLOWED;
        }
        EventClass primary = register(site.key, site.name, site.eventType, site.site);
        EventClass secondary = site.eventType == EventType.QUEUE_ELEMENT
                ? register(site.key + "#space", site.name, EventType.QUEUE_SPACE, site.site) : null;
        return primary == null ? UNFOLLOWED : new Source(primary, secondary, null, true);
    }

    /**
     * A task or a thread was created: {@code task} is the object that runs ({@code FutureTask}, a
     * {@code CompletableFuture}'s async task, a {@code Thread}), {@code future} the one waiters wait on (the same
     * object, or the {@code CompletableFuture} the async task completes), {@code body} what it runs (null for a thread
     * subclass, which runs itself). A constructor that delegates to another reports again: the first wins. A
     * {@code FutureTask} is only named here (its lambda, on the first one); it is classed by its callable when needed.
     */
    public static void taskCreated(ThreadState ts, Object task, Object future, Object body) {
        boolean thread = task instanceof Thread;
        TaskType runs = typeOf(body != null ? body : task);
        EventClass c = runs.eventClass(thread ? EventType.THREAD_END : EventType.TASK, ts);
        if (c == null || (task instanceof FutureTask && TaskFields.CALLABLE != null) || BY_INSTANCE.get(task) != null) {
            return;
        }
        Source s = new Source(c, null, runs, false);
        BY_INSTANCE.putNew(task, s);
        if (future != task) {
            BY_INSTANCE.put(future, s);
        }
    }

    /** What {@code body} runs: the type of the task it is or wraps (a followed task, an adapter), else its own type. */
    private static TaskType typeOf(Object body) {
        Object inner = unwrapped(body);
        if (inner instanceof FutureTask && TaskFields.CALLABLE != null) {
            Object callable = TaskFields.CALLABLE.get(inner);
            if (callable != null) {
                inner = unwrapped(callable);
            }
        } else {
            Object known = BY_INSTANCE.get(inner);
            if (known instanceof Source && ((Source) known).runs != null) {
                return ((Source) known).runs;
            }
        }
        return TASK_TYPES.get(inner.getClass());
    }

    /** A {@code ThreadPoolExecutor} was created (its constructors delegate: the first report wins). */
    public static void poolCreated(ThreadPoolExecutor pool, ThreadState ts) {
        if (BY_INSTANCE.get(pool) != null) {
            return;
        }
        CodeSite at = firstOutsideJdk(Trace.capture(ts.threadLabel()), null);
        int id;
        synchronized (LOCK) {
            id = ++count;
        }
        BY_INSTANCE.putNew(pool, new Pool(id, at, pool));
    }

    /**
     * An {@code ExecutorCompletionService} was created: its queue, where the futures of its tasks arrive as they
     * complete (what its {@code take} and {@code poll} wait for), gets the class of the place where the program created
     * the service, unless it is the program's own queue and followed already. A service the JDK creates for itself is
     * named after the program's call that led there: {@code invokeAny} creates one per call.
     */
    public static void completionQueueCreated(Object queue, ThreadState ts) {
        if (BY_INSTANCE.get(queue) != null) {
            return;
        }
        CodeSite at = firstOutsideJdk(Trace.capture(ts.threadLabel()), null);
        if (at == null) {
            return; // the JDK's own business from end to end
        }
        EventClass c = register("completions:" + at.longForm(), "completions of " + at.shortForm(),
                EventType.QUEUE_ELEMENT, at);
        if (c != null) {
            BY_INSTANCE.putNew(queue, new Source(c, null, null, true));
        }
    }

    /**
     * A task was handed to a pool: an object followed one by one (a {@code CompletableFuture}'s async task) remembers
     * the pool; a {@code FutureTask} is found in the pool's queue when needed.
     */
    public static void submitted(Object executor, Object task) {
        Pool p = poolOf(executor);
        if (p == null) {
            return;
        }
        Object v = BY_INSTANCE.get(task);
        if (v instanceof Source && !((Source) v).shared) {
            ((Source) v).pool = p;
        }
    }

    /** Finds or creates the event class with this key; null once {@link #MAX_EVENT_CLASSES} is reached. */
    static EventClass register(String key, String name, EventType type, CodeSite declaredAt) {
        synchronized (LOCK) {
            EventClass c = BY_KEY.get(key);
            if (c != null) {
                return c;
            }
            if (BY_KEY.size() >= MAX_EVENT_CLASSES) {
                if (!capacityReported) {
                    capacityReported = true;
                    Engine.message("MAX_EVENT_CLASSES too low (" + MAX_EVENT_CLASSES
                            + "), waits on further tasks and synchronizers are not checked");
                }
                return null;
            }
            c = new EventClass(++count, key, name, type, declaredAt);
            BY_KEY.put(key, c);
            return c;
        }
    }

    public static List<EventClass> all() {
        synchronized (LOCK) {
            return new ArrayList<>(BY_KEY.values());
        }
    }

    /**
     * A {@code FutureTask}'s callable, and what {@code Executors.callable} wraps: read to class a task when it is
     * waited for or run, rather than mapping every task when it is created (tasks come by the million). Null when
     * {@code java.util.concurrent} is not open to the runtime (the agent opens it before {@code Engine.warmUp}
     * initializes this class): tasks are then mapped when created.
     */
    public static final class TaskFields {
        static final VarHandle CALLABLE = field(FutureTask.class, "callable");
        static final Class<?> ADAPTER = adapterClass();
        static final VarHandle ADAPTED = ADAPTER == null ? null : field(ADAPTER, "task");

        private TaskFields() {
        }

        private static VarHandle field(Class<?> owner, String name) {
            try {
                java.lang.reflect.Field f = owner.getDeclaredField(name);
                return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).unreflectVarHandle(f);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private static Class<?> adapterClass() {
            try {
                return Class.forName("java.util.concurrent.Executors$RunnableAdapter", false, null);
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }
    }

    /** A class of the JDK (or its implementation), whose own synchronizers and tasks are its own business. */
    public static boolean isJdkClass(String className) {
        return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
    }

    /**
     * The first frame outside the JDK (a captured stack has no frame of jlockdep's own): where the program called the
     * JDK. With {@code preferred}, the
     * first frame of that class when there is one (a lambda's submission, from the class it is written in).
     */
    public static CodeSite firstOutsideJdk(Trace trace, String preferred) {
        CodeSite first = null;
        for (CodeSite f : trace.frames) {
            if (preferred != null && f.className().equals(preferred)) {
                return f;
            }
            if (first == null && !isJdkClass(f.className())) {
                first = f;
                if (preferred == null) {
                    return f;
                }
            }
        }
        return first;
    }

    /**
     * The name a task or thread type gives its event classes. A named type is its own name; a lambda or method
     * reference (a hidden class, numbered anew in every run) is the class it is written in and the place that first
     * created a task of it, found on the creating thread's stack once per lambda.
     */
    private static final class TaskType {
        private final String className;
        /** For a lambda or method reference: the class it is written in; else null. */
        private final String host;
        private String key;
        private String name;
        private CodeSite site;
        private volatile EventClass task;
        private volatile EventClass threadEnd;
        /** The source every {@code FutureTask} of this type shares, once named. */
        private volatile Source futures;

        TaskType(String className, String host) {
            this.className = className;
            this.host = host;
        }

        /** The shared source of this type's {@code FutureTask}s (named when the first was created). */
        Source source() {
            Source s = futures;
            if (s == null) {
                EventClass c = task;
                if (c == null) {
                    return null; // created before jlockdep started: not named, not followed
                }
                s = new Source(c, null, this, true);
                futures = s;
            }
            return s;
        }

        /** The class of this type's tasks or threads; the first call for a lambda finds where it is created. */
        EventClass eventClass(EventType type, ThreadState ts) {
            EventClass c = type == EventType.THREAD_END ? threadEnd : task;
            if (c != null) {
                return c;
            }
            synchronized (this) {
                if (key == null) {
                    name(ts);
                }
            }
            boolean thread = type == EventType.THREAD_END;
            c = register((thread ? "thread:" : "task:") + key, (thread ? "thread " : "task ") + name, type, site);
            if (thread) {
                threadEnd = c;
            } else {
                task = c;
            }
            return c;
        }

        private void name(ThreadState ts) {
            if (host == null) {
                key = className;
                name = Sites.simpleName(className);
                return;
            }
            site = firstOutsideJdk(Trace.capture(ts.threadLabel()), host);
            key = host + "$$Lambda@" + (site == null ? "?" : site.longForm());
            name = Sites.simpleName(host) + " lambda at " + (site == null ? "<unknown site>" : site.shortForm());
        }
    }

    private static final class TaskTypes extends ClassValue<TaskType> {
        @Override
        protected TaskType computeValue(Class<?> type) {
            String className = type.getName();
            int lambda = className.indexOf("$$Lambda");
            return new TaskType(className, type.isHidden() && lambda >= 0 ? className.substring(0, lambda) : null);
        }
    }

    /** Forgets every record of every class (the between-cases reset); classes and followed objects stay. */
    public static void resetRecords() {
        synchronized (LOCK) {
            for (EventClass c : BY_KEY.values()) {
                c.needs = EventClass.NO_NEEDS;
                c.waiters = EventClass.NO_WAITERS;
            }
        }
    }
}
