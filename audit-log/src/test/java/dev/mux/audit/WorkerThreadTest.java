package dev.mux.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerThreadTest {

    @Test
    @Timeout(10)
    void wakeAndJoinOutlastsAnInterruptAndKeepsIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WorkerThread worker = new WorkerThread("worker-under-test", () -> {
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // only the release ends this worker
                }
            }
        });
        worker.start();
        Thread closer = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            while (closer.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            closer.interrupt(); // while close() waits for the worker
            while (closer.isInterrupted()) {
                Thread.onSpinWait(); // until join() has thrown and waits again
            }
            release.countDown();
        });
        interrupter.start();

        worker.wakeAndJoin();

        assertThat(worker.isAlive()).isFalse();
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        interrupter.join(TimeUnit.SECONDS.toMillis(5));
    }
}
