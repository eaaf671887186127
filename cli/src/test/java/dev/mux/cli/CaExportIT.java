package dev.mux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ca export} from the real jar, checked by openssl. */
class CaExportIT {
  @TempDir Path home;

  @Test
  void exportedCaIsAValidSelfSignedCaWithTheShownFingerprint() throws Exception {
    Map<String, String> environment = Map.of("MUX_HOME", home.toString());
    Path pem = home.resolve("exported.pem");

    MuxJar.Result export = MuxJar.run(environment, "ca", "export", "--out", pem.toString());
    MuxJar.Result show = MuxJar.run(environment, "ca", "show");

    assertThat(export.status()).as(export.err()).isZero();
    assertThat(Files.readString(pem)).isEqualTo(Files.readString(home.resolve("proxy-ca.pem")));
    MuxJar.Result text =
        MuxJar.exec(Map.of(), List.of("openssl", "x509", "-in", pem.toString(), "-noout", "-text"), Duration.ofSeconds(30));
    assertThat(text.out()).contains("CA:TRUE", "Certificate Sign", "ASN1 OID: prime256v1");
    MuxJar.Result fingerprint =
        MuxJar.exec(
            Map.of(),
            List.of("openssl", "x509", "-in", pem.toString(), "-noout", "-fingerprint", "-sha256"),
            Duration.ofSeconds(30));
    String sha256 = fingerprint.out().trim().replaceFirst("(?i)^sha256 fingerprint=", "");
    assertThat(show.out()).contains("SHA-256:      " + sha256);
    MuxJar.Result verify =
        MuxJar.exec(
            Map.of(), List.of("openssl", "verify", "-CAfile", pem.toString(), pem.toString()), Duration.ofSeconds(30));
    assertThat(verify.out()).contains(": OK");
  }

  @Test
  void exportToStdoutIsJustThePem() {
    MuxJar.Result export = MuxJar.run(Map.of("MUX_HOME", home.toString()), "ca", "export");

    assertThat(export.status()).isZero();
    assertThat(export.out()).startsWith("-----BEGIN CERTIFICATE-----").endsWith("-----END CERTIFICATE-----\n");
  }
}
