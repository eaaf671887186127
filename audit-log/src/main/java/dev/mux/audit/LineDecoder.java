package dev.mux.audit;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Splits the bytes of one audit file into lines and parses each; fed in chunks, so it serves
 * both whole-file reads and following. A line counts only once its '\n' has arrived.
 */
final class LineDecoder {

    /** Gets what each line held. */
    interface Listener {
        void line(AuditJson.Line line);

        void skipped(SkippedLine skipped);
    }

    static final int MAX_LINE_BYTES = 1024 * 1024;

    private final Path file;
    private final Listener listener;
    private byte[] partial = new byte[0];
    private int partialLength;
    private boolean overlong;
    private long lineNumber;
    private boolean discarding;

    LineDecoder(Path file, Listener listener) {
        this.file = file;
        this.listener = listener;
    }

    /**
     * A decoder that starts in the middle of a file: after {@code linesBefore} whole lines, and,
     * if {@code midLine}, inside one more whose rest is dropped unreported (it began before us).
     */
    LineDecoder(Path file, Listener listener, long linesBefore, boolean midLine) {
        this(file, listener);
        this.lineNumber = linesBefore;
        this.discarding = midLine;
    }

    void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                if (discarding) {
                    discarding = false;
                    lineNumber++;
                } else if (partialLength == 0 && !overlong) {
                    decode(bytes, start, i - start);
                } else {
                    append(bytes, start, i - start);
                    finishPartial();
                }
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
    }

    /** The file ends here for good (rotated away, or read whole): an unfinished last line is reported. */
    void endOfFile() {
        if (partialLength > 0 || overlong) {
            lineNumber++;
            listener.skipped(new SkippedLine(file, lineNumber, "incomplete last line (no newline)"));
            partialLength = 0;
            overlong = false;
        }
    }

    private void finishPartial() {
        if (overlong) {
            lineNumber++;
            listener.skipped(new SkippedLine(file, lineNumber, "line longer than " + MAX_LINE_BYTES + " bytes"));
            overlong = false;
        } else {
            decode(partial, 0, partialLength);
        }
        partialLength = 0;
    }

    private void append(byte[] bytes, int offset, int length) {
        if (length == 0 || overlong || discarding) {
            return;
        }
        if (partialLength + length > MAX_LINE_BYTES) {
            overlong = true;
            partialLength = 0;
            return;
        }
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partialLength + length, partial.length * 2));
        }
        System.arraycopy(bytes, offset, partial, partialLength, length);
        partialLength += length;
    }

    private void decode(byte[] bytes, int offset, int length) {
        lineNumber++;
        if (length > 0 && bytes[offset + length - 1] == '\r') {
            length--;
        }
        if (isBlank(bytes, offset, length)) {
            return;
        }
        AuditJson.Line line;
        try {
            line = AuditJson.parse(bytes, offset, length);
        } catch (AuditJson.MalformedLineException e) {
            listener.skipped(new SkippedLine(file, lineNumber, e.getMessage()));
            return;
        }
        listener.line(line);
    }

    private static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
