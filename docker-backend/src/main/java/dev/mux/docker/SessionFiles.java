package dev.mux.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The host files one session mounts, in {@code <sessionsDirectory>/<name>/}: a writable home
 * holding {@code .claude.json}, a copy of the proxy CA certificate, and a CA bundle (the system's
 * trusted certificates plus the proxy CA) for tools that replace rather than extend their trust.
 */
final class SessionFiles {
  static final String HOME_TARGET = "/home/mux";
  static final String CA_TARGET = "/etc/ssl/certs/mux-proxy-ca.pem";
  static final String BUNDLE_TARGET = "/etc/ssl/certs/mux-ca-bundle.pem";

  final Path directory;
  final Path home;
  final Path caCertificate;
  final Path caBundle;

  private SessionFiles(Path directory) {
    this.directory = directory;
    this.home = directory.resolve("home");
    this.caCertificate = directory.resolve("proxy-ca.pem");
    this.caBundle = directory.resolve("ca-bundle.pem");
  }

  static SessionFiles of(Path sessionsDirectory, String name) {
    return new SessionFiles(sessionsDirectory.toAbsolutePath().normalize().resolve(name));
  }

  /** Writes a fresh set (replacing leftovers of an earlier session with the same name). */
  void write(String caPem, String systemCertificatesPem, byte[] claudeJson) {
    try {
      delete();
      Files.createDirectories(home);
      Files.write(home.resolve(".claude.json"), claudeJson);
      if (caPem != null) {
        Files.writeString(caCertificate, caPem, StandardCharsets.US_ASCII);
        Path partial = directory.resolve("ca-bundle.pem.partial");
        Files.writeString(partial, SystemTrust.bundle(systemCertificatesPem, caPem), StandardCharsets.US_ASCII);
        Files.move(partial, caBundle, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("session files: " + directory + " could not be written", e);
    }
  }

  boolean hasCaCertificate() {
    return Files.isRegularFile(caCertificate);
  }

  void delete() {
    if (!Files.exists(directory)) {
      return;
    }
    try {
      Files.walkFileTree(directory, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("session files: " + directory + " could not be deleted", e);
    }
  }
}
