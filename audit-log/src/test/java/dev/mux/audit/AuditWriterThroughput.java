package dev.mux.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Not a test: measures the writer. {@code java -cp <test classpath> dev.mux.audit.AuditWriterThroughput [threads] [recordsPerThread]}.
 * Producers call {@code write} as fast as they can into a queue big enough for all records; the
 * writer's throughput is what reached the file per second of wall time, up to the end of
 * {@code close()} (everything written and synced).
 */
public final class AuditWriterThroughput {

    private AuditWriterThroughput() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        AuditRecord[] records = new AuditRecord[1024];
        for (int i = 0; i < records.length; i++) {
            records[i] = TestRecords.numbered("bench-" + i);
        }
        for (int run = 0; run < 3; run++) { // the first runs warm the JIT up
            Path dir = Files.createTempDirectory("audit-bench");
            Path file = dir.resolve("audit.jsonl");
            CountDownLatch go = new CountDownLatch(1);
            long[] writeNanos = new long[threads];
            List<Thread> producers = new ArrayList<>();
            // A queue that holds everything, so the run measures how fast the writer drains it;
            // with the default capacity the producers here would outrun it and most records drop.
            AuditWriter writer = AuditWriter.builder(file).maxFileBytes(64L * 1024 * 1024).keepFiles(100)
                    .queueCapacity(threads * perThread).build();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread producer = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long start = System.nanoTime();
                    for (int i = 0; i < perThread; i++) {
                        writer.write(records[i & 1023]);
                    }
                    writeNanos[id] = System.nanoTime() - start;
                });
                producer.start();
                producers.add(producer);
            }
            long start = System.nanoTime();
            go.countDown();
            for (Thread producer : producers) {
                producer.join();
            }
            writer.close();
            long elapsed = System.nanoTime() - start;
            long total = (long) threads * perThread;
            long written = total - writer.droppedRecords();
            long bytes;
            try (var files = Files.list(dir)) {
                bytes = files.mapToLong(f -> f.toFile().length()).sum();
            }
            double callNanos = 0;
            for (long n : writeNanos) {
                callNanos += (double) n / perThread;
            }
            System.out.printf("run %d: %d threads x %d: %,.0f records/s written (%,.1f MB/s), %d dropped, "
                            + "write() %.0f ns/call%n",
                    run, threads, perThread, written / (elapsed / 1e9), bytes / (elapsed / 1e9) / 1e6,
                    writer.droppedRecords(), callNanos / threads);
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
