package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsHandshakeIntegrationTest {
  private static final CertificateAuthority CA = CertificateAuthority.builder().build();

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void sniPicksTheLeafAndHostnameVerificationPasses(String protocol) throws Exception {
    LeafIssuer issuer = CA.leafIssuer().build();
    try (TlsServer server = new TlsServer(TlsMaterial.serverContext(issuer, "localhost"));
        SSLSocket socket = connect(server.port(), "api.example.com", clientContext(), protocol)) {
      socket.startHandshake();

      X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      assertThat(peer.getSubjectAlternativeNames()).containsExactly(List.of(2, "api.example.com"));
      assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      assertThat(readLine(socket)).isEqualTo("hello");
    }
    assertThat(issuer.certificatesSigned()).isEqualTo(1);
  }

  @Test
  void hostnameVerificationFailsForAnotherHost() throws Exception {
    IssuedCertificate other = CA.leafIssuer().build().issue("other.example.com");
    try (TlsServer server = new TlsServer(TlsMaterial.serverContext(other));
        SSLSocket socket = connect(server.port(), "api.example.com", clientContext(), "TLSv1.3")) {
      assertThatThrownBy(socket::startHandshake)
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("No subject alternative DNS name matching api.example.com found");
    }
  }

  @Test
  void clientWithoutSniGetsTheFallbackHost() throws Exception {
    LeafIssuer issuer = CA.leafIssuer().build();
    // An IP literal is never sent as SNI, so the server falls back to 127.0.0.1.
    try (TlsServer server = new TlsServer(TlsMaterial.serverContext(issuer, "127.0.0.1"));
        SSLSocket socket = connect(server.port(), "127.0.0.1", clientContext(), "TLSv1.3")) {
      socket.startHandshake();

      X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      assertThat(peer.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
    }
  }

  @Test
  void ipCertificateDoesNotVerifyForAnotherIp() throws Exception {
    IssuedCertificate ip = CA.leafIssuer().build().issue("127.0.0.2");
    try (TlsServer server = new TlsServer(TlsMaterial.serverContext(ip));
        SSLSocket socket = connect(server.port(), "127.0.0.1", clientContext(), "TLSv1.3")) {
      assertThatThrownBy(socket::startHandshake)
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1 found");
    }
  }

  @Test
  void clientTrustingAnotherCaRejectsTheLeaf() throws Exception {
    CertificateAuthority stranger = CertificateAuthority.builder().build();
    try (TlsServer server = new TlsServer(TlsMaterial.serverContext(CA.leafIssuer().build(), "localhost"));
        SSLSocket socket = connect(server.port(), "localhost",
            TlsMaterial.clientContextTrusting(stranger.certificate()), "TLSv1.3")) {
      assertThatThrownBy(socket::startHandshake)
          .isInstanceOf(SSLHandshakeException.class)
          // Same subject "CN=mux Proxy CA", different key: the signature check fails.
          .hasMessageContaining("Path does not chain with any of the trust anchors");
    }
  }

  @Test
  void rsaCaSigningEcLeaves() throws Exception {
    CertificateAuthority rsa = CertificateAuthority.builder().rsa2048().build();
    try (TlsServer server = new TlsServer(TlsMaterial.serverContext(rsa.leafIssuer().build(), "localhost"));
        SSLSocket socket = connect(server.port(), "localhost",
            TlsMaterial.clientContextTrusting(rsa.certificate()), "TLSv1.2")) {
      socket.startHandshake();
      assertThat(readLine(socket)).isEqualTo("hello");
    }
  }

  @Test
  void sslEngineHandshakeWithSniKeyManager() throws Exception {
    LeafIssuer issuer = CA.leafIssuer().build();
    SSLEngine server = TlsMaterial.serverContext(issuer, "localhost").createSSLEngine();
    server.setUseClientMode(false);
    SSLEngine client = clientContext().createSSLEngine("engine.example.com", 443);
    client.setUseClientMode(true);
    SSLParameters parameters = client.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    client.setSSLParameters(parameters);

    handshake(client, server);

    X509Certificate peer = (X509Certificate) client.getSession().getPeerCertificates()[0];
    assertThat(peer.getSubjectAlternativeNames()).containsExactly(List.of(2, "engine.example.com"));
  }

  @Test
  void sslEngineHostnameVerificationFails() throws Exception {
    SSLEngine server = TlsMaterial.serverContext(CA.leafIssuer().build().issue("a.example.com"))
        .createSSLEngine();
    server.setUseClientMode(false);
    SSLEngine client = clientContext().createSSLEngine("b.example.com", 443);
    client.setUseClientMode(true);
    SSLParameters parameters = client.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    client.setSSLParameters(parameters);

    assertThatThrownBy(() -> handshake(client, server))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("No subject alternative DNS name matching b.example.com found");
  }

  @Test
  void invalidSniFailsTheHandshake() throws Exception {
    // An underscore-free but over-long label: valid for the JDK's SNIHostName, invalid for us.
    String host = "a".repeat(64) + ".example.com";
    try (TlsServer server = new TlsServer(TlsMaterial.serverContext(CA.leafIssuer().build(), "localhost"));
        SSLSocket socket = connect(server.port(), host, clientContext(), "TLSv1.3")) {
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
    }
  }

  private static SSLContext clientContext() {
    return TlsMaterial.clientContextTrusting(CA.certificate());
  }

  private static SSLSocket connect(int port, String host, SSLContext context, String protocol)
      throws Exception {
    Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setProtocols(new String[] {protocol});
    socket.setSSLParameters(parameters);
    return socket;
  }

  private static String readLine(SSLSocket socket) throws Exception {
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  /** Drives two engines through a handshake in memory, running delegated tasks inline. */
  private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
    int packetSize = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    int appSize = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
    ByteBuffer clientToServer = ByteBuffer.allocate(packetSize * 4);
    ByteBuffer serverToClient = ByteBuffer.allocate(packetSize * 4);
    ByteBuffer empty = ByteBuffer.allocate(0);
    ByteBuffer clientApp = ByteBuffer.allocate(appSize);
    ByteBuffer serverApp = ByteBuffer.allocate(appSize);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < 200; step++) {
      if (done(client) && done(server)) {
        return;
      }
      step(client, empty, clientToServer, serverToClient, clientApp);
      step(server, empty, serverToClient, clientToServer, serverApp);
    }
    throw new AssertionError("handshake did not finish");
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
      throws Exception {
    switch (engine.getHandshakeStatus()) {
      case NEED_WRAP -> engine.wrap(empty, out);
      case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
        in.flip();
        SSLEngineResult result = engine.unwrap(in, app);
        in.compact();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
          return;
        }
      }
      case NEED_TASK -> {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
      }
      default -> { }
    }
  }
}
