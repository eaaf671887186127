package dev.mux.ca;

import java.nio.file.Path;

/**
 * A CA folder that cannot be used as it is: a missing half of the pair, a corrupt or unreadable
 * file, or a key that does not belong to the certificate. The message names the file and says
 * what to do; it never contains key material. mux never silently replaces such a CA, because
 * containers already trust it.
 */
public class CertificateAuthorityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  CertificateAuthorityException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file at fault (for a missing pair, the certificate file). */
  public Path file() {
    return file;
  }
}
