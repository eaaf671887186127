package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemTrustTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void bundleIsTheHostsCertificatesThenTheCa() {
    String bundle = SystemTrust.bundleWith(CA);

    assertThat(bundle).endsWith("\n" + CA);
    assertThat(bundle).startsWith(TrustMaterial.systemCertificatesPem(null));
  }

  @Test
  void caStartsOnItsOwnLine() {
    assertThat(SystemTrust.bundle("A\n-----END CERTIFICATE-----", CA)).isEqualTo("A\n-----END CERTIFICATE-----\n" + CA);
    assertThat(SystemTrust.bundle("A\n", CA)).isEqualTo("A\n" + CA);
    assertThat(SystemTrust.bundle("", CA)).isEqualTo(CA);
  }
}
