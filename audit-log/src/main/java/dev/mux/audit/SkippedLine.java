package dev.mux.audit;

import java.nio.file.Path;

/**
 * A line an {@link AuditReader} could not use. The line's content is deliberately not kept.
 *
 * @param file the file it was in
 * @param lineNumber its 1-based line number in that file
 * @param reason why it was skipped, e.g. {@code incomplete last line (no newline)}
 */
public record SkippedLine(Path file, long lineNumber, String reason) {

    @Override
    public String toString() {
        return file + ":" + lineNumber + ": " + reason;
    }
}
