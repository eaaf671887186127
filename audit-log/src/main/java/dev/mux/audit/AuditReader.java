package dev.mux.audit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and follows an audit file written by {@link AuditWriter}.
 *
 * <pre>{@code
 * AuditReader reader = AuditReader.open(home.resolve("audit.jsonl"))
 *         .filter(AuditFilter.builder().session("s1").decision("refuse").build());
 * List<AuditRecord> records = reader.readAll();        // rotated files first, oldest first
 * reader.skippedLines().forEach(System.err::println);  // e.g. "audit.jsonl:17: not valid JSON"
 *
 * try (AuditFollower follower = reader.followNew(System.out::println)) { … }   // like tail -F
 * }</pre>
 *
 * <p>A line that is not a usable record (corrupt, cut short by a crash) is skipped and
 * reported with its file and line number, never its content; the rest is still read. Unknown
 * fields are ignored, so records of a newer schema version read fine. Settings return a new
 * reader. A reader may be used from several threads, but {@link #skippedLines()} then mixes
 * their reports; the last line of a file still being written may be reported as incomplete.
 */
public final class AuditReader {

    /** Default time between checks for new lines while following: 100 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
    /** At most this many skipped lines are kept for {@link #skippedLines()}; all reach {@link #onSkipped}. */
    static final int MAX_KEPT_SKIPPED_LINES = 10_000;

    private static final Logger logger = LoggerFactory.getLogger(AuditReader.class);

    private final Path file;
    private final AuditFilter filter;
    private final Duration pollInterval;
    private final Consumer<SkippedLine> onSkipped;
    private final List<SkippedLine> skipped = new CopyOnWriteArrayList<>();
    private final LongAdder droppedByWriter = new LongAdder();

    private AuditReader(Path file, AuditFilter filter, Duration pollInterval, Consumer<SkippedLine> onSkipped) {
        this.file = file;
        this.filter = filter;
        this.pollInterval = pollInterval;
        this.onSkipped = onSkipped;
    }

    /** A reader of {@code file} and the files rotated from it ({@code file.1}, {@code file.2}, …). Nothing is read yet. */
    public static AuditReader open(Path file) {
        return new AuditReader(requireNonNull(file, "file").toAbsolutePath(), AuditFilter.all(),
                DEFAULT_POLL_INTERVAL, skipped -> {});
    }

    /** A reader of the same file that returns only records matching {@code filter}. */
    public AuditReader filter(AuditFilter filter) {
        return new AuditReader(file, requireNonNull(filter, "filter"), pollInterval, onSkipped);
    }

    /** A reader of the same file that, when following, checks for new lines this often (default 100 ms). */
    public AuditReader pollInterval(Duration pollInterval) {
        requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: > 0)");
        }
        return new AuditReader(file, filter, pollInterval, onSkipped);
    }

    /** A reader of the same file that also tells {@code listener} of each skipped line as it is found. */
    public AuditReader onSkipped(Consumer<SkippedLine> listener) {
        return new AuditReader(file, filter, pollInterval, requireNonNull(listener, "listener"));
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /**
     * Reads every record of the rotated files (oldest first) and then of the file itself. A
     * missing file reads as empty. A file rotated while it is being read may lose or repeat
     * records of that moment; {@link #follow} does not.
     *
     * @throws UncheckedIOException if a file exists but cannot be read
     */
    public List<AuditRecord> readAll() {
        skipped.clear();
        List<Path> files = new ArrayList<>();
        for (int i = 1; Files.exists(AuditFile.rotated(file, i)); i++) {
            files.add(AuditFile.rotated(file, i));
        }
        Collections.reverse(files);
        files.add(file);
        List<AuditRecord> records = new ArrayList<>();
        for (Path f : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("audit: cannot read " + f + ": " + e, e);
            }
            LineDecoder decoder = new LineDecoder(f, listener(records::add));
            decoder.feed(bytes, 0, bytes.length);
            decoder.endOfFile();
        }
        return records;
    }

    /** Lines skipped by the last {@link #readAll()} and by followers since, in order (the first 10,000). */
    public List<SkippedLine> skippedLines() {
        return List.copyOf(skipped);
    }

    /** How many records the writer reported as dropped ({@code dropped_records} lines) in what was read so far. */
    public long droppedRecords() {
        return droppedByWriter.sum();
    }

    /**
     * Follows the file like {@code tail -F}: first the records already in it (not in rotated
     * files), then each new record as it is appended, across rotations (a rotated file is read
     * to its end before the new file is started) and across the file being absent for a while.
     * Runs on a daemon thread ({@code mux-audit-follow}) until the follower is closed; an
     * exception from {@code sink} is logged and the next record still delivered.
     */
    public AuditFollower follow(Consumer<AuditRecord> sink) {
        return AuditFollower.start(file, false, pollInterval, listener(requireNonNull(sink, "sink")));
    }

    /** Like {@link #follow}, but starts at the current end of the file: only records appended from now on. */
    public AuditFollower followNew(Consumer<AuditRecord> sink) {
        return AuditFollower.start(file, true, pollInterval, listener(requireNonNull(sink, "sink")));
    }

    private LineDecoder.Listener listener(Consumer<AuditRecord> sink) {
        return new LineDecoder.Listener() {
            @Override
            public void line(AuditJson.Line line) {
                if (line instanceof AuditJson.GapLine gap) {
                    droppedByWriter.add(gap.droppedRecords());
                } else if (line instanceof AuditJson.RecordLine r && filter.matches(r.record())) {
                    sink.accept(r.record());
                }
            }

            @Override
            public void skipped(SkippedLine line) {
                if (skipped.size() < MAX_KEPT_SKIPPED_LINES) {
                    skipped.add(line);
                }
                try {
                    onSkipped.accept(line);
                } catch (RuntimeException e) {
                    logger.warn("audit: the skipped-line listener failed on {}", line, e);
                }
            }
        };
    }
}
