package dev.mux.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.audit.AuditRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedProxyExampleTest {
  private static final String TOKEN = "example-real-token-5f2c";

  @TempDir Path dir;

  @Test
  void clientSendsAPlaceholderAndTheUpstreamGetsTheRealToken() throws Exception {
    EmbeddedProxyExample.Result result = EmbeddedProxyExample.run(dir, TOKEN);

    assertThat(result.placeholder()).isEqualTo("mux-proxy");
    assertThat(result.get().status()).isEqualTo(200);
    assertThat(result.get().body()).isEqualTo("items: []");
    assertThat(result.upstreamAuthorizations())
        .as("only the GET reached the upstream, with the real token")
        .containsExactly("Bearer " + TOKEN);
  }

  @Test
  void readOnlyPolicyRefusesThePostAtTheProxy() throws Exception {
    EmbeddedProxyExample.Result result = EmbeddedProxyExample.run(dir, TOKEN);

    assertThat(result.post().status()).isEqualTo(403);
    assertThat(result.post().body()).doesNotContain(TOKEN);
    assertThat(result.upstreamAuthorizations()).hasSize(1);
  }

  @Test
  void auditRecordsEachRequestWithoutTheToken() throws Exception {
    EmbeddedProxyExample.Result result = EmbeddedProxyExample.run(dir, TOKEN);

    List<AuditRecord> audit = result.audit();
    assertThat(audit).extracting(AuditRecord::sessionId).containsOnly("session-1");
    assertThat(audit).filteredOn(r -> "GET".equals(r.method())).singleElement().satisfies(r -> {
      assertThat(r.host()).isEqualTo("api.example.test");
      assertThat(r.path()).isEqualTo("/v1/items");
      assertThat(r.rule()).isEqualTo("example-api");
      assertThat(r.decision()).isEqualTo("inject");
      assertThat(r.authInjected()).isTrue();
      assertThat(r.responseCode()).isEqualTo(200);
    });
    assertThat(audit).filteredOn(r -> "POST".equals(r.method())).singleElement().satisfies(r -> {
      assertThat(r.decision()).isEqualTo("refuse");
      assertThat(r.error()).isEqualTo("READ_ONLY");
      assertThat(r.responseCode()).isEqualTo(403);
      assertThat(r.authInjected()).isFalse();
    });
    assertThat(Files.readString(dir.resolve("audit.jsonl"))).doesNotContain(TOKEN);
  }

  @Test
  void mainPrintsWhatHappened() throws Exception {
    String printed = MainOutput.of(() -> EmbeddedProxyExample.main(new String[0]));

    assertThat(printed)
        .contains("client sent:             Authorization: Bearer mux-proxy")
        .contains("upstream got real token: true")
        .contains("GET  -> 200 items: []")
        .contains("POST -> 403 mux: session session-1 is read-only for api.example.test")
        .contains("audit: POST api.example.test/v1/items refuse 403 READ_ONLY");
  }
}
