package dev.mux.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditWriterTest {

    @TempDir
    Path dir;

    @Test
    void manyThreadsWriteExactlyTheirRecordsAsWholeLines() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        Path file = dir.resolve("audit.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try (AuditWriter writer = AuditWriter.builder(file).maxFileBytes(1L << 30).build()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        writer.write(TestRecords.numbered(thread + "-" + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
            assertThat(writer.droppedRecords()).isZero();
        } finally {
            pool.shutdownNow();
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.size()).isEqualTo(threads * perThread);
        AuditReader reader = AuditReader.open(file);
        List<AuditRecord> records = reader.readAll();
        assertThat(reader.skippedLines()).isEmpty();
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(r.correlationId()));
        assertThat(ids.size()).isEqualTo(threads * perThread);
        // Each thread's records keep their order.
        for (int t = 0; t < threads; t++) {
            String prefix = t + "-";
            List<Integer> order = records.stream().map(AuditRecord::correlationId).filter(id -> id.startsWith(prefix))
                    .map(id -> Integer.parseInt(id.substring(prefix.length()))).toList();
            assertThat(order).isSorted();
        }
    }

    @Test
    void manyThreadsAcrossManyRotationsLoseNothing() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        Path file = dir.resolve("audit.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AuditWriter writer = AuditWriter.builder(file).maxFileBytes(16 * 1024).keepFiles(1000).build()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        writer.write(TestRecords.numbered(thread + "-" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(Files.exists(AuditFile.rotated(file, 40))).isTrue();
        AuditReader reader = AuditReader.open(file);
        Set<String> ids = new HashSet<>();
        reader.readAll().forEach(r -> ids.add(r.correlationId()));
        assertThat(reader.skippedLines()).isEmpty();
        assertThat(ids.size()).isEqualTo(threads * perThread);
    }

    @Test
    void recordReachesTheFileWithoutFlushOrClose() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).flushInterval(Duration.ofMillis(50)).build()) {
            writer.write(TestRecords.numbered("soon"));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.size(file) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                TimeUnit.MILLISECONDS.sleep(5);
            }
            assertThat(AuditReader.open(file).readAll()).extracting(AuditRecord::correlationId).containsExactly("soon");
        }
    }

    @Test
    void flushReturnsOnceEverythingHandedOverIsInTheFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).flushInterval(Duration.ofMinutes(1)).build()) {
            for (int i = 0; i < 100; i++) {
                writer.write(TestRecords.numbered("r" + i));
            }
            writer.flush();

            assertThat(Files.readAllLines(file)).hasSize(100);
        }
    }

    @Test
    void closeWritesEverythingAndLaterWritesAreCountedAsDropped() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditWriter writer = AuditWriter.builder(file).flushInterval(Duration.ofMinutes(1)).build();
        for (int i = 0; i < 1000; i++) {
            writer.write(TestRecords.numbered("r" + i));
        }
        writer.close();
        writer.close();
        writer.flush();

        assertThat(Files.readAllLines(file)).hasSize(1000);
        writer.write(TestRecords.numbered("late"));
        assertThat(writer.droppedRecords()).isEqualTo(1);
    }

    @Test
    void fullQueueDropsCountsAndMarksTheGapInTheFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        CountDownLatch gate = new CountDownLatch(1);
        try (AuditWriter writer = AuditWriter.builder(file).queueCapacity(10).startGate(gate).build()) {
            for (int i = 0; i < 25; i++) {
                writer.write(TestRecords.numbered("r" + i)); // returns at once although nothing is written
            }
            assertThat(writer.droppedRecords()).isEqualTo(15);
            gate.countDown();
        }

        AuditReader reader = AuditReader.open(file);
        assertThat(reader.readAll()).extracting(AuditRecord::correlationId)
                .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
        assertThat(reader.droppedRecords()).isEqualTo(15);
        assertThat(Files.readAllLines(file).get(0)).contains("\"dropped_records\":15");
    }

    @Test
    void recordsLostToAnIoErrorAreCountedReportedAndMarkedOnceWritingWorksAgain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("r1"));
            writer.flush();
            Files.delete(file);
            Files.createDirectory(file); // the writer notices the file is gone, but cannot open a new one

            writer.write(TestRecords.numbered("r2"));
            assertThatThrownBy(writer::flush).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("audit: could not write " + file.toAbsolutePath());
            assertThat(writer.droppedRecords()).isEqualTo(1);

            Files.delete(file);
            writer.write(TestRecords.numbered("r3")); // the writer opens a new file
        }

        AuditReader reader = AuditReader.open(file);
        assertThat(reader.readAll()).extracting(AuditRecord::correlationId).containsExactly("r3");
        assertThat(reader.droppedRecords()).isEqualTo(1);
        assertThat(Files.readAllLines(file).get(0)).contains("\"dropped_records\":1");
    }

    @Test
    void startsANewFileWhenTheOpenOneIsDeleted() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("r1"));
            writer.flush();
            Files.delete(file);

            writer.write(TestRecords.numbered("r2"));
        }

        assertThat(AuditReader.open(file).readAll()).extracting(AuditRecord::correlationId).containsExactly("r2");
    }

    @Test
    void rotatesBySizeAndKeepsTheNewestFiles() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int lineBytes = AuditJsonTest.json(TestRecords.numbered("r000")).length();
        try (AuditWriter writer = AuditWriter.builder(file).maxFileBytes(lineBytes * 10L).keepFiles(2).build()) {
            for (int i = 0; i < 45; i++) {
                writer.write(TestRecords.numbered(String.format("r%03d", i)));
                if (i % 7 == 0) {
                    writer.flush(); // rotation both inside a batch and between batches
                }
            }
        }

        assertThat(Files.exists(AuditFile.rotated(file, 3))).isFalse();
        assertThat(Files.size(file)).isEqualTo(5L * lineBytes);
        assertThat(Files.size(AuditFile.rotated(file, 1))).isEqualTo(10L * lineBytes);
        assertThat(Files.size(AuditFile.rotated(file, 2))).isEqualTo(10L * lineBytes);
        List<String> ids = AuditReader.open(file).readAll().stream().map(AuditRecord::correlationId).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 20; i < 45; i++) {
            expected.add(String.format("r%03d", i));
        }
        assertThat(ids).isEqualTo(expected);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditFile.rotated(file, 2))))
                .isEqualTo("rw-------");
    }

    @Test
    void keepZeroDeletesTheFullFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int lineBytes = AuditJsonTest.json(TestRecords.numbered("r0")).length();
        try (AuditWriter writer = AuditWriter.builder(file).maxFileBytes(lineBytes * 2L).keepFiles(0).build()) {
            for (int i = 0; i < 5; i++) {
                writer.write(TestRecords.numbered("r" + i));
            }
        }

        assertThat(AuditReader.open(file).readAll()).extracting(AuditRecord::correlationId).containsExactly("r4");
        assertThat(Files.exists(AuditFile.rotated(file, 1))).isFalse();
    }

    @Test
    void createsTheFileAndItsDirectoryOwnerOnly() throws Exception {
        Path file = dir.resolve("state/audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("r"));
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void tightensAnExistingFileReadableByOthers() throws Exception {
        Path file = Files.createFile(dir.resolve("audit.jsonl"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        AuditWriter.builder(file).build().close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void endsALineLeftIncompleteByACrashedWriterSoOnlyThatLineIsLost() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String whole = AuditJsonTest.json(TestRecords.numbered("before"));
        Files.writeString(file, whole + whole.substring(0, 40));

        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("after"));
        }

        AuditReader reader = AuditReader.open(file);
        assertThat(reader.readAll()).extracting(AuditRecord::correlationId).containsExactly("before", "after");
        assertThat(reader.skippedLines()).containsExactly(new SkippedLine(file.toAbsolutePath(), 2, "not valid JSON"));
    }

    @Test
    void appendsToAnExistingFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("first"));
        }
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("second"));
        }

        assertThat(AuditReader.open(file).readAll()).extracting(AuditRecord::correlationId)
                .containsExactly("first", "second");
    }

    @Test
    void failsToOpenWithAMessageNamingTheFile() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> AuditWriter.builder(notADirectory.resolve("audit.jsonl")).build())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("audit: cannot open " + notADirectory.resolve("audit.jsonl"));
    }

    @Test
    void builderRejectsNonsense() {
        AuditWriter.Builder builder = AuditWriter.builder(dir.resolve("a"));
        assertThatThrownBy(() -> builder.maxFileBytes(0)).hasMessage("maxFileBytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.keepFiles(-1)).hasMessage("keepFiles: -1 (expected: >= 0)");
        assertThatThrownBy(() -> builder.queueCapacity(0)).hasMessage("queueCapacity: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.flushInterval(Duration.ZERO)).hasMessage("flushInterval: PT0S (expected: > 0 and <= 1 minute)");
    }
}
