package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PemTest {
  private static final CertificateAuthority CA = CertificateAuthority.builder().build();

  @Test
  void decodeCertificateWithoutPem() {
    assertThatThrownBy(() -> Pem.decodeCertificate("hello"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no PEM block (expected: one CERTIFICATE block)");
  }

  @Test
  void decodeCertificateCorruptBase64() {
    String pem = "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n";
    assertThatThrownBy(() -> Pem.decodeCertificate(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("corrupt PEM (expected: one CERTIFICATE block)")
        .hasCauseInstanceOf(Exception.class);
  }

  @Test
  void decodeCertificateTwoBlocks() {
    assertThatThrownBy(() -> Pem.decodeCertificate(CA.certificatePem() + CA.certificatePem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("more than one PEM block (expected: one CERTIFICATE block)");
  }

  @Test
  void decodeCertificateGivenAKey() {
    assertThatThrownBy(() -> Pem.decodeCertificate(CA.privateKeyPkcs8Pem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("found a private key block (expected: a CERTIFICATE block)");
  }

  @Test
  void decodePrivateKeyGivenACertificate() {
    assertThatThrownBy(() -> Pem.decodePrivateKey(CA.certificatePem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("found a CERTIFICATE block (expected: an unencrypted PRIVATE KEY block)");
  }

  @Test
  void decodePrivateKeyRoundTrip() {
    assertThat(Pem.decodePrivateKey(CA.privateKeyPkcs8Pem())).isEqualTo(CA.privateKey());
  }

  @Test
  void truncatedKeyMessageHasNoKeyMaterial() {
    String[] lines = CA.privateKeyPkcs8Pem().split("\n");
    String truncated = lines[0] + "\n" + lines[1].substring(0, 40) + "\n" + lines[lines.length - 1] + "\n";

    assertThatThrownBy(() -> Pem.decodePrivateKey(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(lines[1].substring(0, 40)));
  }
}
