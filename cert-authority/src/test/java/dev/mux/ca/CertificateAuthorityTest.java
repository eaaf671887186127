package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void defaults() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().clock(CLOCK).build();
    X509Certificate certificate = ca.certificate();

    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=mux Proxy CA");
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
    assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(certificate.getNotAfter().toInstant())
        .isEqualTo(NOW.minus(Duration.ofHours(1)).plus(Duration.ofDays(3650)));
    certificate.verify(certificate.getPublicKey());
  }

  @Test
  void caExtensions() {
    X509Certificate certificate = CertificateAuthority.builder().build().certificate();

    assertThat(certificate.getBasicConstraints()).isEqualTo(0); // CA:TRUE, pathLen 0
    assertThat(certificate.getCriticalExtensionOIDs())
        .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    // digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement,
    // keyCertSign, cRLSign, ...
    assertThat(certificate.getKeyUsage())
        .containsExactly(false, false, false, false, false, true, true, false, false);
    byte[] subjectKeyId = subjectKeyIdentifier(certificate);
    assertThat(subjectKeyId).hasSize(20);
    assertThat(authorityKeyIdentifier(certificate)).isEqualTo(subjectKeyId);
  }

  @Test
  void serialNumbersHave128RandomBits() {
    X509Certificate first = CertificateAuthority.builder().build().certificate();
    X509Certificate second = CertificateAuthority.builder().build().certificate();

    assertThat(first.getSerialNumber().bitLength()).isEqualTo(129);
    assertThat(first.getSerialNumber()).isNotEqualTo(second.getSerialNumber());
  }

  @Test
  void commonName() {
    CertificateAuthority ca = CertificateAuthority.builder().commonName("Acme Proxy CA").build();

    assertThat(ca.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=Acme Proxy CA");
  }

  @Test
  void subject() {
    CertificateAuthority ca =
        CertificateAuthority.builder().subject("CN=Acme Proxy CA, O=Acme, C=DE").build();

    assertThat(ca.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=Acme Proxy CA,O=Acme,C=DE");
  }

  @Test
  void rsa2048() throws Exception {
    CertificateAuthority ca = CertificateAuthority.builder().rsa2048().build();

    assertThat(((RSAPublicKey) ca.certificate().getPublicKey()).getModulus().bitLength())
        .isEqualTo(2048);
    assertThat(ca.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
    ca.certificate().verify(ca.certificate().getPublicKey());
  }

  @Test
  void rsa3072() {
    CertificateAuthority ca = CertificateAuthority.builder().rsa3072().build();

    assertThat(((RSAPublicKey) ca.certificate().getPublicKey()).getModulus().bitLength())
        .isEqualTo(3072);
  }

  @Test
  void customValidity() {
    CertificateAuthority ca =
        CertificateAuthority.builder().clock(CLOCK).validity(Duration.ofDays(30)).build();

    assertThat(ca.certificate().getNotAfter().toInstant())
        .isEqualTo(NOW.minus(Duration.ofHours(1)).plus(Duration.ofDays(30)));
  }

  @Test
  void validityTooShort() {
    assertThatThrownBy(() -> CertificateAuthority.builder().validity(Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validity: PT5M (expected: > PT1H)");
  }

  @Test
  void blankCommonName() {
    assertThatThrownBy(() -> CertificateAuthority.builder().commonName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commonName: \" \" (expected: not blank)");
  }

  @Test
  void invalidSubject() {
    assertThatThrownBy(() -> CertificateAuthority.builder().subject("no equals sign"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject: \"no equals sign\" (expected: an X.500 name like \"CN=My CA, O=Org\")");
  }

  @Test
  void fingerprintSha256() {
    CertificateAuthority ca = CertificateAuthority.builder().build();

    assertThat(ca.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
  }

  @Test
  void certificatePemRoundTrip() {
    CertificateAuthority ca = CertificateAuthority.builder().build();

    assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(Pem.decodeCertificate(ca.certificatePem())).isEqualTo(ca.certificate());
  }

  @Test
  void toStringHasNoKey() {
    CertificateAuthority ca = CertificateAuthority.builder().build();
    String keyBase64 = ca.privateKeyPkcs8Pem().split("\n")[1];

    assertThat(ca.toString())
        .isEqualTo("CertificateAuthority{subject=CN=mux Proxy CA, sha256=" + ca.fingerprintSha256() + "}")
        .doesNotContain(keyBase64);
  }

  static byte[] subjectKeyIdentifier(X509Certificate certificate) {
    byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .getKeyIdentifier();
  }

  static byte[] authorityKeyIdentifier(X509Certificate certificate) {
    byte[] value = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .getKeyIdentifierObject().getOctets();
  }
}
