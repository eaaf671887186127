package dev.mux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.audit.AuditRecord;
import dev.mux.audit.AuditWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mux audit tail -f} from the real jar, following while the writer rotates the file. */
class AuditTailIT {
  private static final int RECORDS = 60;

  @TempDir Path home;

  private static AuditRecord record(int i) {
    return AuditRecord.builder()
        .timestamp(Instant.parse("2026-01-02T03:04:05Z").plusSeconds(i))
        .sessionId(i % 2 == 0 ? "even" : "odd")
        .method("GET")
        .host("api.github.com")
        .port(443)
        .path("/repos/" + i)
        .authInjected(true)
        .decision("inject")
        .responseCode(200)
        .correlationId("c-" + i)
        .build();
  }

  @Test
  void followPrintsEarlierAndNewRecordsAcrossRotationOnce() throws Exception {
    Path audit = home.resolve("audit.jsonl");
    try (AuditWriter writer = AuditWriter.builder(audit).maxFileBytes(2_000).keepFiles(20).build()) {
      writer.write(record(0));
      writer.flush();
      try (MuxJar.Background tail = MuxJar.Background.start(
          Map.of("MUX_HOME", home.toString()), "audit", "tail", "-f", "--json", "--session", "even")) {
        MuxJar.await("the existing record", Duration.ofSeconds(30), () -> tail.stdout().contains("\"/repos/0\""));

        for (int i = 1; i < RECORDS; i++) {
          writer.write(record(i));
          writer.flush();
        }

        MuxJar.await("every even record", Duration.ofSeconds(30),
            () -> tail.stdout().contains("\"/repos/" + (RECORDS - 2) + "\""));
        assertThat(tail.stdout().lines()).hasSize(RECORDS / 2)
            .allSatisfy(l -> assertThat(l).contains("\"session_id\":\"even\"", "\"auth_injected\":true"));
        try (var files = Files.list(home)) {
          assertThat(files.filter(f -> f.getFileName().toString().startsWith("audit.jsonl")).count())
              .as("the writer rotated").isGreaterThan(1);
        }
      }
    }
  }

  @Test
  void tableShowsTheLastRecords() {
    try (AuditWriter writer = AuditWriter.builder(home.resolve("audit.jsonl")).build()) {
      for (int i = 0; i < 30; i++) {
        writer.write(record(i));
      }
      writer.flush();
    }

    MuxJar.Result tail = MuxJar.run(Map.of("MUX_HOME", home.toString()), "audit", "tail", "-n", "5");

    assertThat(tail.status()).isZero();
    assertThat(tail.out().lines()).hasSize(6);
    assertThat(tail.out()).contains("/repos/29", "/repos/25").doesNotContain("/repos/24 ");
  }
}
