package dev.mux.audit;

import java.time.Instant;

/** Records for tests: distinct, recognisable by their correlation id. */
final class TestRecords {

    static final Instant T0 = Instant.parse("2026-01-31T12:00:00.123Z");

    private TestRecords() {}

    static AuditRecord numbered(String correlationId) {
        return AuditRecord.builder()
                .timestamp(T0)
                .sessionId("session-1")
                .client("172.17.0.2:51234")
                .method("POST")
                .host("api.anthropic.com")
                .port(443)
                .path("/v1/messages")
                .rule("anthropic")
                .authInjected(true)
                .decision(AuditDecision.INJECT)
                .responseCode(200)
                .durationMs(1234)
                .bytesIn(2048)
                .bytesOut(65536)
                .correlationId(correlationId)
                .build();
    }
}
