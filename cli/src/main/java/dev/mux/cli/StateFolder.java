package dev.mux.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The state folder ({@code ~/.clauderon} unless {@code --home} or {@code MUX_HOME} says otherwise)
 * and the files mux keeps in it.
 */
final class StateFolder {
  static final String ENVIRONMENT_VARIABLE = "MUX_HOME";
  static final String DEFAULT_FOLDER = ".clauderon";

  private final Path dir;

  private StateFolder(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** {@code option} if given, else {@code $MUX_HOME}, else {@code ~/.clauderon}. */
  static StateFolder resolve(HomeOption option, Map<String, String> environment) {
    if (option != null && option.home != null) {
      return new StateFolder(option.home);
    }
    String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return new StateFolder(Path.of(fromEnvironment));
    }
    return new StateFolder(Path.of(System.getProperty("user.home"), DEFAULT_FOLDER));
  }

  static StateFolder at(Path dir) {
    return new StateFolder(dir);
  }

  Path dir() {
    return dir;
  }

  /** Creates the folder (0700) if needed. */
  StateFolder ensureExists() {
    try {
      if (!Files.isDirectory(dir)) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(
              dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("state folder: cannot create " + dir, e);
    }
  }

  Path caCertificate() {
    return dir.resolve("proxy-ca.pem");
  }

  Path caKey() {
    return dir.resolve("proxy-ca-key.pem");
  }

  /** System trust store plus the mux CA, for programs whose variable replaces the store (SSL_CERT_FILE). */
  Path caBundle() {
    return dir.resolve("ca-bundle.pem");
  }

  Path auditFile() {
    return dir.resolve("audit.jsonl");
  }

  Path claudeJson() {
    return dir.resolve("claude.json");
  }

  Path secretsDir() {
    return dir.resolve("secrets");
  }

  Path clientKey() {
    return dir.resolve("client-credentials.key");
  }

  Path revokedClients() {
    return dir.resolve("revoked-clients");
  }

  Path daemonInfo() {
    return dir.resolve("daemon.json");
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
