package dev.mux.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.IssuedCertificate;
import dev.mux.ca.TlsMaterial;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recipe: give a local HTTPS server in a JUnit test a certificate your client trusts, without
 * touching the JVM's trust store or turning verification off.
 *
 * <p>A throw-away CA lives in memory for the test; the server presents a leaf for
 * {@code localhost} signed by it, and the client trusts that CA and nothing else. Hostname
 * verification stays on.
 */
class LocalHttpsServerTest {
  // 1. A CA of your own, in memory: nothing is written to disk or to the JVM's cacerts.
  private final CertificateAuthority ca = CertificateAuthority.builder().commonName("Test CA").build();
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void startHttpsServer() throws Exception {
    // 2. A leaf certificate for the name the client will dial, and a server that presents it.
    IssuedCertificate localhost = ca.leafIssuer().build().issue("localhost");
    server.useHttps(TlsMaterial.serverContext(localhost).getSocketFactory());
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopHttpsServer() {
    server.close();
  }

  @Test
  void clientTrustingTheCaTalksToTheServer() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello over TLS").build());

    // 3. The client under test trusts exactly this CA (any client that takes an SSLContext works).
    HttpClient client = HttpClient.newBuilder()
        .sslContext(TlsMaterial.clientContextTrusting(ca.certificate()))
        .build();
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create("https://localhost:" + server.getPort() + "/greeting")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello over TLS");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/greeting");
    assertThat(request.getHandshake()).as("the request arrived over TLS").isNotNull();
  }

  @Test
  void clientWithTheDefaultTrustStoreRefusesTheServer() {
    // The same request without the CA fails: the trust above is what made it work.
    HttpClient client = HttpClient.newHttpClient();

    assertThatThrownBy(() -> client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + server.getPort() + "/")).build(),
            HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }
}
