package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityPersistenceTest {
  private static final String START_OVER = "or delete both proxy-ca.pem and proxy-ca-key.pem"
      + " to create a new CA (every container must then trust the new one).";

  @TempDir Path dir;

  @Test
  void saveAndLoad() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    ca.save(dir);

    CertificateAuthority loaded = CertificateAuthority.load(dir);

    assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    assertThat(loaded.privateKey()).isEqualTo(ca.privateKey());
    assertThat(files()).containsExactly("proxy-ca-key.pem", "proxy-ca.pem");
  }

  @Test
  void rsaRoundTrip() {
    CertificateAuthority ca = CertificateAuthority.builder().rsa2048().build();
    ca.save(dir);

    assertThat(CertificateAuthority.load(dir).privateKey()).isEqualTo(ca.privateKey());
  }

  @Test
  void filePermissions() throws Exception {
    CertificateAuthority.builder().build().save(dir);

    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("proxy-ca-key.pem")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("proxy-ca.pem")))).isEqualTo("rw-r--r--");
  }

  @Test
  void keyIsNeverVisibleWithLooserPermissions() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    AtomicBoolean saving = new AtomicBoolean(true);
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger keyFilesSeen = new AtomicInteger();
    Thread observer = new Thread(() -> {
      while (saving.get()) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
          for (Path entry : entries) {
            if (entry.getFileName().toString().contains("proxy-ca-key")) {
              keyFilesSeen.incrementAndGet();
              String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(entry));
              if (!permissions.equals("rw-------")) {
                violations.add(entry.getFileName() + " " + permissions);
              }
            }
          }
        } catch (IOException e) {
          // A temporary file vanished between listing and stat: expected while saving.
        }
      }
    });
    observer.start();
    try {
      for (int i = 0; i < 200; i++) {
        ca.save(dir);
      }
    } finally {
      saving.set(false);
      observer.join();
    }

    assertThat(keyFilesSeen.get()).isPositive();
    assertThat(violations).isEmpty();
  }

  @Test
  void saveReplacesAndLeavesNoTemporaryFiles() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.setPosixFilePermissions(dir.resolve("proxy-ca-key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
    CertificateAuthority second = CertificateAuthority.builder().build();

    second.save(dir);

    assertThat(CertificateAuthority.load(dir).certificate()).isEqualTo(second.certificate());
    assertThat(files()).containsExactly("proxy-ca-key.pem", "proxy-ca.pem");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("proxy-ca-key.pem")))).isEqualTo("rw-------");
  }

  @Test
  void saveCreatesTheFolder() {
    Path nested = dir.resolve("a/b");
    CertificateAuthority.builder().build().save(nested);

    assertThat(nested.resolve("proxy-ca.pem")).exists();
  }

  @Test
  void loadOrCreateCreatesThenReuses() {
    CertificateAuthority created = CertificateAuthority.loadOrCreate(dir);
    CertificateAuthority reused = CertificateAuthority.loadOrCreate(dir);

    assertThat(reused.fingerprintSha256()).isEqualTo(created.fingerprintSha256());
    assertThat(reused.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=mux Proxy CA");
  }

  @Test
  void loadOrCreateNeverReplacesHalfAPair() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.delete(dir.resolve("proxy-ca.pem"));

    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
        .isInstanceOf(CertificateAuthorityException.class);
    assertThat(files()).containsExactly("proxy-ca-key.pem");
  }

  @Test
  void loadEmptyFolder() {
    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("No CA in " + dir + ": proxy-ca.pem and proxy-ca-key.pem are both missing."
            + " Copy both files there, or use CertificateAuthority.loadOrCreate to create a new CA.");
  }

  @Test
  void certificateMissing() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.delete(dir.resolve("proxy-ca.pem"));

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA certificate missing: " + dir.resolve("proxy-ca.pem") + " (its key "
            + dir.resolve("proxy-ca-key.pem") + " exists). Restore the certificate, " + START_OVER)
        .extracting(e -> ((CertificateAuthorityException) e).file())
        .isEqualTo(dir.resolve("proxy-ca.pem"));
  }

  @Test
  void keyMissing() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.delete(dir.resolve("proxy-ca-key.pem"));

    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA key missing: " + dir.resolve("proxy-ca-key.pem") + " (its certificate "
            + dir.resolve("proxy-ca.pem") + " exists). Restore the key, " + START_OVER);
  }

  @Test
  void corruptCertificate() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.writeString(dir.resolve("proxy-ca.pem"), "garbage\n");

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA certificate unusable: " + dir.resolve("proxy-ca.pem")
            + ": no PEM block (expected: one CERTIFICATE block). Restore the file, " + START_OVER);
  }

  @Test
  void truncatedCertificate() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    ca.save(dir);
    String pem = ca.certificatePem();
    Files.writeString(dir.resolve("proxy-ca.pem"), pem.substring(0, pem.length() / 2));

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA certificate unusable: " + dir.resolve("proxy-ca.pem")
            + ": corrupt PEM (expected: one CERTIFICATE block). Restore the file, " + START_OVER);
  }

  @Test
  void corruptKey() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.writeString(dir.resolve("proxy-ca-key.pem"), "");

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA key unusable: " + dir.resolve("proxy-ca-key.pem")
            + ": no PEM block (expected: one PRIVATE KEY block). Restore the file, " + START_OVER);
  }

  @Test
  void certificateInTheKeyFile() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    ca.save(dir);
    Files.writeString(dir.resolve("proxy-ca-key.pem"), ca.certificatePem());

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA key unusable: " + dir.resolve("proxy-ca-key.pem")
            + ": found a CERTIFICATE block (expected: an unencrypted PRIVATE KEY block). Restore the file, "
            + START_OVER);
  }

  @Test
  void keyOfAnotherCa() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.writeString(dir.resolve("proxy-ca-key.pem"),
        CertificateAuthority.builder().build().privateKeyPkcs8Pem());

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA key does not match certificate: " + dir.resolve("proxy-ca-key.pem")
            + " is not the key of " + dir.resolve("proxy-ca.pem")
            + ". Restore the matching pair, " + START_OVER);
  }

  @Test
  void rsaKeyForAnEcCertificate() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Files.writeString(dir.resolve("proxy-ca-key.pem"),
        CertificateAuthority.builder().rsa2048().build().privateKeyPkcs8Pem());

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessageStartingWith("CA key does not match certificate: ");
  }

  @Test
  void leafCertificateIsNotACa() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    ca.save(dir);
    Files.writeString(dir.resolve("proxy-ca.pem"), ca.leafIssuer().build().issue("x.example").certificatePem());

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("Not a CA certificate: " + dir.resolve("proxy-ca.pem")
            + " (expected: basicConstraints CA:TRUE). Restore the file, " + START_OVER);
  }

  @Test
  void unreadableKeyFile() throws Exception {
    CertificateAuthority.builder().build().save(dir);
    Path key = dir.resolve("proxy-ca-key.pem");
    Files.delete(key);
    Files.createDirectory(key); // unreadable as a file even for root, unlike chmod 000

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("Cannot read " + key + ": IOException."
            + " Check that it is a readable file (owner and permissions).");
  }

  @Test
  void binaryCertificateFile() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    ca.save(dir);
    Files.write(dir.resolve("proxy-ca.pem"), ca.certificate().getEncoded());

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessage("CA certificate unusable: " + dir.resolve("proxy-ca.pem")
            + ": no PEM block (expected: one CERTIFICATE block). Restore the file, " + START_OVER);
  }

  @Test
  void errorsNeverContainKeyMaterial() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    ca.save(dir);
    String pem = ca.privateKeyPkcs8Pem();
    String keyLine = pem.split("\n")[1];
    Files.writeString(dir.resolve("proxy-ca-key.pem"), pem.replace(keyLine, keyLine.substring(0, 30) + "!!"));

    assertThatThrownBy(() -> CertificateAuthority.load(dir))
        .isInstanceOf(CertificateAuthorityException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(keyLine.substring(0, 30)));
  }

  @Test
  void permissionWarningForAKeyReadableByOthers() {
    Path key = dir.resolve("proxy-ca-key.pem");

    assertThat(CaFolder.permissionWarning(key, PosixFilePermissions.fromString("rw-r--r--")))
        .contains("CA key " + key + " is accessible by group or others (rw-r--r--); run: chmod 600 " + key);
    assertThat(CaFolder.permissionWarning(key, PosixFilePermissions.fromString("rw-------"))).isEmpty();
    assertThat(CaFolder.permissionWarning(key, PosixFilePermissions.fromString("r--------"))).isEmpty();
  }

  @Test
  void loadWarnsAboutAKeyReadableByOthers() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    ca.save(dir);
    Path key = dir.resolve("proxy-ca-key.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    // slf4j-simple (test scope) writes to whatever System.err is at the time of logging.
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    CertificateAuthority loaded;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      loaded = CertificateAuthority.load(dir);
    } finally {
      System.setErr(original);
    }

    assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("WARN dev.mux.ca.CertificateAuthority - CA key " + key
            + " is accessible by group or others (rw-r--r--); run: chmod 600 " + key)
        .doesNotContain(ca.privateKeyPkcs8Pem().split("\n")[1]);
  }

  private List<String> files() throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
