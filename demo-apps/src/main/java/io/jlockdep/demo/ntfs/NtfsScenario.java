package io.jlockdep.demo.ntfs;

import io.jlockdep.demo.Deadlock;
import io.jlockdep.demo.Meeting;
import io.jlockdep.demo.Scenario;

/**
 * The reference lockdep splat in Java. One thread maps file A (mmap lock, then A's inode lock), later it writes file
 * B from a buffer that is not yet paged in (B's inode lock by trylock, then the mmap lock in the page fault). Nothing
 * hangs and the two inodes are different objects, yet the two orders can deadlock: a thread mapping B while another
 * writes to B each hold the lock the other wants. Only lock classes (every inode's iRwsem is one class) show it.
 */
public final class NtfsScenario implements Scenario {
    private static final long USER_BUFFER = 0x2000_0000_0000L;

    @Override
    public String name() {
        return "ntfs";
    }

    @Override
    public String description() {
        return "the reference lockdep report: ntfs3 inode lock (trylock on write) vs mmap lock (page fault)";
    }

    @Override
    public void run() {
        Ntfs.SuperBlock sb = new Ntfs.SuperBlock();
        Ntfs.AddressSpace mm = new Ntfs.AddressSpace();
        Ntfs.Inode fileA = new Ntfs.Inode(sb);
        Ntfs.Inode fileB = new Ntfs.Inode(sb);

        fileA.mmap(mm, Meeting.NONE);
        System.out.println("mmap(file A): mmapLock, then A.iRwsem");
        int written = fileB.write(mm, USER_BUFFER, 0x140, Meeting.NONE);
        System.out.println("pwrite(file B) wrote " + written + " bytes: B.iRwsem (trylock), then mmapLock in the page fault");
        System.out.println("done: no thread blocked, yet the two orders can deadlock");
    }

    /** One thread maps file B while another writes it: each holds the lock the other needs next. */
    @Override
    public void runIntoDeadlock(long waitMillis) throws InterruptedException {
        Ntfs.SuperBlock sb = new Ntfs.SuperBlock();
        Ntfs.AddressSpace mm = new Ntfs.AddressSpace();
        Ntfs.Inode fileB = new Ntfs.Inode(sb);
        Deadlock deadlock = new Deadlock(2, waitMillis);
        deadlock.thread("mmap", () -> fileB.mmap(mm, deadlock.meeting()));
        deadlock.thread("pwrite", () -> fileB.write(mm, USER_BUFFER, 0x140, deadlock.meeting()));
        System.out.println("mmap(file B) holds mmapLock and wants B.iRwsem; pwrite(file B) holds B.iRwsem and faults"
                + " on mmapLock");
        deadlock.startAndAwaitDeadlock();
    }
}
