package dev.mux.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mux.audit.AuditRecord;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A record as one JSON line, in the audit file's shape (audit-log keeps its encoder
 * package-private, so {@code --json} re-encodes with the same field names and order).
 */
final class AuditLine {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AuditLine() {}

  static String toJson(AuditRecord r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("schema_version", r.schemaVersion());
    node.put("timestamp", TIMESTAMP.format(r.timestamp()));
    node.put("session_id", r.sessionId());
    node.put("client", r.client());
    node.put("method", r.method());
    node.put("host", r.host());
    node.put("service", r.host());
    node.put("port", r.port());
    node.put("path", r.path());
    node.put("rule", r.rule());
    node.put("auth_injected", r.authInjected());
    node.put("decision", r.decision());
    node.put("response_code", r.responseCode());
    node.put("duration_ms", r.durationMs());
    node.put("bytes_in", r.bytesIn());
    node.put("bytes_out", r.bytesOut());
    node.put("error", r.error());
    node.put("correlation_id", r.correlationId());
    return node.toString() + "\n";
  }
}
