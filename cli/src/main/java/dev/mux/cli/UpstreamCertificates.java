package dev.mux.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code --upstream-ca PEM} files: extra CAs the proxy trusts for upstream servers. */
final class UpstreamCertificates {
  private UpstreamCertificates() {}

  static X509Certificate[] read(List<Path> files) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        int before = certificates.size();
        for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          certificates.add((X509Certificate) certificate);
        }
        if (certificates.size() == before) {
          throw new ExitException("upstream-ca: " + file + " holds no certificate (expected: PEM certificates)");
        }
      } catch (IOException e) {
        throw new ExitException("upstream-ca: cannot read " + file + " (" + e.getMessage() + ")");
      } catch (CertificateException e) {
        throw new ExitException("upstream-ca: " + file + " is not a PEM certificate (" + e.getMessage() + ")");
      }
    }
    return certificates.toArray(X509Certificate[]::new);
  }
}
