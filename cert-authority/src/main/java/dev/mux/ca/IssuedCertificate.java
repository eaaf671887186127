package dev.mux.ca;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A leaf certificate for one host, its private key, and its chain: the leaf first, then the CA
 * that signed it. This is what a TLS server presents. Immutable.
 *
 * <p>Get one from {@link LeafIssuer#issue(String)}. For a Netty server:
 * {@code SslContextBuilder.forServer(cert.privateKey(), cert.chain())}; for a JDK server:
 * {@link TlsMaterial#serverContext(IssuedCertificate)}.
 */
public final class IssuedCertificate {
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;

  IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, X509Certificate ca) {
    this.certificate = requireNonNull(certificate, "certificate");
    this.privateKey = requireNonNull(privateKey, "privateKey");
    this.chain = List.of(certificate, requireNonNull(ca, "ca"));
  }

  /** The leaf certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * The leaf's private key. All leaves of one {@link LeafIssuer} share one EC P-256 key pair,
   * as mitmproxy does: the key never leaves the process, and sharing it saves a key generation
   * per host.
   */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The chain a server sends: {@code [leaf, ca]}. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The leaf certificate as a {@code CERTIFICATE} PEM block. */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** The leaf's private key as a PKCS#8 {@code PRIVATE KEY} PEM block. */
  public String privateKeyPkcs8Pem() {
    return Pem.privateKeyPkcs8(privateKey);
  }

  /** The host name or IP address this certificate is for; never the key. */
  @Override
  public String toString() {
    return "IssuedCertificate{subject=" + certificate.getSubjectX500Principal().getName()
        + ", notAfter=" + certificate.getNotAfter().toInstant() + "}";
  }
}
