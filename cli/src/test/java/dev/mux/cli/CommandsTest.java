package dev.mux.cli;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.audit.AuditRecord;
import dev.mux.audit.AuditWriter;
import dev.mux.rules.Placeholders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host-side commands, run in-process against a temporary state folder. */
class CommandsTest {
  private static final String REAL_TOKEN = TestTokens.oauth("commands");
  private static final String REAL_GITHUB = "ghp_REALgithubTokenNeverPrinted";

  @TempDir Path home;

  private Map<String, String> environment() {
    return Map.of("MUX_HOME", home.toString(), "CLAUDE_CODE_OAUTH_TOKEN", REAL_TOKEN);
  }

  @Test
  void homeOptionWinsOverMuxHome(@TempDir Path other) {
    MuxRun run = MuxRun.run(environment(), "ca", "path", "--home", other.toString());

    assertThat(run.out().trim()).isEqualTo(other.resolve("proxy-ca.pem").toString());
  }

  @Test
  void caPathFollowsMuxHome() {
    MuxRun run = MuxRun.run(environment(), "ca", "path");

    assertThat(run.status()).isZero();
    assertThat(run.out().trim()).isEqualTo(home.resolve("proxy-ca.pem").toString());
  }

  @Test
  void caShowCreatesTheCaOnceAndPrintsItsFingerprint() throws Exception {
    MuxRun first = MuxRun.run(environment(), "ca", "show");
    MuxRun second = MuxRun.run(environment(), "ca", "show");

    assertThat(first.status()).isZero();
    assertThat(first.out()).contains("Subject:", "Not after:", "SHA-256:");
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("proxy-ca-key.pem"))))
        .isEqualTo("rw-------");
  }

  @Test
  void caExportPrintsTheCertificateFile() throws Exception {
    MuxRun run = MuxRun.run(environment(), "ca", "export");
    Path out = home.resolve("exported.pem");
    MuxRun toFile = MuxRun.run(environment(), "ca", "export", "--out", out.toString());

    String onDisk = Files.readString(home.resolve("proxy-ca.pem"));
    assertThat(run.out()).isEqualTo(onDisk).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(out)).isEqualTo(onDisk);
    assertThat(toFile.out()).isEmpty();
  }

  @Test
  void brokenCaIsOneClearLineAndFailure() throws Exception {
    Files.writeString(home.resolve("proxy-ca.pem"), "not a certificate");

    MuxRun run = MuxRun.run(environment(), "ca", "show");

    assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().trim()).startsWith("mux ca show: ").contains("proxy-ca").doesNotContain("\n\tat ");
  }

  @Test
  void envPrintsAVerifiableCredentialAndNoRealToken() {
    MuxRun run = MuxRun.run(environment(), "env", "--name", "laptop", "--port", "18555");

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .contains("export NODE_EXTRA_CA_CERTS='" + home.resolve("proxy-ca.pem") + "'")
        .contains("export SSL_CERT_FILE='" + home.resolve("ca-bundle.pem") + "'")
        .contains("export CLAUDE_CODE_OAUTH_TOKEN='" + Placeholders.ANTHROPIC_OAUTH + "'")
        .contains("unset ANTHROPIC_API_KEY")
        .doesNotContain(REAL_TOKEN);
    Matcher proxy = Pattern.compile("export HTTPS_PROXY='http://laptop:([^@]+)@127\\.0\\.0\\.1:18555'").matcher(run.out());
    assertThat(proxy.find()).as(run.out()).isTrue();
    assertThat(ClientCredentials.open(StateFolder.at(home)).verify("laptop", proxy.group(1))).contains("laptop");
  }

  @Test
  void envUsesThePortAndPlaceholdersTheDaemonAnnounced() {
    StateFolder state = StateFolder.at(home).ensureExists();
    new DaemonInfo(1, 41234, List.of("127.0.0.1:41234"), "now", Map.of("GH_TOKEN", "mux-proxy"), List.of(), null)
        .write(state);

    MuxRun run = MuxRun.run(Map.of("MUX_HOME", home.toString()), "env");

    assertThat(run.out()).contains("@127.0.0.1:41234'", "export GH_TOKEN='mux-proxy'", "http://host:");
  }

  @Test
  void envRevokeMakesEarlierCredentialsFail() {
    MuxRun issued = MuxRun.run(environment(), "env", "--name", "ci");
    Matcher proxy = Pattern.compile("http://ci:([^@]+)@").matcher(issued.out());
    assertThat(proxy.find()).isTrue();

    MuxRun revoked = MuxRun.run(environment(), "env", "--name", "ci", "--revoke");

    assertThat(revoked.status()).isZero();
    assertThat(ClientCredentials.open(StateFolder.at(home)).verify("ci", proxy.group(1))).isEmpty();
  }

  @Test
  void envRefusesABadName() {
    MuxRun run = MuxRun.run(environment(), "env", "--name", "a b");

    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("name: \"a b\"");
  }

  @Test
  void sessionCreateWithoutADaemonSaysToStartOneAndCreatesNothing() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    new DaemonInfo(ProcessHandle.current().pid(), closedPort, List.of("127.0.0.1:" + closedPort), "now", Map.of(), List.of(), null)
        .write(StateFolder.resolve(null, environment()).ensureExists());

    MuxRun run = MuxRun.run(environment(), "session", "create", "--name", "nodaemon", "--prompt", "hi",
        "--workspace", home.toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().strip())
        .startsWith("mux session create: no mux daemon answers on 127.0.0.1:" + closedPort)
        .endsWith("start `mux daemon` first (in another terminal), then run this again")
        .doesNotContain("\n");
    assertThat(home.resolve("sessions")).doesNotExist();
    assertThat(home.resolve("client-credentials.key")).doesNotExist();
  }

  @Test
  void sessionCreateWarnsWhenTheDaemonHasNoAnthropicCredential(@TempDir Path workspace) throws Exception {
    try (java.net.ServerSocket fakeDaemon =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread answer = new Thread(() -> {
        try (java.net.Socket client = fakeDaemon.accept()) {
          client.getInputStream().read(new byte[256]);
          client.getOutputStream().write("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException ignored) {
          // the test fails on its own assertions
        }
      });
      answer.start();
      new DaemonInfo(ProcessHandle.current().pid(), fakeDaemon.getLocalPort(), List.of(), "now",
          Map.of("GH_TOKEN", Placeholders.GENERIC), List.of(), null)
          .write(StateFolder.resolve(null, environment()).ensureExists());

      MuxRun run = MuxRun.run(environment(), "session", "create", "--name", "nocred", "--prompt", "hi",
          "--workspace", workspace.toString(), "--image", "mux-test-absent-image:none");

      answer.join(10_000);
      assertThat(run.err()).contains("session nocred: warning: the daemon has no Anthropic credential, so Claude Code"
          + " in the session will not be logged in");
      assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.FAILURE); // the image does not exist
    }
  }

  @Test
  void sessionCreateRefusesACredentialPassedAsEnvWithoutEchoingIt() {
    for (String name : List.of("GITHUB_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY")) {
      MuxRun run = MuxRun.run(environment(), "session", "create", "--name", "leaky", "--prompt", "hi",
          "--workspace", home.toString(), "--env", "OK=1", "--env", name + "=" + REAL_GITHUB);

      assertThat(run.status()).as(name).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err()).contains("--env " + name + ": that is a credential the proxy injects")
          .doesNotContain(REAL_GITHUB);
    }
  }

  @Test
  void rulesListShowsPresenceAndSourceButNeverAValue() throws Exception {
    Path secrets = Files.createDirectories(home.resolve("secrets"));
    Path github = secrets.resolve("GITHUB_TOKEN");
    Files.writeString(github, REAL_GITHUB, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(github, PosixFilePermissions.fromString("rw-------"));

    MuxRun run = MuxRun.run(environment(), "rules", "list");

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("anthropic +api\\.anthropic\\.com +443 +CLAUDE_CODE_OAUTH_TOKEN +yes +env +yes");
    assertThat(run.out()).containsPattern("github-api +api\\.github\\.com +443 +GITHUB_TOKEN +yes +file +yes");
    assertThat(run.out()).containsPattern("npm +registry\\.npmjs\\.org +443 +NPM_TOKEN +no +none +no");
    assertThat(run.out() + run.err()).doesNotContain(REAL_TOKEN).doesNotContain(REAL_GITHUB);
  }

  @Test
  void rulesListShowsTheRunningDaemonsViewUnlessLocalIsAsked() {
    RuleRow daemonsView = new RuleRow("anthropic", "api.anthropic.com", 443, "CLAUDE_CODE_OAUTH_TOKEN", true, "file", true,
        true, "");
    new DaemonInfo(ProcessHandle.current().pid(), 18080, List.of("127.0.0.1:18080"), "now", Map.of(), List.of(),
        List.of(daemonsView)).write(StateFolder.resolve(null, environment()).ensureExists());
    Map<String, String> shellWithoutToken = Map.of("MUX_HOME", home.toString());

    MuxRun daemons = MuxRun.run(shellWithoutToken, "rules", "list");
    MuxRun local = MuxRun.run(shellWithoutToken, "rules", "list", "--local");

    assertThat(daemons.status()).isZero();
    assertThat(daemons.err()).contains("rules: as the running daemon (pid " + ProcessHandle.current().pid() + ") sees them");
    assertThat(daemons.out()).containsPattern("anthropic +api\\.anthropic\\.com +443 +CLAUDE_CODE_OAUTH_TOKEN +yes +file +yes")
        .doesNotContain("github");
    assertThat(local.status()).isZero();
    assertThat(local.err()).contains("credentials as this shell sees them");
    assertThat(local.out()).containsPattern("anthropic +api\\.anthropic\\.com +443 +CLAUDE_CODE_OAUTH_TOKEN +no +none +no")
        .contains("github");
  }

  @Test
  void rulesListIgnoresTheAnnouncementOfADeadDaemon() {
    long deadPid = Integer.MAX_VALUE; // above any Linux pid_max (at most 2^22): no such process
    new DaemonInfo(deadPid, 18080, List.of("127.0.0.1:18080"), "now", Map.of(), List.of(),
        List.of(new RuleRow("stale", "stale.example", 443, "STALE", true, "env", true, false, "")))
        .write(StateFolder.resolve(null, environment()).ensureExists());

    MuxRun run = MuxRun.run(environment(), "rules", "list");

    assertThat(run.out()).doesNotContain("stale.example").contains("api.anthropic.com");
    assertThat(run.err()).contains("credentials as this shell sees them");
  }

  @Test
  void unreadableConfigIsOneClearLine() {
    MuxRun run = MuxRun.run(environment(), "rules", "list", "--config", home.resolve("missing.toml").toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().trim()).isEqualTo(
        "mux rules list: config: cannot read " + home.resolve("missing.toml") + " (check the path and its permissions)");
  }

  @Test
  void auditTailPrintsATableFilteredBySession() {
    writeAudit();

    MuxRun run = MuxRun.run(environment(), "audit", "tail", "--session", "alpha");

    assertThat(run.status()).isZero();
    String[] lines = run.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("TIME").contains("SESSION", "HOST", "AUTH");
    assertThat(lines[1]).contains("alpha", "POST", "api.anthropic.com", "/v1/messages", "200", "yes", "inject");
  }

  @Test
  void auditTailJsonPrintsRecordsInTheFileFormat() {
    writeAudit();

    MuxRun run = MuxRun.run(environment(), "audit", "tail", "--json", "--host", "api.github.com");

    assertThat(run.out().trim().split("\n")).hasSize(1);
    assertThat(run.out())
        .contains("\"session_id\":\"beta\"", "\"auth_injected\":false", "\"service\":\"api.github.com\"")
        .contains("\"timestamp\":\"2026-01-02T03:04:06.000Z\"");
  }

  @Test
  void auditTailJsonPrintsTheFilesLinesUnchanged() throws Exception {
    writeAudit();

    MuxRun run = MuxRun.run(environment(), "audit", "tail", "--json");

    assertThat(run.status()).isZero();
    assertThat(run.out()).isEqualTo(Files.readString(home.resolve("audit.jsonl"), StandardCharsets.UTF_8));
  }

  @Test
  void auditTailSinceAndLineCount() {
    writeAudit();

    MuxRun since = MuxRun.run(environment(), "audit", "tail", "--json", "--since", "2026-01-02T03:04:05.500Z");
    MuxRun last = MuxRun.run(environment(), "audit", "tail", "--json", "-n", "1");

    assertThat(since.out().trim().split("\n")).hasSize(1);
    assertThat(last.out().trim().split("\n")).hasSize(1);
    assertThat(last.out()).contains("\"session_id\":\"beta\"");
  }

  private void writeAudit() {
    try (AuditWriter writer = AuditWriter.builder(home.resolve("audit.jsonl")).build()) {
      writer.write(
          AuditRecord.builder()
              .timestamp(Instant.parse("2026-01-02T03:04:05Z"))
              .sessionId("alpha")
              .client("alpha")
              .method("POST")
              .host("api.anthropic.com")
              .port(443)
              .path("/v1/messages?beta=true")
              .rule("anthropic")
              .authInjected(true)
              .decision("inject")
              .responseCode(200)
              .durationMs(12)
              .build());
      writer.write(
          AuditRecord.builder()
              .timestamp(Instant.parse("2026-01-02T03:04:06Z"))
              .sessionId("beta")
              .method("GET")
              .host("api.github.com")
              .port(443)
              .path("/user")
              .authInjected(false)
              .decision("pass")
              .responseCode(200)
              .build());
      writer.flush();
    }
  }
}
