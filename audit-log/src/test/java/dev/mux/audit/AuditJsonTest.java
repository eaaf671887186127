package dev.mux.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AuditJsonTest {

    @Test
    void writesOneLineWithEveryFieldInSnakeCase() {
        assertThat(json(TestRecords.numbered("c-1"))).isEqualTo("{\"schema_version\":1,"
                + "\"timestamp\":\"2026-01-31T12:00:00.123Z\",\"session_id\":\"session-1\","
                + "\"client\":\"172.17.0.2:51234\",\"method\":\"POST\",\"host\":\"api.anthropic.com\","
                + "\"service\":\"api.anthropic.com\",\"port\":443,\"path\":\"/v1/messages\",\"rule\":\"anthropic\","
                + "\"auth_injected\":true,\"decision\":\"inject\",\"response_code\":200,\"duration_ms\":1234,"
                + "\"bytes_in\":2048,\"bytes_out\":65536,\"error\":null,\"correlation_id\":\"c-1\"}\n");
    }

    @Test
    void timestampAlwaysHasMilliseconds() {
        AuditRecord record = AuditRecord.builder().timestamp(Instant.parse("2026-01-31T12:00:00Z")).decision("pass").build();

        assertThat(json(record)).contains("\"timestamp\":\"2026-01-31T12:00:00.000Z\"");
    }

    @Test
    void timestampIsWhatTheRfc3339FormatterPrintsForAnyYear() {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochMilli(-1),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.999Z"),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z")));
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            instants.add(Instant.ofEpochMilli(random.nextLong(-70_000_000_000_000L, 300_000_000_000_000L)));
        }
        for (Instant instant : instants) {
            AuditRecord record = AuditRecord.builder().timestamp(instant).decision("pass").build();

            assertThat(json(record)).as("%s", instant)
                    .contains("\"timestamp\":\"" + formatter.format(record.timestamp()) + "\"");
        }
    }

    @Test
    void controlCharactersAreEscapedSoARecordStaysOneLine() {
        AuditRecord record = AuditRecord.builder().decision("pass").host("evil\nhost").path("/a\r\nb").build();

        String line = json(record);
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(parse(line)).isEqualTo(record);
    }

    @Test
    void roundTrips() {
        AuditRecord record = TestRecords.numbered("c-2");

        assertThat(parse(json(record))).isEqualTo(record);
    }

    @Test
    void ignoresUnknownFieldsOfANewerSchema() {
        String newer = "{\"schema_version\":7,\"timestamp\":\"2026-01-31T12:00:00.000Z\",\"decision\":\"quarantine\","
                + "\"host\":\"h\",\"tls\":{\"version\":\"1.3\",\"ciphers\":[1,2]},\"tags\":[],\"port\":443}";

        AuditRecord record = parse(newer);
        assertThat(record.schemaVersion()).isEqualTo(7);
        assertThat(record.decision()).isEqualTo("quarantine");
        assertThat(record.decisionType()).isNull();
        assertThat(record.host()).isEqualTo("h");
        assertThat(record.port()).isEqualTo(443);
    }

    @Test
    void readsTheDesignDocumentsFormatAsVersionZero() {
        String legacy = "{\"timestamp\":\"2026-01-31T12:00:00Z\",\"service\":\"api.github.com\",\"method\":\"GET\","
                + "\"path\":\"/user\",\"auth_injected\":true,\"response_code\":200,\"duration_ms\":5}";

        AuditRecord record = parse(legacy);
        assertThat(record.schemaVersion()).isZero();
        assertThat(record.host()).isEqualTo("api.github.com");
        assertThat(record.decision()).isEqualTo("inject");
    }

    @Test
    void readsGapLines() {
        AuditJson.Line line = parseLine("{\"schema_version\":1,\"timestamp\":\"2026-01-31T12:00:00.000Z\",\"dropped_records\":15}");

        assertThat(line).isEqualTo(new AuditJson.GapLine(15));
    }

    @Test
    void malformedLinesSayWhatIsWrongWithoutQuotingTheLine() {
        assertThatThrownBy(() -> parseLine("{\"timestamp\":\"2026-01-31T12:00:00Z\",\"decision\":\"pass\",\"port\":\"sk-secret\"}"))
                .isInstanceOf(AuditJson.MalformedLineException.class)
                .hasMessage("port: VALUE_STRING (expected: an integer)");
        assertThatThrownBy(() -> parseLine("{\"schema_version\":1,\"timestamp\":\"2026-01-31T12:00:00Z\""))
                .hasMessage("not valid JSON");
        assertThatThrownBy(() -> parseLine("{\"schema_version\":1,\"decision\":\"pass\"}"))
                .hasMessage("no timestamp");
        assertThatThrownBy(() -> parseLine("{\"schema_version\":1,\"timestamp\":\"yesterday sk-secret\",\"decision\":\"pass\"}"))
                .hasMessageStartingWith("timestamp: not RFC 3339")
                .message().doesNotContain("sk-secret");
        assertThatThrownBy(() -> parseLine("{\"schema_version\":1,\"timestamp\":\"2026-01-31T12:00:00Z\"}"))
                .hasMessage("no decision");
        assertThatThrownBy(() -> parseLine("[1,2]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> parseLine("{\"schema_version\":1,\"timestamp\":\"2026-01-31T12:00:00Z\",\"decision\":\"pass\"} {}"))
                .hasMessage("text after the JSON object");
    }

    static String json(AuditRecord record) {
        return AuditJson.line(record);
    }

    private static AuditRecord parse(String line) {
        return ((AuditJson.RecordLine) parseLine(line)).record();
    }

    private static AuditJson.Line parseLine(String line) {
        byte[] bytes = line.strip().getBytes(StandardCharsets.UTF_8);
        return AuditJson.parse(bytes, 0, bytes.length);
    }
}
