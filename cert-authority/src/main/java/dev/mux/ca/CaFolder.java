package dev.mux.ca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes a CA as two PEM files in one folder. */
final class CaFolder {
  private static final Logger logger = LoggerFactory.getLogger(CertificateAuthority.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final String START_OVER =
      "or delete both " + CertificateAuthority.CERTIFICATE_FILE + " and "
          + CertificateAuthority.KEY_FILE
          + " to create a new CA (every container must then trust the new one)";

  private CaFolder() {}

  static CertificateAuthority loadOrCreate(Path dir) {
    Path certificateFile = dir.resolve(CertificateAuthority.CERTIFICATE_FILE);
    Path keyFile = dir.resolve(CertificateAuthority.KEY_FILE);
    if (Files.notExists(certificateFile) && Files.notExists(keyFile)) {
      CertificateAuthority created = CertificateAuthority.builder().build();
      save(created, dir);
      logger.info("Created a new CA in {} (SHA-256 {})", dir, created.fingerprintSha256());
      return created;
    }
    return load(dir);
  }

  static CertificateAuthority load(Path dir) {
    Path certificateFile = dir.resolve(CertificateAuthority.CERTIFICATE_FILE);
    Path keyFile = dir.resolve(CertificateAuthority.KEY_FILE);
    boolean certificateExists = Files.exists(certificateFile);
    boolean keyExists = Files.exists(keyFile);
    if (!certificateExists && !keyExists) {
      throw new CertificateAuthorityException(certificateFile,
          "No CA in " + dir + ": " + CertificateAuthority.CERTIFICATE_FILE + " and "
              + CertificateAuthority.KEY_FILE + " are both missing. Copy both files there, "
              + "or use CertificateAuthority.loadOrCreate to create a new CA.", null);
    }
    if (!certificateExists) {
      throw new CertificateAuthorityException(certificateFile,
          "CA certificate missing: " + certificateFile + " (its key " + keyFile
              + " exists). Restore the certificate, " + START_OVER + ".", null);
    }
    if (!keyExists) {
      throw new CertificateAuthorityException(keyFile,
          "CA key missing: " + keyFile + " (its certificate " + certificateFile
              + " exists). Restore the key, " + START_OVER + ".", null);
    }

    X509Certificate certificate;
    try {
      certificate = Pem.decodeCertificate(read(certificateFile));
    } catch (IllegalArgumentException e) {
      throw new CertificateAuthorityException(certificateFile,
          "CA certificate unusable: " + certificateFile + ": " + e.getMessage()
              + ". Restore the file, " + START_OVER + ".", e);
    }
    if (certificate.getBasicConstraints() < 0) {
      throw new CertificateAuthorityException(certificateFile,
          "Not a CA certificate: " + certificateFile
              + " (expected: basicConstraints CA:TRUE). Restore the file, " + START_OVER + ".",
          null);
    }
    warnIfReadableByOthers(keyFile);
    PrivateKey key;
    try {
      key = Pem.decodePrivateKey(read(keyFile));
    } catch (IllegalArgumentException e) {
      throw new CertificateAuthorityException(keyFile,
          "CA key unusable: " + keyFile + ": " + e.getMessage()
              + ". Restore the file, " + START_OVER + ".", e);
    }
    if (!belongTogether(certificate, key)) {
      throw new CertificateAuthorityException(keyFile,
          "CA key does not match certificate: " + keyFile + " is not the key of "
              + certificateFile + ". Restore the matching pair, " + START_OVER + ".", null);
    }
    logger.debug("Loaded the CA in {}", dir);
    return new CertificateAuthority(certificate, key);
  }

  static void save(CertificateAuthority ca, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CertificateAuthorityException(dir,
          "Cannot create the CA folder " + dir + ": " + e + ". Check its parent's permissions.",
          e);
    }
    // The key first: a crash between the two leaves "certificate missing", which load reports.
    writeAtomically(dir.resolve(CertificateAuthority.KEY_FILE), ca.privateKeyPkcs8Pem(), true);
    writeAtomically(
        dir.resolve(CertificateAuthority.CERTIFICATE_FILE), ca.certificatePem(), false);
  }

  /** The warning to log for a key file with these permissions, if any. */
  static Optional<String> permissionWarning(Path keyFile, Set<PosixFilePermission> permissions) {
    Set<PosixFilePermission> tooOpen = EnumSet.copyOf(permissions);
    tooOpen.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
    if (tooOpen.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("CA key " + keyFile + " is accessible by group or others ("
        + PosixFilePermissions.toString(permissions) + "); run: chmod 600 " + keyFile);
  }

  private static void warnIfReadableByOthers(Path keyFile) {
    PosixFileAttributeView view = Files.getFileAttributeView(keyFile, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    try {
      permissionWarning(keyFile, view.readAttributes().permissions()).ifPresent(logger::warn);
    } catch (IOException e) {
      logger.debug("Cannot read the permissions of {}", keyFile, e);
    }
  }

  private static String read(Path file) {
    try {
      // ISO-8859-1 decodes any bytes, so a binary file reaches the PEM parser and is named as such.
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new CertificateAuthorityException(file,
          "Cannot read " + file + ": " + e.getClass().getSimpleName()
              + ". Check that it is a readable file (owner and permissions).", e);
    }
  }

  private static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
    String certificateKeyAlgorithm = certificate.getPublicKey().getAlgorithm();
    if (!certificateKeyAlgorithm.equals(key.getAlgorithm())) {
      return false;
    }
    try {
      String algorithm = KeyAlgorithm.signatureAlgorithmFor(key.getAlgorithm());
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void writeAtomically(Path target, String content, boolean ownerOnly) {
    Path dir = target.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
      FileAttribute<?>[] attributes = posix
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
              ownerOnly ? OWNER_ONLY : WORLD_READABLE)}
          : new FileAttribute<?>[0];
      // Created with its final permissions (the umask can only remove bits), never 0644 first.
      temporary = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      if (posix && !ownerOnly) {
        Files.setPosixFilePermissions(temporary, WORLD_READABLE);
      }
      try {
        Files.move(temporary, target,
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new CertificateAuthorityException(target,
          "Cannot write " + target + ": " + e.getClass().getSimpleName()
              + ". Check that the folder is writable.", e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // The write already failed; that failure is the one to report.
        }
      }
    }
  }
}
