package dev.mux.audit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads and follows an audit file. (API stub; implementation follows.)
 */
public final class AuditReader {

    private final Path file;
    private final AuditFilter filter;

    private AuditReader(Path file, AuditFilter filter) {
        this.file = file;
        this.filter = filter;
    }

    /** A reader of {@code file} and the files rotated from it. Nothing is read yet. */
    public static AuditReader open(Path file) {
        return new AuditReader(requireNonNull(file, "file"), AuditFilter.all());
    }

    /** A reader of the same file that returns only records matching {@code filter}. */
    public AuditReader filter(AuditFilter filter) {
        return new AuditReader(file, requireNonNull(filter, "filter"));
    }

    /** Reads every record; unusable lines are skipped and listed by {@link #skippedLines()}. */
    public List<AuditRecord> readAll() {
        return List.of();
    }

    /** Lines skipped so far. */
    public List<SkippedLine> skippedLines() {
        return List.of();
    }

    /** Follows the file like {@code tail -F}, across rotation. */
    public AuditFollower follow(Consumer<AuditRecord> sink) {
        requireNonNull(sink, "sink");
        return new AuditFollower();
    }
}
