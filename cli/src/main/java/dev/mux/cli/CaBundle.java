package dev.mux.cli;

import dev.mux.docker.SystemTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file for variables that REPLACE a program's trust store ({@code SSL_CERT_FILE},
 * {@code REQUESTS_CA_BUNDLE}, {@code GIT_SSL_CAINFO}): the system's CAs plus the mux CA, so that
 * hosts the proxy tunnels without interception still verify (the same bundle sessions get).
 */
final class CaBundle {

  private CaBundle() {}

  /** Writes {@code state.caBundle()} (atomically) and returns its path. */
  static Path write(StateFolder state, String muxCaPem) {
    Path target = state.caBundle();
    try {
      String bundle = SystemTrust.bundleWith("# mux proxy CA\n" + muxCaPem);
      Path temp = Files.createTempFile(target.getParent(), ".ca-bundle", ".pem");
      Files.writeString(temp, bundle, StandardCharsets.US_ASCII);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
