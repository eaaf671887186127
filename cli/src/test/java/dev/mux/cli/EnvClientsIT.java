package dev.mux.cli;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.rules.Placeholders;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mux env} output used by real clients (curl through a shell's eval, and OkHttp) against a
 * real daemon whose anthropic rule goes to a local fake API over TLS that demands the real token.
 */
class EnvClientsIT {
  private static final String REAL_TOKEN = TestTokens.oauth("env-it");

  @TempDir Path home;
  @TempDir Path work;
  private FakeAnthropic fake;
  private MuxJar.Background daemon;

  @BeforeEach
  void startFakeAndDaemon() throws Exception {
    fake = FakeAnthropic.start(REAL_TOKEN);
    daemon = startDaemon();
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
    fake.close();
  }

  private MuxJar.Background startDaemon() throws Exception {
    MuxJar.Background started = fake.startDaemon(home, work, "--bind", "127.0.0.1");
    started.awaitListening(home);
    return started;
  }

  /** Runs {@code script} in bash after {@code eval "$(mux env --name NAME)"}, with no real token around. */
  private MuxJar.Result shellWithEnv(String name, String script) {
    String env = MuxJar.java() + " -jar " + MuxJar.jar() + " env --name " + name;
    return MuxJar.exec(
        Map.of("MUX_HOME", home.toString()),
        List.of("bash", "-c", "set -e; eval \"$(" + env + ")\"; " + script),
        Duration.ofSeconds(60));
  }

  @Test
  void curlThroughTheDaemonGetsTheRealTokenInjected() {
    MuxJar.Result curl = shellWithEnv("curl-client", "curl -sS --fail https://api.anthropic.com/v1/ping");

    assertThat(curl.status()).as(curl.err()).isZero();
    assertThat(curl.out()).isEqualTo("pong from fake anthropic\n");
    assertThat(fake.requests).contains("GET /v1/ping");
    assertThat(fake.unauthorized).isEmpty();
    assertAuditedWithInjection("curl-client");
    assertTokenNowhere(curl.all());
  }

  @Test
  void okHttpWithTheEnvOutputGetsTheRealTokenInjected() throws Exception {
    MuxJar.Result env = MuxJar.run(Map.of("MUX_HOME", home.toString()), "env", "--name", "okhttp-client");
    Map<String, String> exports = exports(env.out());
    OkHttpClient client = clientFor(exports);

    try (Response response =
        client.newCall(new Request.Builder().url("https://api.anthropic.com/v1/ping").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("pong from fake anthropic\n");
    }
    assertThat(exports).containsEntry("CLAUDE_CODE_OAUTH_TOKEN", Placeholders.ANTHROPIC_OAUTH);
    assertAuditedWithInjection("okhttp-client");
    assertTokenNowhere(env.all());
  }

  @Test
  void revokedCredentialIsRefusedWith407() {
    MuxJar.Result env = MuxJar.run(Map.of("MUX_HOME", home.toString()), "env", "--name", "revoked-client");
    String proxy = exports(env.out()).get("HTTPS_PROXY");
    String curl = "curl -sS -o /dev/null -w '%{http_connect}' --proxy '" + proxy + "' --cacert '"
        + home.resolve("proxy-ca.pem") + "' https://api.anthropic.com/v1/ping";
    assertThat(MuxJar.exec(Map.of(), List.of("bash", "-c", curl), Duration.ofSeconds(30)).out()).isEqualTo("200");

    MuxJar.Result revoke = MuxJar.run(Map.of("MUX_HOME", home.toString()), "env", "--name", "revoked-client", "--revoke");

    assertThat(revoke.status()).isZero();
    assertThat(MuxJar.exec(Map.of(), List.of("bash", "-c", curl), Duration.ofSeconds(30)).out()).isEqualTo("407");
  }

  @Test
  void forgedCredentialIsRefusedWith407() {
    String curl = "curl -sS -o /dev/null -w '%{http_connect}' --proxy 'http://host:mux1.1.forged.forged@127.0.0.1:"
        + DaemonInfo.read(StateFolder.at(home)).orElseThrow().port() + "' https://api.anthropic.com/v1/ping";

    assertThat(MuxJar.exec(Map.of(), List.of("bash", "-c", curl), Duration.ofSeconds(30)).out()).isEqualTo("407");
    assertThat(fake.requests).isEmpty();
  }

  @Test
  void credentialStillWorksAfterTheDaemonRestarts() throws Exception {
    MuxJar.Result env = MuxJar.run(Map.of("MUX_HOME", home.toString()), "env", "--name", "restart-client");
    Map<String, String> exports = exports(env.out());
    daemon.signal("TERM");
    assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();

    daemon = startDaemon();
    int port = DaemonInfo.read(StateFolder.at(home)).orElseThrow().port();
    String proxy = exports.get("HTTPS_PROXY").replaceFirst(":\\d+$", ":" + port);
    String curl = "curl -sS --fail --proxy '" + proxy + "' --cacert '" + home.resolve("proxy-ca.pem")
        + "' https://api.anthropic.com/v1/ping";

    assertThat(MuxJar.exec(Map.of(), List.of("bash", "-c", curl), Duration.ofSeconds(30)).out())
        .isEqualTo("pong from fake anthropic\n");
  }

  private void assertAuditedWithInjection(String client) {
    MuxJar.await("audit record for " + client, Duration.ofSeconds(10), () -> {
      MuxJar.Result tail = MuxJar.run(Map.of("MUX_HOME", home.toString()), "audit", "tail", "--json", "--session", client);
      return tail.out().contains("\"auth_injected\":true");
    });
    MuxJar.Result table = MuxJar.run(Map.of("MUX_HOME", home.toString()), "audit", "tail", "--session", client);
    assertThat(table.out()).containsPattern(client + " +GET +api\\.anthropic\\.com +/v1/ping +200 +yes");
  }

  private void assertTokenNowhere(String output) {
    assertThat(output).doesNotContain(REAL_TOKEN);
    assertThat(daemon.stderr() + daemon.stdout()).doesNotContain(REAL_TOKEN);
    try (var files = Files.walk(home)) {
      files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().equals("proxy-ca-key.pem"))
          .forEach(f -> assertThat(MuxJar.read(f)).as(f.toString()).doesNotContain(REAL_TOKEN));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Map<String, String> exports(String envOutput) {
    Map<String, String> exports = new java.util.LinkedHashMap<>();
    Matcher m = Pattern.compile("^export ([A-Za-z_]+)='([^']*)'$", Pattern.MULTILINE).matcher(envOutput);
    while (m.find()) {
      exports.put(m.group(1), m.group(2));
    }
    return exports;
  }

  static OkHttpClient clientFor(Map<String, String> exports) throws Exception {
    URI proxy = URI.create(exports.get("HTTPS_PROXY"));
    String[] userInfo = proxy.getUserInfo().split(":", 2);
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(
                Certificates.decodeCertificatePem(Files.readString(Path.of(exports.get("NODE_EXTRA_CA_CERTS")))))
            .build();
    return new OkHttpClient.Builder()
        .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.getHost(), proxy.getPort())))
        .proxyAuthenticator(
            (route, response) ->
                response.request().header("Proxy-Authorization") != null
                    ? null
                    : response.request().newBuilder()
                        .header("Proxy-Authorization", Credentials.basic(userInfo[0], userInfo[1]))
                        .build())
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
        .build();
  }
}
