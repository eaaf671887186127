package dev.mux.cli;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.rules.Placeholders;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mux daemon} as a child process: start, announce, stop on signals, fail clearly. */
class DaemonIT {
  private static final String REAL_TOKEN = TestTokens.oauth("daemon-it");

  @TempDir Path home;

  private Map<String, String> environment() {
    return Map.of("MUX_HOME", home.toString(), "CLAUDE_CODE_OAUTH_TOKEN", REAL_TOKEN);
  }

  @Test
  void startsAnnouncesAndStopsCleanlyOnSigterm() throws Exception {
    try (MuxJar.Background daemon =
        MuxJar.Background.start(environment(), "daemon", "--port", "0", "--bind", "127.0.0.1")) {
      int port = daemon.awaitListening(home);

      assertThat(port).isPositive();
      String fingerprint = MuxJar.run(environment(), "ca", "show").out().lines()
          .filter(l -> l.startsWith("SHA-256:")).findFirst().orElseThrow().substring(8).trim();
      assertThat(daemon.stderr())
          .contains("listening on 127.0.0.1:" + port)
          .contains(home.resolve("proxy-ca.pem").toString())
          .contains(fingerprint)
          .contains("credentials present for: anthropic (api.anthropic.com, CLAUDE_CODE_OAUTH_TOKEN) from env")
          .doesNotContain(REAL_TOKEN);
      assertThat(home.resolve("claude.json")).hasContent(ClaudeJson.CONTENT.trim());

      daemon.signal("TERM");

      assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(daemon.stderr()).contains("stopped; audit log flushed").doesNotContain(REAL_TOKEN);
      assertThat(home.resolve("daemon.json")).doesNotExist();
    }
  }

  @Test
  void stopsCleanlyOnSigint() {
    try (MuxJar.Background daemon =
        MuxJar.Background.start(environment(), "daemon", "--port", "0", "--bind", "127.0.0.1")) {
      daemon.awaitListening(home);

      daemon.signal("INT");

      assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(daemon.stderr()).contains("stopped; audit log flushed");
    }
  }

  @Test
  void portInUseIsOneClearLineAndExit1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();

      MuxJar.Result run =
          MuxJar.run(environment(), "daemon", "--port", Integer.toString(port), "--bind", "127.0.0.1");

      assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
      assertThat(run.err().lines().filter(l -> l.startsWith("mux daemon: ")))
          .singleElement()
          .asString()
          .contains("cannot listen on 127.0.0.1:" + port)
          .contains("choose another --port");
      assertThat(run.err()).doesNotContain("\tat ");
      assertThat(home.resolve("daemon.json")).doesNotExist();
    }
  }

  @Test
  void badConfigIsOneClearLineAndExit1() throws Exception {
    Path config = Files.writeString(home.resolve("bad.toml"), "[[rule]]\nname = \"x\"\nhost = \n");

    MuxJar.Result run = MuxJar.run(environment(), "daemon", "--port", "0", "--config", config.toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().trim()).startsWith("mux daemon: ").contains(config.toString()).doesNotContain("\n");
  }

  @Test
  void unreadableConfigIsOneClearLineAndExit1() {
    Path config = home.resolve("absent.toml");

    MuxJar.Result run = MuxJar.run(environment(), "daemon", "--port", "0", "--config", config.toString());

    assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().trim())
        .isEqualTo("mux daemon: config: cannot read " + config + " (check the path and its permissions)");
  }

  @Test
  void badCaIsOneClearLineAndExit1() throws Exception {
    Files.createDirectories(home);
    Files.writeString(home.resolve("proxy-ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    Files.writeString(home.resolve("proxy-ca-key.pem"), "garbage");

    MuxJar.Result run = MuxJar.run(environment(), "daemon", "--port", "0", "--bind", "127.0.0.1");

    assertThat(run.status()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.err().lines().filter(l -> l.startsWith("mux daemon: ")))
        .singleElement()
        .asString()
        .contains("proxy-ca");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void reloadsConfigAndSecretsOnChange(@TempDir Path work) throws Exception {
    String fileToken = TestTokens.oauth("secret-file-reload");
    try (FakeAnthropic fake = FakeAnthropic.start(fileToken);
        MuxJar.Background daemon =
            MuxJar.Background.start(
                Map.of("MUX_HOME", home.toString()),
                "daemon", "--port", "0", "--bind", "127.0.0.1",
                "--upstream-ca", fake.writeCa(work.resolve("fake-ca.pem")).toString())) {
      int port = daemon.awaitListening(home);
      String proxy = EnvClientsIT.exports(MuxJar.run(Map.of("MUX_HOME", home.toString()), "env", "--name", "reload").out())
          .get("HTTPS_PROXY");
      java.util.List<String> curl = java.util.List.of("curl", "-s", "--proxy", proxy, "--cacert",
          home.resolve("proxy-ca.pem").toString(), "https://api.anthropic.com/v1/ping");
      assertThat(port).isPositive();
      assertThat(MuxJar.run(Map.of("MUX_HOME", home.toString()), "env").out()).doesNotContain("CLAUDE_CODE_OAUTH_TOKEN=");

      // The default config file (rules.toml in the state folder) and a secret file appear while it runs.
      Path secrets = Files.createDirectories(home.resolve("secrets"));
      Path secret = secrets.resolve("CLAUDE_CODE_OAUTH_TOKEN");
      Files.writeString(secret, fileToken + "\n");
      Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      fake.writeConfig(home.resolve("rules.toml"));

      MuxJar.await("the daemon to reload and inject the secret file's token", Duration.ofSeconds(30),
          () -> MuxJar.exec(Map.of(), curl, Duration.ofSeconds(20)).out().equals("pong from fake anthropic\n"));
      MuxJar.await("daemon.json to announce the new placeholder", Duration.ofSeconds(30),
          () -> MuxJar.run(Map.of("MUX_HOME", home.toString()), "env").out()
              .contains("export CLAUDE_CODE_OAUTH_TOKEN='" + Placeholders.ANTHROPIC_OAUTH + "'"));
      assertThat(daemon.stderr()).contains("rules reloaded").doesNotContain(fileToken);
    }
  }

  @Test
  void badPortIsAUsageError() {
    MuxJar.Result run = MuxJar.run(environment(), "daemon", "--port", "70000");

    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("port: 70000 (expected: 0-65535)");
  }
}
