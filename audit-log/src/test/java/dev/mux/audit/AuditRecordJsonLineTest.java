package dev.mux.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public one-line codec: {@link AuditRecord#toJsonLine()} and {@link AuditRecord#parseJsonLine}. */
class AuditRecordJsonLineTest {

    @TempDir
    Path dir;

    @Test
    void toJsonLineIsExactlyWhatTheWriterPutsInTheFile() throws IOException {
        AuditRecord first = TestRecords.numbered("c-1");
        AuditRecord second = AuditRecord.builder().timestamp(TestRecords.T0).decision("refuse")
                .host("h\u00e9\nst").error("HOST_NOT_ALLOWED").build();
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(first);
            writer.write(second);
        }

        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .isEqualTo(first.toJsonLine() + second.toJsonLine());
    }

    @Test
    void toJsonLineIsOneLineEndingInNewline() {
        String line = AuditRecord.builder().decision("pass").path("/a\r\nb").build().toJsonLine();

        assertThat(line).endsWith("\n");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).doesNotContain("\r");
    }

    @Test
    void parseJsonLineRoundTripsWithOrWithoutLineEnding() {
        AuditRecord record = TestRecords.numbered("c-2");
        String line = record.toJsonLine();

        assertThat(AuditRecord.parseJsonLine(line)).isEqualTo(record);
        assertThat(AuditRecord.parseJsonLine(line.strip())).isEqualTo(record);
        assertThat(AuditRecord.parseJsonLine(line.strip() + "\r\n")).isEqualTo(record);
    }

    @Test
    void parseJsonLineReadsWhatTheReaderReads() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter writer = AuditWriter.builder(file).build()) {
            writer.write(TestRecords.numbered("c-3"));
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(AuditRecord.parseJsonLine(lines.get(0))).isEqualTo(AuditReader.open(file).readAll().get(0));
    }

    @Test
    void parseJsonLineNamesTheFaultWithoutQuotingTheLine() {
        assertThatThrownBy(() -> AuditRecord.parseJsonLine(
                "{\"timestamp\":\"2026-01-31T12:00:00Z\",\"decision\":\"pass\",\"port\":\"sk-secret\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("audit line: port: VALUE_STRING (expected: an integer)");
        assertThatThrownBy(() -> AuditRecord.parseJsonLine("sk-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("audit line: not valid JSON");
        assertThatThrownBy(() -> AuditRecord.parseJsonLine(
                "{\"schema_version\":1,\"timestamp\":\"2026-01-31T12:00:00.000Z\",\"dropped_records\":15}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("audit line: a marker of 15 dropped records (expected: a record)");
        assertThatThrownBy(() -> AuditRecord.parseJsonLine(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("line");
    }
}
