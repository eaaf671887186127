package dev.mux.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReaderTest {

    @TempDir
    Path dir;

    @Test
    void skipsCorruptAndPartialLinesByNumberAndReadsTheRest() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String a = AuditJsonTest.json(TestRecords.numbered("a"));
        String b = AuditJsonTest.json(TestRecords.numbered("b"));
        Files.writeString(file, a + "garbage sk-secret-value\n" + "\n" + b + "{\"schema_version\":1,\"times");
        List<SkippedLine> heard = new ArrayList<>();

        AuditReader reader = AuditReader.open(file).onSkipped(heard::add);
        List<AuditRecord> records = reader.readAll();

        assertThat(records).extracting(AuditRecord::correlationId).containsExactly("a", "b");
        Path abs = file.toAbsolutePath();
        assertThat(reader.skippedLines()).containsExactly(
                new SkippedLine(abs, 2, "not valid JSON"),
                new SkippedLine(abs, 5, "incomplete last line (no newline)"));
        assertThat(heard).isEqualTo(reader.skippedLines());
        assertThat(reader.skippedLines().toString()).doesNotContain("sk-secret-value");
    }

    @Test
    void readingAgainReportsSkippedLinesOnce() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(file, "oops\n");
        AuditReader reader = AuditReader.open(file);

        reader.readAll();
        reader.readAll();

        assertThat(reader.skippedLines()).hasSize(1);
    }

    @Test
    void missingFileReadsAsEmpty() {
        AuditReader reader = AuditReader.open(dir.resolve("nothing-yet.jsonl"));

        assertThat(reader.readAll()).isEmpty();
        assertThat(reader.skippedLines()).isEmpty();
    }

    @Test
    void readsRotatedFilesOldestFirst() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.writeString(AuditFile.rotated(file, 2), AuditJsonTest.json(TestRecords.numbered("oldest")));
        Files.writeString(AuditFile.rotated(file, 1), AuditJsonTest.json(TestRecords.numbered("older")));
        Files.writeString(file, AuditJsonTest.json(TestRecords.numbered("newest")));

        assertThat(AuditReader.open(file).readAll()).extracting(AuditRecord::correlationId)
                .containsExactly("oldest", "older", "newest");
    }

    @Test
    void filtersBySessionHostDecisionAndTime() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Instant t = Instant.parse("2026-02-01T00:00:00Z");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(record("1", "s1", "api.github.com", "inject", t));
            writer.write(record("2", "s2", "api.github.com", "refuse", t.plusSeconds(10)));
            writer.write(record("3", "s1", "registry.npmjs.org", "pass", t.plusSeconds(20)));
            writer.write(record("4", "s1", "API.GITHUB.COM", "refuse", t.plusSeconds(30)));
        }
        AuditReader reader = AuditReader.open(file);

        assertThat(ids(reader.filter(AuditFilter.builder().session("s1").build()))).containsExactly("1", "3", "4");
        assertThat(ids(reader.filter(AuditFilter.builder().host("api.github.com").build()))).containsExactly("1", "2", "4");
        assertThat(ids(reader.filter(AuditFilter.builder().decision("REFUSE").build()))).containsExactly("2", "4");
        assertThat(ids(reader.filter(AuditFilter.builder().decision(AuditDecision.PASS).build()))).containsExactly("3");
        assertThat(ids(reader.filter(AuditFilter.builder().since(t.plusSeconds(10)).until(t.plusSeconds(30)).build())))
                .containsExactly("2", "3");
        assertThat(ids(reader.filter(AuditFilter.builder().session("s1").decision("refuse").build()))).containsExactly("4");
        assertThat(ids(reader.filter(AuditFilter.all()))).containsExactly("1", "2", "3", "4");
    }

    private static List<String> ids(AuditReader reader) {
        return reader.readAll().stream().map(AuditRecord::correlationId).toList();
    }

    private static AuditRecord record(String id, String session, String host, String decision, Instant at) {
        return AuditRecord.builder().correlationId(id).sessionId(session).host(host).decision(decision).timestamp(at).build();
    }
}
