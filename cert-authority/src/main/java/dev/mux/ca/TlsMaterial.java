package dev.mux.ca;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS material made from a CA: what a server presents (a key manager choosing the leaf by SNI,
 * or one fixed leaf) and what a client trusts (exactly the given certificates, nothing from the
 * JVM's store).
 *
 * <p>An HTTPS server for {@code localhost} and a client that trusts it, in a test:
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.builder().build();
 * IssuedCertificate localhost = ca.leafIssuer().build().issue("localhost");
 * HttpsServer server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
 * server.setHttpsConfigurator(new HttpsConfigurator(TlsMaterial.serverContext(localhost)));
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .sslSocketFactory(TlsMaterial.clientContextTrusting(ca.certificate()).getSocketFactory(),
 *         TlsMaterial.trustManagerFor(ca.certificate()))
 *     .build();
 * }</pre>
 */
public final class TlsMaterial {
  private TlsMaterial() {}

  /**
   * A trust manager that trusts only these certificates as anchors: not the JVM's default CAs.
   *
   * @throws IllegalArgumentException when no certificate is given
   */
  public static X509TrustManager trustManagerFor(X509Certificate... trusted) {
    requireNonNull(trusted, "trusted");
    checkArgument(trusted.length > 0, "trusted: [] (expected: at least one certificate)");
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < trusted.length; i++) {
        store.setCertificateEntry("trusted-" + i, requireNonNull(trusted[i], "trusted[" + i + "]"));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JVM's TrustManagerFactory made no X509TrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager", e);
    }
  }

  /** A client {@link SSLContext} that trusts only these certificates. */
  public static SSLContext clientContextTrusting(X509Certificate... trusted) {
    return context(null, trustManagerFor(trusted));
  }

  /**
   * A server key manager that presents, for each handshake, the leaf for the host the client
   * named by SNI, issued (or taken from the cache) by {@code issuer}; {@code fallbackHost} when
   * the client sent no SNI. A client naming an invalid host gets no certificate (the handshake
   * fails). Use it with {@code SSLContext.init} or Netty's
   * {@code SslContextBuilder.forServer(KeyManager)}.
   */
  public static X509ExtendedKeyManager sniKeyManager(LeafIssuer issuer, String fallbackHost) {
    requireNonNull(issuer, "issuer");
    HostName.parse(fallbackHost);
    return new LeafKeyManager(issuer::issue, fallbackHost);
  }

  /** A key manager that always presents {@code cert}, whatever the client asked for. */
  public static X509ExtendedKeyManager keyManager(IssuedCertificate cert) {
    requireNonNull(cert, "cert");
    return new LeafKeyManager(host -> cert, "localhost");
  }

  /** A server {@link SSLContext} presenting {@code cert}, e.g. for a JDK HttpsServer in tests. */
  public static SSLContext serverContext(IssuedCertificate cert) {
    return context(keyManager(cert), null);
  }

  /** A server {@link SSLContext} presenting the leaf for each client's SNI host. */
  public static SSLContext serverContext(LeafIssuer issuer, String fallbackHost) {
    return context(sniKeyManager(issuer, fallbackHost), null);
  }

  private static SSLContext context(KeyManager keyManager, X509TrustManager trustManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManager == null ? null : new KeyManager[] {keyManager},
          trustManager == null ? null : new TrustManager[] {trustManager},
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context", e);
    }
  }
}
