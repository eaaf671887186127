package dev.mux.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@link AuditReader#follow follow} of an audit file, on its own daemon thread.
 * {@link #close()} stops it.
 */
public final class AuditFollower implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(AuditFollower.class);

    private final Path file;
    private final boolean fromEnd;
    private final long pollNanos;
    private final LineDecoder.Listener listener;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private volatile boolean stopped;
    private volatile long caughtUpRounds;

    // Owned by the follower thread.
    private FileChannel channel;
    private Object key;
    private LineDecoder decoder;

    private AuditFollower(Path file, boolean fromEnd, Duration pollInterval, LineDecoder.Listener listener) {
        this.file = file;
        this.fromEnd = fromEnd;
        this.pollNanos = pollInterval.toNanos();
        this.listener = safe(listener);
        this.thread = new Thread(this::run, "mux-audit-follow");
        thread.setDaemon(true);
    }

    static AuditFollower start(Path file, boolean fromEnd, Duration pollInterval, LineDecoder.Listener listener) {
        AuditFollower follower = new AuditFollower(file, fromEnd, pollInterval, listener);
        follower.thread.start();
        // followNew() promises records appended after it returns: wait until the end is known.
        try {
            follower.started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return follower;
    }

    /**
     * Waits until the follower has read to the end of the file as it is now and found nothing
     * more, e.g. before a command prints "following…".
     *
     * @return false if {@code timeout} passed first
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long target = caughtUpRounds + 2; // a whole round that began after this call
        while (caughtUpRounds < target) {
            if (System.nanoTime() >= deadline || !thread.isAlive()) {
                return caughtUpRounds >= target;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return true;
    }

    /** Stops following and waits for the follower thread to end. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            openCurrent(fromEnd);
            started.countDown();
            while (!stopped) {
                if (!readAvailable()) {
                    checkRotation();
                    if (!readAvailable()) {
                        caughtUpRounds++;
                        LockSupport.parkNanos(this, pollNanos);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            logger.error("audit: following {} stopped: {}", file, e.toString(), e);
        } finally {
            started.countDown();
            closeChannel();
        }
    }

    /** Opens the file if it exists; {@code atEnd} skips what it holds now. */
    private void openCurrent(boolean atEnd) throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            channel = null;
            return;
        }
        key = keyOf(file);
        decoder = new LineDecoder(file, listener);
        if (atEnd) {
            skipExisting();
        }
    }

    /** Positions at the end, counting the lines before it so line numbers stay those of the file. */
    private void skipExisting() throws IOException {
        long lines = 0;
        byte last = '\n';
        long size = channel.size();
        long position = 0;
        while (position < size) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                break;
            }
            byte[] bytes = buffer.array();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    lines++;
                }
            }
            last = bytes[n - 1];
            position += n;
        }
        channel.position(position);
        decoder = new LineDecoder(file, listener, lines, last != '\n');
    }

    /** Feeds whatever has been appended since the last read; returns whether there was any. */
    private boolean readAvailable() throws IOException {
        if (channel == null) {
            return false;
        }
        boolean any = false;
        while (!stopped) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n <= 0) {
                break;
            }
            any = true;
            decoder.feed(buffer.array(), 0, n);
        }
        return any;
    }

    private void checkRotation() throws IOException {
        Object now = keyOf(file);
        if (channel == null) {
            if (now != null) {
                openCurrent(false);
            }
            return;
        }
        if (now == null) {
            return; // gone for now, like tail -F: keep waiting for it to come back
        }
        if (!now.equals(key)) {
            readAvailable();
            decoder.endOfFile();
            readRotatedSince(key);
            closeChannel();
            openCurrent(false);
        } else if (channel.size() < channel.position()) {
            logger.info("audit: {} was truncated; following it from its start", file);
            channel.position(0);
            decoder = new LineDecoder(file, listener);
        }
    }

    /**
     * The file we were reading has become {@code file.k}. If the writer rotated more than once
     * since we last looked, {@code file.(k-1)} … {@code file.1} are files we never saw: read them.
     */
    private void readRotatedSince(Object oldKey) throws IOException {
        int k = 0;
        for (int i = 1; ; i++) {
            Path rotated = AuditFile.rotated(file, i);
            Object rotatedKey = keyOf(rotated);
            if (rotatedKey == null) {
                break;
            }
            if (rotatedKey.equals(oldKey)) {
                k = i;
                break;
            }
        }
        for (int i = k - 1; i >= 1; i--) {
            Path rotated = AuditFile.rotated(file, i);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(rotated);
            } catch (NoSuchFileException e) {
                continue;
            }
            LineDecoder whole = new LineDecoder(rotated, listener);
            whole.feed(bytes, 0, bytes.length);
            whole.endOfFile();
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                logger.debug("audit: closing {} failed", file, e);
            }
            channel = null;
        }
    }

    /** Identifies the file behind a path (inode on Unix), or null if there is none. */
    private static Object keyOf(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    private static LineDecoder.Listener safe(LineDecoder.Listener listener) {
        return new LineDecoder.Listener() {
            @Override
            public void line(AuditJson.Line line) {
                try {
                    listener.line(line);
                } catch (RuntimeException e) {
                    logger.warn("audit: the follower's sink failed; continuing with the next record", e);
                }
            }

            @Override
            public void skipped(SkippedLine skipped) {
                listener.skipped(skipped);
            }
        };
    }
}
