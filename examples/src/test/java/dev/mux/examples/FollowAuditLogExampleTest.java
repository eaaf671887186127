package dev.mux.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.mux.audit.AuditReader;
import dev.mux.audit.AuditRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowAuditLogExampleTest {
  @TempDir Path dir;

  @Test
  void followsOnlyTheRefusalsOfSessionS1InOrder() throws Exception {
    Path file = dir.resolve("audit.jsonl");

    List<AuditRecord> followed = FollowAuditLogExample.run(file);

    assertThat(followed).extracting(AuditRecord::host, AuditRecord::path, AuditRecord::error)
        .containsExactly(
            tuple("api.github.com", "/repos/acme/app/issues", "READ_ONLY"),
            tuple("evil.example", "/", "HOST_NOT_ALLOWED"));
    assertThat(followed).allSatisfy(r -> {
      assertThat(r.sessionId()).isEqualTo("s1");
      assertThat(r.decision()).isEqualTo("refuse");
    });
    // The filter hid the other four records; they are all in the file.
    assertThat(AuditReader.open(file).readAll()).hasSize(6);
  }

  @Test
  void mainFollowsTheFileGivenOnTheCommandLine() throws Exception {
    Path file = dir.resolve("main.jsonl");

    String printed = MainOutput.of(() -> FollowAuditLogExample.main(new String[] {file.toString()}));

    assertThat(printed.lines()).hasSize(2).allMatch(line -> line.contains(" s1 ") && line.contains(" -> 403 "));
    assertThat(AuditReader.open(file).readAll()).hasSize(6);
  }
}
