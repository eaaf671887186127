package dev.mux.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFollowerTest {

    private static final Duration POLL = Duration.ofMillis(10);

    @TempDir
    Path dir;

    private final BlockingQueue<AuditRecord> received = new LinkedBlockingQueue<>();

    @Test
    void deliversExistingThenNewRecords() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("old"));
            writer.flush();
            AuditFollower follower = AuditReader.open(file).pollInterval(POLL).follow(received::add);
            try {
                assertThat(next().correlationId()).isEqualTo("old");
                writer.write(TestRecords.numbered("new"));
                assertThat(next().correlationId()).isEqualTo("new");
            } finally {
                follower.close();
            }
        }
    }

    @Test
    void followNewSkipsWhatIsAlreadyThereButKeepsLineNumbers() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String old = AuditJsonTest.json(TestRecords.numbered("old"));
        Files.writeString(file, old + old + old.substring(0, 30)); // ends mid-line, as if being written
        AuditReader reader = AuditReader.open(file).pollInterval(POLL);

        AuditFollower follower = reader.followNew(received::add);
        try {
            append(file, old.substring(30)); // the rest of that old line: not new, not reported
            append(file, "not json\n");
            append(file, AuditJsonTest.json(TestRecords.numbered("new")));

            assertThat(next().correlationId()).isEqualTo("new");
            assertThat(reader.skippedLines()).containsExactly(new SkippedLine(file.toAbsolutePath(), 4, "not valid JSON"));
        } finally {
            follower.close();
        }
        assertThat(received).isEmpty();
    }

    @Test
    void waitsForALineToBeCompleteBeforeParsingIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.createFile(file);
        String line = AuditJsonTest.json(TestRecords.numbered("split"));
        AuditReader reader = AuditReader.open(file).pollInterval(POLL);

        try (AuditFollower follower = reader.follow(received::add)) {
            append(file, line.substring(0, 50));
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
            append(file, line.substring(50));

            assertThat(next().correlationId()).isEqualTo("split");
        }
        assertThat(reader.skippedLines()).isEmpty();
    }

    @Test
    void followsAcrossRotationsWithoutLosingOrRepeatingRecords() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int count = 3_000;
        AuditReader reader = AuditReader.open(file).pollInterval(POLL);
        try (AuditWriter writer = AuditWriter.builder(file).maxFileBytes(8 * 1024).keepFiles(1000).build();
             AuditFollower follower = reader.follow(received::add)) {
            for (int i = 0; i < count; i++) {
                writer.write(TestRecords.numbered("r" + i));
                if (i % 100 == 0) {
                    writer.flush(); // many small batches, so rotations happen while the follower reads
                }
            }
            writer.flush();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(next().correlationId());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add("r" + i);
            }
            int firstDifference = 0;
            while (firstDifference < count && ids.get(firstDifference).equals(expected.get(firstDifference))) {
                firstDifference++;
            }
            assertThat(firstDifference).as("first out-of-order record; around it: %s",
                    ids.subList(Math.max(0, firstDifference - 3), Math.min(count, firstDifference + 3))).isEqualTo(count);
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(Files.exists(AuditFile.rotated(file, 50))).isTrue();
        assertThat(received).isEmpty();
        assertThat(reader.skippedLines()).isEmpty();
    }

    @Test
    void catchesUpWithRotationsThatHappenedWhileItWasNotLooking() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, AuditJsonTest.json(TestRecords.numbered("a")));
        try (AuditFollower follower = AuditReader.open(file).pollInterval(Duration.ofSeconds(30)).follow(received::add)) {
            assertThat(next().correlationId()).isEqualTo("a");
            assertThat(follower.awaitCaughtUp(Duration.ofMillis(200))).isFalse(); // parked for 30 s: not looking
            // Two rotations between two looks: the middle file was never the one being followed.
            Files.writeString(file, AuditJsonTest.json(TestRecords.numbered("b")), StandardOpenOption.APPEND);
            Files.move(file, AuditFile.rotated(file, 1));
            Files.writeString(file, AuditJsonTest.json(TestRecords.numbered("c")));
            Files.move(AuditFile.rotated(file, 1), AuditFile.rotated(file, 2));
            Files.move(file, AuditFile.rotated(file, 1));
            Files.writeString(file, AuditJsonTest.json(TestRecords.numbered("d")));
            follower.wake(); // the next look, now rather than in 30 s
            assertThat(List.of(next().correlationId(), next().correlationId(), next().correlationId()))
                    .containsExactly("b", "c", "d");
        }
    }

    @Test
    void waitsForTheFileToAppear() throws Exception {
        Path file = dir.resolve("later.jsonl");
        try (AuditFollower follower = AuditReader.open(file).pollInterval(POLL).follow(received::add)) {
            assertThat(follower.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
            try (AuditWriter writer = AuditWriter.builder(file).build()) {
                writer.write(TestRecords.numbered("first"));
            }
            assertThat(next().correlationId()).isEqualTo("first");
        }
    }

    @Test
    void aFailingSinkDoesNotStopTheFollower() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditFollower follower = AuditReader.open(file).pollInterval(POLL).follow(record -> {
            if (record.correlationId().equals("bad")) {
                throw new IllegalStateException("sink failed (expected by this test)");
            }
            received.add(record);
        });
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("bad"));
            writer.write(TestRecords.numbered("good"));

            assertThat(next().correlationId()).isEqualTo("good");
        } finally {
            follower.close();
        }
    }

    @Test
    void closeStopsTheThread() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditFollower follower = AuditReader.open(file).pollInterval(POLL).follow(received::add);

        follower.close();
        follower.close();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("mux-audit-follow") && t.isAlive());
    }

    private AuditRecord next() throws InterruptedException {
        AuditRecord record = received.poll(10, TimeUnit.SECONDS);
        assertThat(record).as("a record within 10 s").isNotNull();
        return record;
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
