package dev.mux.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL (no shutdown hook, no close) leaves only whole lines behind. */
class AuditWriterCrashIntegrationTest {

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killedWriterLeavesOnlyParseableLinesAndTheNextWriterCarriesOn() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        long recordsBefore = 0;
        for (int round = 0; round < 3; round++) {
            child = startWriter(file, "run" + round);
            waitUntilTotalSizeExceeds(file, (round + 1) * 2L * 1024 * 1024);
            child.destroyForcibly(); // SIGKILL on Unix
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);

            AuditReader reader = AuditReader.open(file);
            List<AuditRecord> records = reader.readAll();
            assertThat(records.size()).isGreaterThan((int) recordsBefore);
            // At most one line is not whole: the last line of the file being written, cut by the kill
            // (possible only if the kill landed inside a write() spanning pages), or, from a previous
            // round, that line after the next writer ended it.
            // A kill between rotation's rename and the new file's creation leaves no current file
            // (nothing is lost: the rotated file holds every line, the next writer creates it).
            long linesInFile = Files.exists(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count()
                    : 0;
            for (SkippedLine skipped : reader.skippedLines()) {
                if (skipped.reason().equals("incomplete last line (no newline)")) {
                    assertThat(skipped.file()).isEqualTo(file.toAbsolutePath());
                    assertThat(skipped.lineNumber()).isEqualTo(linesInFile + 1);
                } else {
                    assertThat(skipped.reason()).isEqualTo("not valid JSON");
                }
            }
            assertThat(reader.skippedLines()).hasSizeLessThanOrEqualTo(round + 1);
            assertNumberedInOrder(records, round);
            recordsBefore = records.size();
        }

        try (AuditWriter writer = AuditWriter.builder(file).maxFileBytes(1L << 30).build()) {
            writer.write(TestRecords.numbered("after-crash"));
        }
        List<AuditRecord> records = AuditReader.open(file).readAll();
        assertThat(records.get(records.size() - 1).correlationId()).isEqualTo("after-crash");
    }

    /** Within each run, records appear in the order written (gaps only where the full queue dropped some). */
    private static void assertNumberedInOrder(List<AuditRecord> records, int rounds) {
        for (int round = 0; round <= rounds; round++) {
            String prefix = "run" + round + "-";
            long previous = -1;
            for (AuditRecord record : records) {
                if (record.correlationId().startsWith(prefix)) {
                    long n = Long.parseLong(record.correlationId().substring(prefix.length()));
                    assertThat(n).isGreaterThan(previous);
                    previous = n;
                }
            }
            assertThat(previous).as("records of run %d", round).isGreaterThanOrEqualTo(0);
        }
    }

    private Process startWriter(Path file, String prefix) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AuditWriterChild.class.getName(), file.toString(), prefix, String.valueOf(512 * 1024))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (Exception e) {
                return "failed: " + e;
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("child's first line").isEqualTo("READY");
        return process;
    }

    private static void waitUntilTotalSizeExceeds(Path file, long bytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (totalSize(file) < bytes) {
            assertThat(System.nanoTime()).as("the child writes %d bytes within 60 s", bytes).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static long totalSize(Path file) throws Exception {
        long total = 0;
        try (var files = Files.list(file.getParent())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                try {
                    total += Files.size(f);
                } catch (java.nio.file.NoSuchFileException e) {
                    // renamed by a rotation just now
                }
            }
        }
        return total;
    }
}
