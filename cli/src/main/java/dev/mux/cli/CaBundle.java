package dev.mux.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The file for variables that REPLACE a program's trust store ({@code SSL_CERT_FILE},
 * {@code REQUESTS_CA_BUNDLE}, {@code GIT_SSL_CAINFO}): the system's CAs plus the mux CA, so that
 * hosts the proxy tunnels without interception still verify.
 */
final class CaBundle {
  private static final List<Path> SYSTEM_BUNDLES =
      List.of(
          Path.of("/etc/ssl/certs/ca-certificates.crt"),
          Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
          Path.of("/etc/ssl/cert.pem"));

  private CaBundle() {}

  /** Writes {@code state.caBundle()} (atomically) and returns its path. */
  static Path write(StateFolder state, String muxCaPem) {
    Path target = state.caBundle();
    try {
      String bundle = systemCertificatesPem() + "\n# mux proxy CA\n" + muxCaPem;
      Path temp = Files.createTempFile(target.getParent(), ".ca-bundle", ".pem");
      Files.writeString(temp, bundle, StandardCharsets.US_ASCII);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static String systemCertificatesPem() throws IOException {
    for (Path candidate : SYSTEM_BUNDLES) {
      if (Files.isReadable(candidate)) {
        return Files.readString(candidate, StandardCharsets.US_ASCII);
      }
    }
    return javaTrustStorePem();
  }

  private static String javaTrustStorePem() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      StringBuilder pem = new StringBuilder();
      Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      for (var manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          for (X509Certificate certificate : x509.getAcceptedIssuers()) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                .append(base64.encodeToString(certificate.getEncoded()))
                .append("\n-----END CERTIFICATE-----\n");
          }
        }
      }
      return pem.toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the Java trust store", e);
    }
  }
}
