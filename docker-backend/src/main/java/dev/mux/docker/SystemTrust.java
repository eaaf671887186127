package dev.mux.docker;

/**
 * A CA bundle for programs whose trust store a variable replaces ({@code SSL_CERT_FILE},
 * {@code REQUESTS_CA_BUNDLE}, {@code GIT_SSL_CAINFO}, …): the host's trusted CAs followed by the
 * mux proxy CA, so that hosts the proxy tunnels without interception still verify. Sessions mount
 * one in each container; {@code mux env} writes one for programs on the host.
 *
 * <p>The host's CAs are the first readable of {@code /etc/ssl/certs/ca-certificates.crt},
 * {@code /etc/pki/tls/certs/ca-bundle.crt} and {@code /etc/ssl/cert.pem}, else the JVM's
 * trusted CAs.
 */
public final class SystemTrust {

  private SystemTrust() {}

  /**
   * The host's trusted CAs, then {@code caPem}, as PEM text.
   *
   * @throws IllegalArgumentException if the host's bundle holds a private key
   * @throws java.io.UncheckedIOException if it cannot be read
   */
  public static String bundleWith(String caPem) {
    return bundle(TrustMaterial.systemCertificatesPem(null), caPem);
  }

  /** {@code systemPem} (ended by a line break if it has text) followed by {@code caPem}. */
  static String bundle(String systemPem, String caPem) {
    boolean ended = systemPem.isEmpty() || systemPem.endsWith("\n");
    return (ended ? systemPem : systemPem + "\n") + caPem;
  }
}
