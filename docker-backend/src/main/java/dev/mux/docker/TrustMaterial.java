package dev.mux.docker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Reads the proxy CA certificate (refusing anything holding a key) and the system's trusted CAs. */
final class TrustMaterial {
  static final List<Path> SYSTEM_BUNDLES = List.of(
      Path.of("/etc/ssl/certs/ca-certificates.crt"),
      Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
      Path.of("/etc/ssl/cert.pem"));

  private TrustMaterial() {}

  /** The CA certificate PEM; fails if the file is not a certificate or also holds a private key. */
  static String caCertificatePem(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("caCertificate: " + file + " (expected: a readable PEM certificate file)", e);
    }
    if (pem.contains("PRIVATE KEY")) {
      throw new IllegalArgumentException("caCertificate: " + file
          + " holds a private key (expected: the CA certificate alone; its key never goes into a container)");
    }
    try {
      var certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new CertificateException("no certificate");
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("caCertificate: " + file + " (expected: a PEM X.509 certificate)", e);
    }
    return pem.endsWith("\n") ? pem : pem + "\n";
  }

  /** The host's CA bundle, else the JVM's trusted CAs as PEM. */
  static String systemCertificatesPem(Path configured) {
    Optional<Path> bundle = configured != null
        ? Optional.of(configured)
        : SYSTEM_BUNDLES.stream().filter(Files::isReadable).findFirst();
    if (bundle.isPresent()) {
      try {
        String pem = Files.readString(bundle.get(), StandardCharsets.US_ASCII);
        if (pem.contains("PRIVATE KEY")) {
          throw new IllegalArgumentException("systemCertificates: " + bundle.get()
              + " holds a private key (expected: certificates only)");
        }
        return pem;
      } catch (IOException e) {
        throw new UncheckedIOException("systemCertificates: " + bundle.get() + " could not be read", e);
      }
    }
    return jvmTrustedPem();
  }

  private static String jvmTrustedPem() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      StringBuilder pem = new StringBuilder();
      Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      for (var manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate certificate : x509.getAcceptedIssuers()) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                .append(encoder.encodeToString(certificate.getEncoded()))
                .append("\n-----END CERTIFICATE-----\n");
          }
        }
      }
      return pem.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM's trusted certificates could not be read", e);
    }
  }
}
