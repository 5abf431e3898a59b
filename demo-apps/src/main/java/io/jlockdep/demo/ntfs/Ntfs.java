package io.jlockdep.demo.ntfs;

import io.jlockdep.demo.Meeting;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A few kernel objects, in Java, with the locks the reference lockdep report is about
 * (shared/reference/lockdep-splat.txt: ntfs3's inode lock against the mmap lock).
 */
final class Ntfs {
    private Ntfs() {
    }

    /** A mounted file system: writers hold {@code sWriters} for reading while a write is in progress. */
    static final class SuperBlock {
        final ReentrantReadWriteLock sWriters = new ReentrantReadWriteLock();
    }

    /** A process's address space: mappings and page faults take {@code mmapLock}. */
    static final class AddressSpace {
        final ReentrantReadWriteLock mmapLock = new ReentrantReadWriteLock();

        /** mm/mmap_lock.c lock_mm_and_find_vma(): a page fault that must upgrade to the write lock. */
        void pageFault(long address) {
            mmapLock.writeLock().lock();
            try {
                touch(address);
            } finally {
                mmapLock.writeLock().unlock();
            }
        }
    }

    /** A file. Every inode has its own {@code iRwsem}; lockdep (and jlockdep) see one lock class for all of them. */
    static final class Inode {
        final ReentrantReadWriteLock iRwsem = new ReentrantReadWriteLock();
        final SuperBlock sb;
        final byte[] pages = new byte[4096];

        Inode(SuperBlock sb) {
            this.sb = sb;
        }

        /**
         * fs/ntfs3/file.c ntfs_file_mmap(): called by mmap() with the address space's lock held for writing, it takes
         * the inode lock. Order: mmapLock → iRwsem. A {@code --deadlock} run meets the writer at {@code meeting}.
         */
        void mmap(AddressSpace mm, Meeting meeting) {
            mm.mmapLock.writeLock().lock();
            try {
                meeting.arrive();
                iRwsem.writeLock().lock();
                try {
                    touch(pages.length);
                } finally {
                    iRwsem.writeLock().unlock();
                }
            } finally {
                mm.mmapLock.writeLock().unlock();
            }
        }

        /**
         * fs/ntfs3/file.c ntfs_file_write_iter(): file_start_write() takes sWriters for reading, inode_trylock() takes
         * the inode lock, then copying the user's buffer faults in a page, which takes the mmap lock.
         * Order: iRwsem → mmapLock, the opposite of {@link #mmap}. A {@code --deadlock} run meets the mapper at
         * {@code meeting}.
         */
        int write(AddressSpace mm, long userBuffer, int length, Meeting meeting) {
            sb.sWriters.readLock().lock();
            try {
                if (!iRwsem.writeLock().tryLock()) {
                    return -11; // -EAGAIN
                }
                try {
                    meeting.arrive();
                    mm.pageFault(userBuffer); // fault_in_iov_iter_readable()
                    return length;
                } finally {
                    iRwsem.writeLock().unlock();
                }
            } finally {
                sb.sWriters.readLock().unlock();
            }
        }
    }

    static void touch(long address) {
        if (address < 0) {
            throw new IllegalArgumentException("bad address");
        }
    }
}
