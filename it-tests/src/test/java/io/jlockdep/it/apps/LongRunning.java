package io.jlockdep.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A service stand-in for JMX: takes two locks in both orders (one finding), then holds a third while it waits for a
 * line on standard input, so that a console sees a finding and a thread holding a lock.
 */
public final class LongRunning {
    static final ReentrantLock CONFIG = new ReentrantLock();
    static final ReentrantLock CACHE = new ReentrantLock();
    static final ReentrantLock SESSION = new ReentrantLock();

    public static void main(String[] args) throws Exception {
        TwoLockOrders.main(new String[] {"monitor"});
        CONFIG.lock();
        CACHE.lock();
        CACHE.unlock();
        CONFIG.unlock();
        SESSION.lock();
        try {
            System.out.println("ready");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } finally {
            SESSION.unlock();
        }
        System.out.println("bye");
    }
}
