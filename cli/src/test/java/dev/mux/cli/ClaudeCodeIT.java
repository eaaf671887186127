package dev.mux.cli;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI (npm {@code @anthropic-ai/claude-code}, fetched by the build) on the host:
 * {@code eval "$(mux env)"; claude --print} through a real daemon to a fake Anthropic API over TLS
 * that answers only when it receives the real OAuth token.
 */
class ClaudeCodeIT {
  private static final String REAL_TOKEN = TestTokens.oauth("claude-it");

  @TempDir Path home;
  @TempDir Path work;
  @TempDir Path claudeHome;

  static Path claude() {
    Path claude = Path.of(System.getProperty("mux.claude", "target/claude-code/node_modules/.bin/claude"));
    assertThat(claude).as("the Claude Code CLI (the build's npm install step fetches it)").exists();
    return claude.toAbsolutePath();
  }

  @Test
  void claudePrintAnswersThroughTheDaemonWithTheRealTokenInjected() throws Exception {
    Files.writeString(claudeHome.resolve(".claude.json"), ClaudeJson.CONTENT);
    try (FakeAnthropic fake = FakeAnthropic.start(REAL_TOKEN);
        MuxJar.Background daemon = fake.startDaemon(home, work, "--bind", "127.0.0.1")) {
      daemon.awaitListening(home);
      String env = MuxJar.java() + " -jar " + MuxJar.jar() + " env --name claude-host";

      MuxJar.Result claude =
          MuxJar.exec(
              Map.of(
                  "MUX_HOME", home.toString(),
                  "HOME", claudeHome.toString(),
                  "DISABLE_TELEMETRY", "1",
                  "DISABLE_ERROR_REPORTING", "1",
                  "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                  "DISABLE_AUTOUPDATER", "1"),
              List.of("bash", "-c", "set -e; eval \"$(" + env + ")\"; exec '" + claude() + "' --print 'Say hello'"),
              Duration.ofSeconds(120));

      assertThat(claude.status()).as("claude stderr: " + claude.err() + "\nfake saw: " + fake.requests).isZero();
      assertThat(claude.out()).contains(FakeAnthropic.ANSWER);
      assertThat(fake.requests).contains("POST /v1/messages");
      assertThat(fake.unauthorized).isEmpty();

      MuxJar.await("audit records of claude-host", Duration.ofSeconds(10), () ->
          MuxJar.run(Map.of("MUX_HOME", home.toString()), "audit", "tail", "--json", "--session", "claude-host")
              .out().contains("\"path\":\"/v1/messages\""));
      MuxJar.Result audit =
          MuxJar.run(Map.of("MUX_HOME", home.toString()), "audit", "tail", "--json", "--session", "claude-host");
      assertThat(audit.out().lines().filter(l -> l.contains("\"path\":\"/v1/messages\"")))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).contains("\"auth_injected\":true", "\"host\":\"api.anthropic.com\""));

      assertThat(claude.all() + audit.all() + daemon.stderr() + daemon.stdout()).doesNotContain(REAL_TOKEN);
      for (Path folder : List.of(home, claudeHome)) {
        try (var files = Files.walk(folder)) {
          files.filter(Files::isRegularFile)
              .forEach(f -> assertThat(MuxJar.read(f)).as(f.toString()).doesNotContain(REAL_TOKEN));
        }
      }
    }
  }
}
