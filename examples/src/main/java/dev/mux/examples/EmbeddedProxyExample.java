package dev.mux.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mux.audit.AuditReader;
import dev.mux.audit.AuditRecord;
import dev.mux.audit.AuditWriter;
import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.TlsMaterial;
import dev.mux.proxy.MuxProxy;
import dev.mux.proxy.ProxyAuthenticator;
import dev.mux.rules.CredentialFormat;
import dev.mux.rules.CredentialRules;
import dev.mux.rules.Placeholders;
import dev.mux.rules.Rule;
import dev.mux.rules.SessionPolicy;
import dev.mux.rules.Upstream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Recipe: embed the mux proxy in a JVM application, with a rule and a session policy of your own.
 *
 * <p>The rule gives requests to {@code api.example.test} the header
 * {@code Authorization: Bearer <EXAMPLE_TOKEN>} and sends them to a local HTTPS server standing in
 * for that API. The client — the "agent" — holds only a placeholder token, proxy credentials and
 * the proxy's CA certificate. The policy lets its session only read: the GET gets through with
 * the real token, the POST is refused by the proxy and never reaches the server.
 */
public final class EmbeddedProxyExample {
  private EmbeddedProxyExample() {}

  /**
   * What the example observed.
   *
   * @param placeholder the token the client sent
   * @param upstreamAuthorizations the {@code Authorization} header of each request the upstream got
   *     (the real token: compare it, do not print it)
   * @param get the reply to the GET
   * @param post the reply to the POST
   * @param audit the audit records the proxy wrote
   */
  public record Result(String placeholder, List<String> upstreamAuthorizations, Reply get, Reply post,
      List<AuditRecord> audit) {}

  /** A response the client got: status code and body. */
  public record Reply(int status, String body) {}

  public static void main(String[] args) throws Exception {
    String token = "demo-" + UUID.randomUUID();
    Result result = run(Files.createTempDirectory("mux-embedded"), token);
    System.out.println("client sent:             Authorization: Bearer " + result.placeholder());
    System.out.println("upstream got real token: " + result.upstreamAuthorizations().equals(List.of("Bearer " + token)));
    System.out.println("GET  -> " + result.get().status() + " " + result.get().body().strip());
    System.out.println("POST -> " + result.post().status() + " " + result.post().body().strip());
    result.audit().forEach(r -> System.out.println("audit: " + r.method() + " " + r.host() + r.path()
        + " " + r.decision() + " " + r.responseCode() + (r.error() != null ? " " + r.error() : "")));
  }

  /** Runs the proxy with {@code realToken} as the credential, sends a GET and a POST through it, stops it. */
  public static Result run(Path workDir, String realToken) throws IOException {
    // 1. The proxy's CA. In memory here; CertificateAuthority.loadOrCreate(dir) keeps one on disk.
    CertificateAuthority proxyCa = CertificateAuthority.builder().commonName("Example Proxy CA").build();

    // 2. The stand-in for the real API: an HTTPS server with a certificate from its own CA. It
    //    remembers the Authorization header of each request it gets.
    CertificateAuthority upstreamCa = CertificateAuthority.builder().commonName("Example Upstream CA").build();
    List<String> upstreamAuthorizations = new CopyOnWriteArrayList<>();
    HttpsServer upstream = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.setHttpsConfigurator(new HttpsConfigurator(
        TlsMaterial.serverContext(upstreamCa.leafIssuer().build().issue("localhost"))));
    upstream.createContext("/", exchange -> {
      upstreamAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = "items: []".getBytes(UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    upstream.start();

    // 3. A custom rule: api.example.test gets "Bearer <EXAMPLE_TOKEN>"; the upstream override sends
    //    its requests to the local server instead of the real host (still over verified TLS).
    Rule exampleApi = Rule.builder("example-api")
        .host("api.example.test")
        .credential("EXAMPLE_TOKEN")      // from the environment, else <home>/secrets/EXAMPLE_TOKEN
        .format(CredentialFormat.bearer())
        .upstream(new Upstream("localhost", upstream.getAddress().getPort()))
        .placeholder("EXAMPLE_TOKEN", Placeholders.GENERIC)
        .build();

    // 4. A session policy: session-1 may reach only api.example.test, and only read from it.
    CredentialRules rules = CredentialRules.builder()
        .home(workDir)
        .environment(Map.of("EXAMPLE_TOKEN", realToken))   // a real program keeps System.getenv()
        .presets(false)
        .addRule(exampleApi)
        .sessionPolicy("session-1", SessionPolicy.builder()
            .allowHosts("api.example.test").readOnly("api.example.test").build())
        .build();
    String placeholder = rules.placeholderEnvironment().get("EXAMPLE_TOKEN");   // what the agent gets

    // 5. The proxy on a free loopback port; clients log in as session-1 with a random password.
    String password = UUID.randomUUID().toString();
    Path auditFile = workDir.resolve("audit.jsonl");
    Reply getReply;
    Reply postReply;
    try (AuditWriter audit = AuditWriter.builder(auditFile).build();
        MuxProxy proxy = MuxProxy.builder()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .certificateAuthority(proxyCa)
            .rules(rules)
            .authenticator(ProxyAuthenticator.single("session-1", password, "session-1"))
            .auditWriter(audit)
            .upstreamTrust(upstreamCa.certificate())   // public hosts need nothing: the JVM's CAs are trusted
            .build()) {
      InetSocketAddress proxyAddress = proxy.start().get(0);

      // 6. The agent's HTTP client: the proxy, its credentials, and trust in the proxy's CA only.
      OkHttpClient client = new OkHttpClient.Builder()
          .proxy(new Proxy(Proxy.Type.HTTP, proxyAddress))
          .proxyAuthenticator((route, response) -> response.request().header("Proxy-Authorization") != null
              ? null // these credentials were refused already: give up
              : response.request().newBuilder()
                  .header("Proxy-Authorization", Credentials.basic("session-1", password)).build())
          .sslSocketFactory(TlsMaterial.clientContextTrusting(proxyCa.certificate()).getSocketFactory(),
              TlsMaterial.trustManagerFor(proxyCa.certificate()))
          .build();
      try {
        // 7. A GET with the placeholder: the proxy swaps in the real token.
        Request get = new Request.Builder().url("https://api.example.test/v1/items")
            .header("Authorization", "Bearer " + placeholder).build();
        getReply = send(client, get);
        // 8. A POST: refused by the read-only policy with a 403 that says why.
        Request post = get.newBuilder().post(RequestBody.create("{}", null)).build();
        postReply = send(client, post);
      } finally {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    } finally {
      upstream.stop(0);
    }

    // 9. One audit record per request: who, where, what was decided (closing the proxy flushed them).
    return new Result(placeholder, List.copyOf(upstreamAuthorizations), getReply, postReply,
        AuditReader.open(auditFile).readAll());
  }

  private static Reply send(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return new Reply(response.code(), response.body().string());
    }
  }
}
