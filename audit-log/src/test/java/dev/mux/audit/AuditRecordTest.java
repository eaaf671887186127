package dev.mux.audit;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRecordTest {

    @Test
    void builderDefaultsToNowAndCurrentSchema() {
        Instant before = Instant.now().minusMillis(1);
        AuditRecord record = AuditRecord.builder().decision("pass").build();

        assertThat(record.schemaVersion()).isEqualTo(AuditRecord.CURRENT_SCHEMA_VERSION);
        assertThat(record.timestamp()).isAfterOrEqualTo(before).isBeforeOrEqualTo(Instant.now());
        assertThat(record.decision()).isEqualTo("pass");
        assertThat(record.decisionType()).isEqualTo(AuditDecision.PASS);
        assertThat(record.rule()).isNull();
        assertThat(record.error()).isNull();
    }

    @Test
    void timestampIsKeptToTheMillisecond() {
        AuditRecord record = AuditRecord.builder()
                .timestamp(Instant.parse("2026-01-31T12:00:00.123456789Z")).decision("pass").build();

        assertThat(record.timestamp()).isEqualTo(Instant.parse("2026-01-31T12:00:00.123Z"));
    }

    @Test
    void pathNeverKeepsQueryOrFragment() {
        assertThat(AuditRecord.builder().decision("pass").path("/a/b?token=x&y=1").build().path()).isEqualTo("/a/b");
        assertThat(AuditRecord.builder().decision("pass").path("/a#frag?x").build().path()).isEqualTo("/a");
        assertThat(AuditRecord.builder().decision("pass").path("?only").build().path()).isEmpty();
        // The canonical constructor cuts it too, so no construction path keeps a query string.
        AuditRecord direct = new AuditRecord(1, Instant.EPOCH, null, null, "GET", "h", 443, "/p?secret=1", null,
                false, "pass", 200, 0, 0, 0, null, null);
        assertThat(direct.path()).isEqualTo("/p");
    }

    @Test
    void decisionAcceptsAnyCaseAndTheEnum() {
        assertThat(AuditRecord.builder().decision("REFUSE").build().decision()).isEqualTo("refuse");
        assertThat(AuditRecord.builder().decision(AuditDecision.ERROR).build().decision()).isEqualTo("error");
    }

    @Test
    void rejectsUnknownDecisionAndMissingDecision() {
        assertThatThrownBy(() -> AuditRecord.builder().decision("allow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decision: \"allow\" (expected: inject, pass, refuse or error)");
        assertThatThrownBy(() -> AuditRecord.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("decision: null");
    }

    @Test
    void rejectsOutOfRangeNumbers() {
        assertThatThrownBy(() -> AuditRecord.builder().port(70000))
                .hasMessage("port: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> AuditRecord.builder().durationMs(-1))
                .hasMessage("durationMs: -1 (expected: >= 0)");
        assertThatThrownBy(() -> AuditRecord.builder().responseCode(1000))
                .hasMessage("responseCode: 1000 (expected: 0-999)");
    }

    @Test
    void errorMustBeAShortCodeAndTheRejectedTextIsNotEchoed() {
        assertThat(AuditRecord.builder().decision("error").error("UPSTREAM_CONNECT_FAILED").build().error())
                .isEqualTo("UPSTREAM_CONNECT_FAILED");

        String secret = TestTokens.oauth("audit");
        String message = "connect failed for Bearer " + secret;
        assertThatThrownBy(() -> AuditRecord.builder().error(message))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("error: not a short code")
                .message().doesNotContain(secret);
    }
}
