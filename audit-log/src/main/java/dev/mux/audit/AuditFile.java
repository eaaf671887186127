package dev.mux.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit file on disk, used by the writer thread only: owner-only permissions, appends,
 * size-based rotation ({@code audit.jsonl} → {@code audit.jsonl.1} → … {@code .keep}).
 */
final class AuditFile implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(AuditFile.class);
    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path path;
    private final long maxBytes;
    private final int keepFiles;
    private FileChannel channel;
    private long size;

    AuditFile(Path path, long maxBytes, int keepFiles) {
        this.path = path.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.keepFiles = keepFiles;
    }

    Path path() {
        return path;
    }

    /** The n-th rotated file, e.g. {@code audit.jsonl.1}. */
    static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    boolean isOpen() {
        return channel != null;
    }

    /**
     * Opens (creating it owner-only if absent) for appending. If an earlier writer died in the
     * middle of a line, ends that line first so the next record starts on a line of its own.
     */
    void open() throws IOException {
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent, directoryAttributes());
        }
        boolean existed = Files.exists(path);
        channel = FileChannel.open(path,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                fileAttributes());
        size = channel.size();
        if (existed) {
            restrictPermissions();
        }
        if (size > 0 && !endsWithNewline()) {
            logger.warn("audit: {} ends in an incomplete line (an earlier writer stopped mid-write); "
                    + "ending it so readers skip only that line", path);
            append(new byte[] {'\n'}, 0, 1);
        }
    }

    /**
     * Reopens the file if someone deleted or moved it while it was open, so records do not go
     * on into a file nobody can see until the next rotation.
     */
    void reopenIfGone() throws IOException {
        if (channel != null && !Files.isRegularFile(path)) {
            logger.warn("audit: {} was deleted or moved away; starting a new one", path);
            close();
        }
        if (channel == null) {
            open();
        }
    }

    long size() {
        return size;
    }

    boolean wouldExceed(long moreBytes) {
        return size + moreBytes > maxBytes;
    }

    /** Writes all the bytes; lines reach the operating system in one write() where it allows. */
    void append(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        size += length;
    }

    /** Closes the current file, shifts the rotated ones and starts a new, empty file. */
    void rotate() throws IOException {
        close();
        if (keepFiles == 0) {
            Files.deleteIfExists(path);
        } else {
            Files.deleteIfExists(rotated(path, keepFiles));
            for (int i = keepFiles - 1; i >= 1; i--) {
                Path from = rotated(path, i);
                if (Files.exists(from)) {
                    Files.move(from, rotated(path, i + 1), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            if (Files.exists(path)) {
                Files.move(path, rotated(path, 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        open();
    }

    /** Forces the bytes to the storage device (on close only: the OS already has them). */
    void sync() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        FileChannel c = channel;
        channel = null;
        if (c != null) {
            c.close();
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (SeekableByteChannel in = Files.newByteChannel(path, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            in.position(size - 1);
            return in.read(last) == 1 && last.get(0) == '\n';
        }
    }

    private void restrictPermissions() {
        if (!POSIX) {
            return;
        }
        try {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
            if (!OWNER_READ_WRITE.containsAll(current)) {
                Files.setPosixFilePermissions(path, OWNER_READ_WRITE);
                logger.warn("audit: {} was readable by others ({}); now owner-only (rw-------)",
                        path, PosixFilePermissions.toString(current));
            }
        } catch (IOException e) {
            logger.warn("audit: could not make {} owner-only: {}", path, e.toString());
        }
    }

    private static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] directoryAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY)}
                : new FileAttribute<?>[0];
    }
}
