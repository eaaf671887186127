package dev.mux.ca.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.IssuedCertificate;
import dev.mux.ca.TlsMaterial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How another program's tests use cert-authority: an in-memory CA, an HTTPS server for
 * {@code localhost}, and an OkHttp client that trusts that CA and nothing else. Public API only.
 */
class LocalhostHttpsIntegrationTest {
  private final CertificateAuthority ca = CertificateAuthority.builder().build();
  private HttpsServer server;
  private OkHttpClient client;

  @BeforeEach
  void startServerAndClient() throws Exception {
    IssuedCertificate localhost = ca.leafIssuer().build().issue("localhost");
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(TlsMaterial.serverContext(localhost)));
    server.createContext("/", exchange -> {
      byte[] body = "hello over TLS".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();

    client = new OkHttpClient.Builder()
        .sslSocketFactory(
            TlsMaterial.clientContextTrusting(ca.certificate()).getSocketFactory(),
            TlsMaterial.trustManagerFor(ca.certificate()))
        .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void clientTrustsTheLocalhostCertificate() throws Exception {
    Request request = new Request.Builder()
        .url("https://localhost:" + server.getAddress().getPort() + "/")
        .build();

    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("hello over TLS");
      assertThat(response.handshake().peerCertificates().get(1)).isEqualTo(ca.certificate());
    }
  }

  @Test
  void hostnameVerificationFailsForAnotherName() {
    Request request = new Request.Builder()
        .url("https://127.0.0.1:" + server.getAddress().getPort() + "/")
        .build();

    assertThatThrownBy(() -> client.newCall(request).execute().close())
        .isInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessageStartingWith("Hostname 127.0.0.1 not verified");
  }

  @Test
  void defaultClientDoesNotTrustTheCa() {
    OkHttpClient plain = new OkHttpClient();
    Request request = new Request.Builder()
        .url("https://localhost:" + server.getAddress().getPort() + "/")
        .build();

    assertThatThrownBy(() -> plain.newCall(request).execute().close())
        .hasMessageContaining("PKIX path building failed");
  }
}
