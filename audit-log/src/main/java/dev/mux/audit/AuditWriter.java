package dev.mux.audit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Appends {@link AuditRecord}s to a JSON-lines file without ever blocking the caller.
 * (API stub; implementation follows.)
 */
public final class AuditWriter implements AutoCloseable {

    /** Default size at which the file is rotated: 10 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024;
    /** Default number of rotated files kept: 5. */
    public static final int DEFAULT_KEEP_FILES = 5;
    /** Default queue capacity: 65536 records. */
    public static final int DEFAULT_QUEUE_CAPACITY = 65536;
    /** Default longest time a record waits in memory: 50 ms. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(50);

    private AuditWriter(Builder builder) {}

    /** Returns a builder for a writer appending to {@code file} (e.g. {@code ~/.clauderon/audit.jsonl}). */
    public static Builder builder(Path file) {
        return new Builder(requireNonNull(file, "file"));
    }

    /** Hands a record over and returns at once; drops and counts it if the queue is full. */
    public void write(AuditRecord record) {
        requireNonNull(record, "record");
    }

    /** Records lost so far. */
    public long droppedRecords() {
        return 0;
    }

    /** Blocks until every record handed over before this call is in the file. */
    public void flush() {}

    /** Writes everything still queued and closes the file. */
    @Override
    public void close() {}

    /** Builds an {@link AuditWriter}. */
    public static final class Builder {
        private final Path file;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private int keepFiles = DEFAULT_KEEP_FILES;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;

        private Builder(Path file) {
            this.file = file;
        }

        /** Rotate when the file would grow past this size. */
        public Builder maxFileBytes(long maxFileBytes) {
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        /** How many rotated files to keep. */
        public Builder keepFiles(int keepFiles) {
            this.keepFiles = keepFiles;
            return this;
        }

        /** How many records may wait in memory. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** The longest time a record waits before it is written. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = requireNonNull(flushInterval, "flushInterval");
            return this;
        }

        /** Opens the file and starts the writer thread. */
        public AuditWriter build() {
            return new AuditWriter(this);
        }
    }
}
