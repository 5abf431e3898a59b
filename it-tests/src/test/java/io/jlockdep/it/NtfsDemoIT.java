package io.jlockdep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Quick start: the reference splat, in Java, under the agent. */
class NtfsDemoIT {

    @Test
    void ntfsDemoPrintsTheReferenceReportSectionBySection() throws Exception {
        Jvm.Result r = Jvm.withAgent(null).demo("ntfs").run();
        assertEquals(0, r.exitCode, r::toString);
        assertTrue(r.stdout.contains("done: no thread blocked"), r::toString);
        assertEquals(1, r.count(Reports.CIRCULAR), r::toString);
        Reports.assertInOrder(r, Reports.CIRCULAR_SECTIONS);
        Reports.assertInOrder(r,
                "main/", " is trying to acquire lock:\n",
                "(AddressSpace.mmapLock){ReentrantReadWriteLock write}, at AddressSpace.pageFault(Ntfs.java:",
                "but thread is already holding lock:\n",
                "(Inode.iRwsem){ReentrantReadWriteLock write}, at Inode.write(Ntfs.java:",
                "-> #1 (Inode.iRwsem){ReentrantReadWriteLock write}:\n",
                "io.jlockdep.demo.ntfs.Ntfs$Inode.mmap(Ntfs.java:",
                "-> #0 (AddressSpace.mmapLock){ReentrantReadWriteLock write}:\n",
                "io.jlockdep.demo.ntfs.Ntfs$AddressSpace.pageFault(Ntfs.java:",
                "io.jlockdep.demo.ntfs.Ntfs$Inode.write(Ntfs.java:",
                "  lock(Inode.iRwsem);\n",
                "                               lock(AddressSpace.mmapLock);\n",
                "                               lock(Inode.iRwsem);\n",
                "  lock(AddressSpace.mmapLock);\n",
                "2 locks held by main/",
                " #0: ", "(SuperBlock.sWriters){ReentrantReadWriteLock read}, at Inode.write(Ntfs.java:",
                " #1: ", "(Inode.iRwsem){ReentrantReadWriteLock write}, at Inode.write(Ntfs.java:", "(trylock)\n",
                "stack backtrace:\n");
    }
}
