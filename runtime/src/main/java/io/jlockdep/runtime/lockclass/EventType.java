package io.jlockdep.runtime.lockclass;

/**
 * What a thread can wait for besides a lock: each event class has one type. The type says how its events are waited
 * for and how they are produced, as a report names them ({@code get} of a {@code Future}, {@code countDown} of a
 * {@code CountDownLatch}...).
 */
public enum EventType {
    /** A task's completion: a {@code FutureTask}, a {@code CompletableFuture} run by {@code supplyAsync/runAsync}. */
    TASK("Future", "get", "complete"),
    /** A {@code CompletableFuture} the program completes itself ({@code complete}, {@code completeExceptionally}). */
    FUTURE("CompletableFuture", "get", "complete"),
    LATCH("CountDownLatch", "await", "countDown"),
    SEMAPHORE("Semaphore", "acquire", "release"),
    /** An element in a blocking queue: {@code take}/{@code poll(timeout)} wait for it, {@code put}/{@code offer} add it. */
    QUEUE_ELEMENT("BlockingQueue element", "take", "put"),
    /** Room in a bounded blocking queue: {@code put}/{@code offer(timeout)} wait for it, {@code take}/{@code poll} make it. */
    QUEUE_SPACE("BlockingQueue space", "put", "take"),
    /** A thread's end: {@code Thread.join} waits for it. */
    THREAD_END("Thread", "join", "end"),
    /** A {@code CyclicBarrier}'s trip: each party's {@code await} arrives, then waits for the others. */
    BARRIER("CyclicBarrier", "await", "await"),
    /** A {@code Phaser}'s advance: {@code arrive} produces it, {@code awaitAdvance} waits for it. */
    PHASER("Phaser", "awaitAdvance", "arrive");

    // The codes the wait and event hooks take, which the agent bakes into the JDK's rewritten methods: the ordinals.
    public static final int CODE_TASK = 0;
    public static final int CODE_FUTURE = 1;
    public static final int CODE_LATCH = 2;
    public static final int CODE_SEMAPHORE = 3;
    public static final int CODE_QUEUE_ELEMENT = 4;
    public static final int CODE_QUEUE_SPACE = 5;
    public static final int CODE_THREAD_END = 6;
    public static final int CODE_BARRIER = 7;
    public static final int CODE_PHASER = 8;

    private static final EventType[] BY_CODE = values();

    /** The type a hook's code stands for. */
    public static EventType ofCode(int code) {
        return BY_CODE[code];
    }

    private final String displayName;
    private final String waitVerb;
    private final String produceVerb;

    EventType(String displayName, String waitVerb, String produceVerb) {
        this.displayName = displayName;
        this.waitVerb = waitVerb;
        this.produceVerb = produceVerb;
    }

    /** As an event line shows it: {@code (Service.ready){CountDownLatch}}. */
    public String displayName() {
        return displayName;
    }

    /** The call that waits: {@code get}, {@code await}, {@code take}... */
    public String waitVerb() {
        return waitVerb;
    }

    /** The call (or what happens) that produces the event: {@code countDown}, {@code release}... */
    public String produceVerb() {
        return produceVerb;
    }

    /**
     * The type of synchronizer objects allocated as {@code internalName} that jlockdep classes by allocation site, or
     * null. A queue is of type {@link #QUEUE_ELEMENT}; its room is the second event class of the same site.
     */
    static EventType ofAllocatedType(String internalName) {
        switch (internalName) {
            case "java/util/concurrent/CountDownLatch":
                return LATCH;
            case "java/util/concurrent/Semaphore":
                return SEMAPHORE;
            case "java/util/concurrent/CyclicBarrier":
                return BARRIER;
            case "java/util/concurrent/Phaser":
                return PHASER;
            case "java/util/concurrent/CompletableFuture":
                return FUTURE;
            case "java/util/concurrent/LinkedBlockingQueue":
            case "java/util/concurrent/ArrayBlockingQueue":
            case "java/util/concurrent/LinkedBlockingDeque":
            case "java/util/concurrent/PriorityBlockingQueue":
            case "java/util/concurrent/LinkedTransferQueue":
                return QUEUE_ELEMENT;
            default:
                return null;
        }
    }
}
