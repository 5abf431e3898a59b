package io.jlockdep.it.apps;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A file system whose renames take two directories' locks in the order of their arguments, so two renames in opposite
 * directions take them in both orders; every rename first takes the file system's rename lock, so no two renames run
 * at once and that cannot deadlock. The argument picks the case: {@code gated} (both orders under the one rename lock:
 * no deadlock), {@code ungated} (then a link takes the two directories without it: a real cycle),
 * {@code two-file-systems} (each rename under the rename lock of a different file system: a real cycle).
 */
public final class GateLock {
    private GateLock() {
    }

    static final class Directory {
        final ReentrantLock lock = new ReentrantLock();
        int entries;
    }

    static final class FileSystem {
        final Object renameLock = new Object();

        void rename(Directory from, Directory to) {
            synchronized (renameLock) {
                from.lock.lock();
                try {
                    to.lock.lock();
                    try {
                        from.entries--;
                        to.entries++;
                    } finally {
                        to.lock.unlock();
                    }
                } finally {
                    from.lock.unlock();
                }
            }
        }
    }

    /** Without the rename lock: the bug of the ungated case. */
    static void link(Directory from, Directory to) {
        from.lock.lock();
        try {
            to.lock.lock();
            try {
                to.entries++;
            } finally {
                to.lock.unlock();
            }
        } finally {
            from.lock.unlock();
        }
    }

    public static void main(String[] args) {
        FileSystem fs = new FileSystem();
        Directory src = new Directory();
        Directory dst = new Directory();
        switch (args[0]) {
            case "gated":
                fs.rename(src, dst);
                fs.rename(dst, src);
                break;
            case "ungated":
                fs.rename(src, dst);
                fs.rename(dst, src);
                link(dst, src);
                break;
            case "two-file-systems":
                fs.rename(src, dst);
                new FileSystem().rename(dst, src);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("finished " + args[0]);
    }
}
