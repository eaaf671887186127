package dev.mux.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A local stand-in for api.anthropic.com over TLS (certificate from its own test CA). It answers
 * only requests carrying the real OAuth token as {@code Authorization: Bearer}; others get 401.
 * Answers Claude Code's settings/policy calls and streams {@link #ANSWER} as SSE.
 */
final class FakeAnthropic implements AutoCloseable {
  static final String ANSWER = "Hello from the fake Anthropic API";

  private final HttpsServer server;
  private final HeldCertificate ca;
  private final String realToken;
  private final String expectedAuthorization;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> unauthorized = new CopyOnWriteArrayList<>();

  private FakeAnthropic(String realToken) throws IOException {
    this.realToken = realToken;
    this.expectedAuthorization = "Bearer " + realToken;
    ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("fake-anthropic test CA").build();
    HeldCertificate leaf =
        new HeldCertificate.Builder()
            .commonName("api.anthropic.com")
            .addSubjectAlternativeName("api.anthropic.com")
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .signedBy(ca)
            .build();
    HandshakeCertificates serverCertificates =
        new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverCertificates.sslContext()));
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeAnthropic start(String realToken) throws IOException {
    return new FakeAnthropic(realToken);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /**
   * Starts {@code mux daemon} on a free port with {@code MUX_HOME=home} and this server's token in
   * its environment, sending api.anthropic.com here (config and CA written into {@code work}).
   * {@code bindArguments} are added as they are, e.g. {@code "--bind", "127.0.0.1"}.
   */
  MuxJar.Background startDaemon(Path home, Path work, String... bindArguments) throws IOException {
    List<String> arguments = new ArrayList<>(List.of(
        "daemon",
        "--port", "0",
        "--config", writeConfig(work.resolve("rules.toml")).toString(),
        "--upstream-ca", writeCa(work.resolve("fake-ca.pem")).toString()));
    arguments.addAll(List.of(bindArguments));
    return MuxJar.Background.start(
        Map.of("MUX_HOME", home.toString(), "CLAUDE_CODE_OAUTH_TOKEN", realToken),
        arguments.toArray(String[]::new));
  }

  /** Writes the test CA's certificate, for the daemon's {@code --upstream-ca}. */
  Path writeCa(Path file) throws IOException {
    Files.writeString(file, ca.certificatePem(), StandardCharsets.US_ASCII);
    return file;
  }

  /** A config file sending api.anthropic.com to this server. */
  Path writeConfig(Path file) throws IOException {
    Files.writeString(file, "[preset.anthropic]\nupstream = \"https://127.0.0.1:" + port() + "\"\n");
    return file;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body = exchange.getRequestBody().readAllBytes();
    requests.add(exchange.getRequestMethod() + " " + path);
    if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      unauthorized.add(exchange.getRequestMethod() + " " + path);
      send(exchange, 401, "application/json",
          "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"fake: wrong credential\"}}");
      return;
    }
    if (path.startsWith("/api/claude_code/settings") || path.startsWith("/api/claude_code/policy_limits")) {
      send(exchange, 200, "application/json", "{}");
    } else if (path.equals("/v1/messages")) {
      String request = new String(body, StandardCharsets.UTF_8);
      if (request.replace(" ", "").contains("\"stream\":true")) {
        streamAnswer(exchange);
      } else {
        send(exchange, 200, "application/json", message());
      }
    } else if (path.equals("/v1/ping")) {
      send(exchange, 200, "text/plain", "pong from fake anthropic\n");
    } else {
      send(exchange, 404, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"}}");
    }
  }

  private static String message() {
    return "{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-fake\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + ANSWER + "\"}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}";
  }

  private static void streamAnswer(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      event(out, "message_start",
          "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\","
              + "\"model\":\"claude-fake\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
              + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
      event(out, "content_block_start",
          "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
      event(out, "content_block_delta",
          "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + ANSWER + "\"}}");
      event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      event(out, "message_delta",
          "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
              + "\"usage\":{\"output_tokens\":7}}");
      event(out, "message_stop", "{\"type\":\"message_stop\"}");
    }
  }

  private static void event(OutputStream out, String name, String data) throws IOException {
    out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
