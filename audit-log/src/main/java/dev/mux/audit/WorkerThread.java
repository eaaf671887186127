package dev.mux.audit;

import java.util.concurrent.locks.LockSupport;

/**
 * The daemon thread behind an {@link AuditWriter} or an {@link AuditFollower}: it parks between
 * rounds, is woken by {@code LockSupport.unpark}, and its owner's {@code close()} waits for it.
 */
final class WorkerThread extends Thread {

    WorkerThread(String name, Runnable body) {
        super(body, name);
        setDaemon(true);
    }

    /**
     * Wakes the thread (whose owner has already told it to stop) and waits until it has ended.
     * An interrupt does not cut the wait short, since the owner promises the thread's work is done
     * when close() returns; it is kept for the caller.
     */
    void wakeAndJoin() {
        LockSupport.unpark(this);
        boolean interrupted = false;
        while (isAlive()) {
            try {
                join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
