package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TlsMaterialTest {
  private static final CertificateAuthority CA = CertificateAuthority.builder().build();

  @Test
  void trustManagerTrustsOnlyTheGivenCertificates() {
    CertificateAuthority other = CertificateAuthority.builder().commonName("other").build();

    X509TrustManager trust = TlsMaterial.trustManagerFor(CA.certificate(), other.certificate());

    assertThat(trust.getAcceptedIssuers()).containsExactlyInAnyOrder(CA.certificate(), other.certificate());
  }

  @Test
  void trustManagerNeedsACertificate() {
    assertThatThrownBy(() -> TlsMaterial.trustManagerFor())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trusted: [] (expected: at least one certificate)");
  }

  @Test
  void sniKeyManagerRejectsAnInvalidFallbackHost() {
    LeafIssuer issuer = CA.leafIssuer().build();

    assertThatThrownBy(() -> TlsMaterial.sniKeyManager(issuer, "no such host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host: \"no such host\" (expected: ASCII letters, digits, '-', '_' and '.' only)");
  }

  @Test
  void sniKeyManagerWithoutHandshakeUsesTheFallback() {
    LeafIssuer issuer = CA.leafIssuer().build();
    X509ExtendedKeyManager keys = TlsMaterial.sniKeyManager(issuer, "fallback.example");

    String alias = keys.chooseEngineServerAlias("EC", null, null);
    X509Certificate[] chain = keys.getCertificateChain(alias);

    assertThat(alias).isEqualTo("fallback.example");
    assertThat(chain).containsExactly(issuer.issue("fallback.example").certificate(), CA.certificate());
    assertThat(keys.getPrivateKey(alias)).isEqualTo(issuer.issue("fallback.example").privateKey());
  }

  @Test
  void sniKeyManagerDeclinesRsaKeyTypes() {
    X509ExtendedKeyManager keys = TlsMaterial.sniKeyManager(CA.leafIssuer().build(), "localhost");

    assertThat(keys.chooseEngineServerAlias("RSA", null, null)).isNull();
    assertThat(keys.chooseEngineServerAlias("RSASSA-PSS", null, null)).isNull();
  }
}
