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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final WorkerThread thread;
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
        this.thread = new WorkerThread("mux-audit-follow", this::run);
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

    /** Tests only: look for new lines now instead of at the next poll. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** Stops following and waits for the follower thread to end. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        thread.wakeAndJoin();
    }

    private void run() {
        boolean failing = false;
        try {
            adopt(Opened.of(file), fromEnd);
            started.countDown();
            while (!stopped) {
                try {
                    if (!readAvailable()) {
                        checkRotation();
                        if (!readAvailable()) {
                            caughtUpRounds++;
                            LockSupport.parkNanos(this, pollNanos);
                        }
                    }
                    failing = false;
                } catch (IOException e) {
                    if (!failing) { // keeps its place in the file: reopening would deliver records twice
                        logger.warn("audit: reading {} failed: {}; retrying", file, e.toString());
                        failing = true;
                    }
                    LockSupport.parkNanos(this, pollNanos);
                }
            }
        } catch (IOException | RuntimeException e) {
            logger.error("audit: following {} stopped: {}", file, e.toString(), e);
        } finally {
            started.countDown();
            closeChannel();
        }
    }

    /** Starts reading an opened file (none: wait for it); {@code atEnd} skips what it holds now. */
    private void adopt(Opened opened, boolean atEnd) throws IOException {
        if (opened == null) {
            channel = null;
            key = null;
            return;
        }
        channel = opened.channel();
        key = opened.key();
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
        if (channel == null) {
            adopt(Opened.of(file), false);
            return;
        }
        Object now = keyOf(file);
        if (now == null) {
            return; // gone for now, like tail -F: keep waiting for it to come back
        }
        if (now.equals(key)) {
            if (channel.size() < channel.position()) {
                logger.info("audit: {} was truncated; following it from its start", file);
                channel.position(0);
                decoder = new LineDecoder(file, listener);
            }
            return;
        }
        // Rotated. Open the new file before anything else, so a further rotation cannot slip by.
        Opened next = Opened.of(file);
        if (next == null) {
            return;
        }
        readAvailable(); // the writer closed the old file before renaming it: this reads it to its end
        decoder.endOfFile();
        readRotatedBetween(key, next.key());
        closeChannel();
        adopt(next, false);
    }

    /**
     * The file we were reading has become {@code file.k}, the one we are about to read is the
     * current file or {@code file.j}. If the writer rotated more than once meanwhile, the files
     * strictly between them were never followed: read them, oldest first.
     *
     * <p>The writer may be rotating while we look: files only ever move up ({@code .1} to
     * {@code .2}), so a scan upwards from {@code .1} can see a file twice (kept once, by its key)
     * but never jump over one; it can, however, meet a name that is briefly missing mid-rotation,
     * so a scan that does not reach our old file is repeated. If it never does, our old file was
     * deleted (more rotations than are kept) and every kept file newer than the next one is unread.
     */
    private void readRotatedBetween(Object oldKey, Object newKey) throws IOException {
        Map<Object, Opened> between = new LinkedHashMap<>();
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                between.values().forEach(Opened::closeQuietly);
                between.clear();
                if (scan(oldKey, newKey, between)) {
                    break;
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(2));
            }
            List<Opened> newestFirst = new ArrayList<>(between.values());
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                Opened rotated = newestFirst.get(i);
                LineDecoder whole = new LineDecoder(rotated.path(), listener);
                ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
                while (rotated.channel().read(bytes.clear()) > 0) {
                    whole.feed(bytes.array(), 0, bytes.position());
                }
                whole.endOfFile();
            }
        } finally {
            between.values().forEach(Opened::closeQuietly);
        }
    }

    /** One upward scan; returns whether it reached the old file. */
    private boolean scan(Object oldKey, Object newKey, Map<Object, Opened> between) throws IOException {
        for (int i = 1; ; i++) {
            Opened rotated = Opened.of(AuditFile.rotated(file, i));
            if (rotated == null) {
                return false;
            }
            Object k = rotated.key();
            if (k.equals(oldKey)) {
                rotated.closeQuietly();
                return true;
            }
            if (k.equals(newKey)) {
                rotated.closeQuietly(); // everything seen so far is newer than the next file
                between.values().forEach(Opened::closeQuietly);
                between.clear();
            } else if (between.putIfAbsent(k, rotated) != null) {
                rotated.closeQuietly();
            }
        }
    }

    /** A file opened for reading, with the key of the file actually opened. */
    private record Opened(Path path, FileChannel channel, Object key) {

        /** Opens the file at {@code path} now, or returns null if there is none. */
        static Opened of(Path path) throws IOException {
            for (int attempt = 0; attempt < 100; attempt++) {
                Object before = keyOf(path);
                if (before == null) {
                    return null;
                }
                FileChannel channel;
                try {
                    channel = FileChannel.open(path, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (before.equals(keyOf(path))) {
                    return new Opened(path, channel, before); // the path named the same file throughout
                }
                channel.close(); // renamed under us: try again
            }
            throw new IOException(path + " keeps changing while being opened");
        }

        void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                logger.debug("audit: closing {} failed", path, e);
            }
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
