package dev.mux.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends {@link AuditRecord}s to a JSON-lines file without ever blocking the caller.
 *
 * <p>{@link #write} only puts the record in a bounded queue; one background thread
 * ({@code mux-audit-writer}) serialises whatever is queued and appends it, so a record reaches
 * the file within {@link Builder#flushInterval flushInterval} (default 50 ms), sooner under
 * load. Each line is written whole by that single thread, so lines are never torn or
 * interleaved however many threads call {@code write}. {@link #close()} writes everything still
 * queued and syncs the file to disk.
 *
 * <p><b>Overload.</b> When the queue is full (the disk cannot keep up), {@code write} drops the
 * record rather than block the proxy. Dropped records are never silent: they are counted by
 * {@link #droppedRecords()}, logged as a warning (at most every 5 s), and marked in the file
 * itself by a line {@code {"schema_version":1,"timestamp":…,"dropped_records":N}} at the point
 * where they went missing, which {@link AuditReader} counts. Records that could not be written
 * because of an I/O error are counted the same way.
 *
 * <p>The file is created readable and writable by its owner only (0600; its directory, if
 * created here, 0700). One writer per file: two processes appending to the same file keep whole
 * lines, but would rotate it under each other.
 */
public final class AuditWriter implements AutoCloseable {

    /** Default size at which the file is rotated: 10 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024;
    /** Default number of rotated files kept: 5 ({@code audit.jsonl.1} … {@code audit.jsonl.5}). */
    public static final int DEFAULT_KEEP_FILES = 5;
    /** Default queue capacity: 65536 records. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65536;
    /** Default longest time a record waits in memory before it is written: 50 ms. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(50);

    private static final Logger logger = LoggerFactory.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 4096;
    private static final long DROP_WARNING_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

    private final AuditFile file;
    private final ArrayBlockingQueue<AuditRecord> queue;
    private final int wakeThreshold;
    private final long flushIntervalNanos;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> flushRequests = new ConcurrentLinkedQueue<>();
    private final LongAdder dropped = new LongAdder();
    private final WorkerThread thread;
    private final CountDownLatch startGate;
    private volatile boolean closed;
    private final AtomicBoolean warnedClosed = new AtomicBoolean();

    // Owned by the writer thread.
    private final List<AuditRecord> batch = new ArrayList<>(MAX_BATCH);
    private final Buffer buffer = new Buffer();
    private final JsonGenerator generator;
    private int[] lineEnds = new int[MAX_BATCH + 1];
    private long droppedInFile;
    private long droppedLogged;
    private long lastDropWarning = System.nanoTime() - DROP_WARNING_INTERVAL_NANOS;
    private boolean failing;

    private AuditWriter(Builder builder) {
        file = new AuditFile(builder.file, builder.maxFileBytes, builder.keepFiles);
        queue = new ArrayBlockingQueue<>(builder.queueCapacity);
        wakeThreshold = Math.max(1, Math.min(builder.queueCapacity / 4, 1024));
        flushIntervalNanos = builder.flushInterval.toNanos();
        startGate = builder.startGate;
        try {
            file.open();
            generator = AuditJson.generator(buffer);
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("audit: cannot open " + file.path() + " for appending: " + e
                    + " (check that its directory is writable by this user)", e);
        }
        thread = new WorkerThread("mux-audit-writer", this::run);
        thread.start();
    }

    /** Returns a builder for a writer appending to {@code file} (e.g. {@code ~/.clauderon/audit.jsonl}). */
    public static Builder builder(Path file) {
        return new Builder(requireNonNull(file, "file"));
    }

    /** The file this writer appends to. */
    public Path file() {
        return file.path();
    }

    /**
     * Hands a record over and returns at once, without I/O or waiting for a lock held during
     * I/O. Safe from any thread, including event loops. If the queue is full or the writer is
     * closed, the record is dropped and counted (see the class comment).
     */
    public void write(AuditRecord record) {
        requireNonNull(record, "record");
        if (closed) {
            dropped.increment();
            if (warnedClosed.compareAndSet(false, true)) {
                logger.warn("audit: a record was handed to the closed writer of {}; it is dropped and counted",
                        file.path());
            }
            return;
        }
        if (!queue.offer(record)) {
            dropped.increment(); // logged by the writer thread, never on the caller's
            return;
        }
        if (closed && queue.remove(record)) {
            dropped.increment(); // raced with close(): the writer thread may already be gone
            return;
        }
        if (queue.size() >= wakeThreshold) {
            LockSupport.unpark(thread);
        }
    }

    /** Records lost so far: dropped because the queue was full or the writer closed, or not written after an I/O error. */
    public long droppedRecords() {
        return dropped.sum();
    }

    /**
     * Blocks until every record handed over before this call is in the file (in the operating
     * system's hands, which survives a crash of this process; {@link #close()} also syncs to disk).
     * Do not call it from an event loop.
     *
     * @throws UncheckedIOException if writing them failed (they are then counted as dropped)
     */
    public void flush() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        flushRequests.add(done);
        LockSupport.unpark(thread);
        try {
            while (true) {
                try {
                    done.get(100, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (!thread.isAlive()) {
                        return; // closed meanwhile: close() wrote everything
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new UncheckedIOException("audit: could not write " + file.path() + ": " + e.getCause(),
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    /** Writes everything still queued, syncs the file to disk and closes it. Idempotent. */
    @Override
    public void close() {
        closed = true;
        thread.wakeAndJoin();
    }

    private void run() {
        try {
            if (startGate != null) {
                startGate.await();
            }
            while (true) {
                boolean closing = closed;
                List<CompletableFuture<Void>> flushes = takeFlushRequests();
                IOException failure = writeQueued();
                for (CompletableFuture<Void> f : flushes) {
                    if (failure == null) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(failure);
                    }
                }
                warnAboutDrops(false);
                if (closing && queue.isEmpty()) {
                    break;
                }
                if (queue.isEmpty() && flushRequests.isEmpty() && !closed) {
                    LockSupport.parkNanos(this, flushIntervalNanos);
                }
            }
        } catch (InterruptedException e) {
            logger.error("audit: writer thread for {} interrupted; records are no longer written", file.path());
            closed = true;
        } catch (RuntimeException | Error e) {
            logger.error("audit: writer thread for {} failed; records are no longer written", file.path(), e);
            closed = true;
        } finally {
            dropped.add(queue.size());
            queue.clear();
            try {
                file.sync();
            } catch (IOException e) {
                logger.warn("audit: could not sync {} to disk: {}", file.path(), e.toString());
            }
            closeQuietly();
            warnAboutDrops(true);
            CompletableFuture<Void> f;
            while ((f = flushRequests.poll()) != null) {
                f.complete(null);
            }
        }
    }

    private List<CompletableFuture<Void>> takeFlushRequests() {
        if (flushRequests.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Void>> taken = new ArrayList<>();
        CompletableFuture<Void> f;
        while ((f = flushRequests.poll()) != null) {
            taken.add(f);
        }
        return taken;
    }

    /**
     * Writes what is queued now. Stops after one queue's worth so a flush request taken before
     * it returns is answered even under continuous load; everything queued when it was taken
     * is written by then.
     */
    private IOException writeQueued() {
        IOException failure = null;
        int limit = queue.size() + queue.remainingCapacity();
        int written = 0;
        do {
            batch.clear();
            queue.drainTo(batch, MAX_BATCH);
            long gap = dropped.sum() - droppedInFile;
            if (batch.isEmpty() && gap == 0) {
                break;
            }
            try {
                writeBatch(gap);
                droppedInFile += gap;
                if (failing) {
                    failing = false;
                    logger.info("audit: writing {} again", file.path());
                }
            } catch (IOException e) {
                failure = e;
                dropped.add(batch.size()); // reported by the next gap line that can be written
                if (!failing) {
                    failing = true;
                    logger.error("audit: cannot write {}: {}; records are dropped until it works again",
                            file.path(), e.toString());
                }
                closeQuietly();
            }
            written += batch.size();
        } while (written < limit && !batch.isEmpty());
        batch.clear();
        return failure;
    }

    private void writeBatch(long gap) throws IOException {
        file.reopenIfGone();
        buffer.reset();
        int lines = 0;
        if (gap > 0) {
            AuditJson.writeGap(generator, Instant.now(), gap);
            generator.flush();
            lineEnds[lines++] = buffer.size();
        }
        for (AuditRecord record : batch) {
            AuditJson.write(generator, record);
            generator.flush();
            lineEnds[lines++] = buffer.size();
        }
        byte[] bytes = buffer.bytes();
        int chunkStart = 0;
        int lineStart = 0;
        for (int i = 0; i < lines; i++) {
            int lineEnd = lineEnds[i];
            if (file.wouldExceed(lineEnd - chunkStart)) {
                if (lineStart > chunkStart) {
                    file.append(bytes, chunkStart, lineStart - chunkStart);
                    chunkStart = lineStart;
                }
                if (file.size() > 0) {
                    file.rotate();
                }
            }
            lineStart = lineEnd;
        }
        if (lineStart > chunkStart) {
            file.append(bytes, chunkStart, lineStart - chunkStart);
        }
    }

    private void warnAboutDrops(boolean now) {
        long total = dropped.sum();
        if (total == droppedLogged) {
            return;
        }
        long t = System.nanoTime();
        if (now || t - lastDropWarning >= DROP_WARNING_INTERVAL_NANOS) {
            logger.warn("audit: {} records dropped ({} in total) for {}: the queue of {} was full, "
                            + "the writer was closed, or the file could not be written",
                    total - droppedLogged, total, file.path(), queue.size() + queue.remainingCapacity());
            droppedLogged = total;
            lastDropWarning = t;
        }
    }

    private void closeQuietly() {
        try {
            file.close();
        } catch (IOException e) {
            logger.warn("audit: could not close {}: {}", file.path(), e.toString());
        }
    }

    /** A byte buffer whose array can be written out without copying. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(64 * 1024);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /** Builds an {@link AuditWriter}; every setting has a default. */
    public static final class Builder {
        private final Path file;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int keepFiles = DEFAULT_KEEP_FILES;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private CountDownLatch startGate;

        private Builder(Path file) {
            this.file = file;
        }

        /**
         * Rotates before the file would grow past this size (default 10 MiB). A single line
         * longer than this still goes into a file of its own.
         */
        public Builder maxFileBytes(long maxFileBytes) {
            if (maxFileBytes < 1) {
                throw new IllegalArgumentException("maxFileBytes: " + maxFileBytes + " (expected: > 0)");
            }
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        /** How many rotated files to keep (default 5); 0 deletes the file when it is full. */
        public Builder keepFiles(int keepFiles) {
            if (keepFiles < 0) {
                throw new IllegalArgumentException("keepFiles: " + keepFiles + " (expected: >= 0)");
            }
            this.keepFiles = keepFiles;
            return this;
        }

        /** How many records may wait in memory before {@code write} starts dropping (default 65536). */
        public Builder queueCapacity(int queueCapacity) {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: > 0)");
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** The longest time a record waits in memory before it is written (default 50 ms). */
        public Builder flushInterval(Duration flushInterval) {
            requireNonNull(flushInterval, "flushInterval");
            if (flushInterval.isNegative() || flushInterval.isZero() || flushInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("flushInterval: " + flushInterval + " (expected: > 0 and <= 1 minute)");
            }
            this.flushInterval = flushInterval;
            return this;
        }

        /** The longest time a record waits in memory before it is written, in milliseconds. */
        public Builder flushIntervalMillis(long flushIntervalMillis) {
            return flushInterval(Duration.ofMillis(flushIntervalMillis));
        }

        /** Tests only: the writer thread writes nothing until {@code gate} opens, so the queue can be filled. */
        Builder startGate(CountDownLatch gate) {
            this.startGate = gate;
            return this;
        }

        /**
         * Opens (or creates) the file and starts the writer thread.
         *
         * @throws UncheckedIOException if the file cannot be opened for appending
         */
        public AuditWriter build() {
            return new AuditWriter(this);
        }
    }
}
