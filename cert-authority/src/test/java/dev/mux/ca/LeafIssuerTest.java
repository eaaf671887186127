package dev.mux.ca;

import static dev.mux.ca.CertificateAuthorityTest.CLOCK;
import static dev.mux.ca.CertificateAuthorityTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;

class LeafIssuerTest {
  private static final CertificateAuthority CA = CertificateAuthority.builder().clock(CLOCK).build();

  @Test
  void dnsLeaf() throws Exception {
    LeafIssuer issuer = CA.leafIssuer().clock(CLOCK).build();
    IssuedCertificate issued = issuer.issue("api.example.com");
    X509Certificate leaf = issued.certificate();

    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=api.example.com");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "api.example.com"));
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getKeyUsage()[0]).isTrue(); // digitalSignature
    assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(leaf.getSerialNumber().bitLength()).isEqualTo(129);
    assertThat(CertificateAuthorityTest.authorityKeyIdentifier(leaf))
        .isEqualTo(CertificateAuthorityTest.subjectKeyIdentifier(CA.certificate()));
    assertThat(CertificateAuthorityTest.subjectKeyIdentifier(leaf)).hasSize(20);
    leaf.verify(CA.certificate().getPublicKey());
  }

  @Test
  void validityOnFixedClock() {
    X509Certificate leaf = CA.leafIssuer().clock(CLOCK).build().issue("example.com").certificate();

    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(leaf.getNotAfter().toInstant())
        .isEqualTo(NOW.minus(Duration.ofHours(1)).plus(Duration.ofDays(397)));
  }

  @Test
  void customValidity() {
    X509Certificate leaf = CA.leafIssuer().clock(CLOCK).validity(Duration.ofDays(7)).build()
        .issue("example.com").certificate();

    assertThat(leaf.getNotAfter().toInstant())
        .isEqualTo(NOW.minus(Duration.ofHours(1)).plus(Duration.ofDays(7)));
  }

  @Test
  void validityAbove397Days() {
    assertThatThrownBy(() -> CA.leafIssuer().validity(Duration.ofDays(398)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validity: PT9552H (expected: > PT1H and <= PT9528H)");
  }

  @Test
  void leafNeverOutlivesItsCa() {
    CertificateAuthority shortCa =
        CertificateAuthority.builder().clock(CLOCK).validity(Duration.ofDays(30)).build();
    X509Certificate leaf = shortCa.leafIssuer().clock(CLOCK).build().issue("a.example").certificate();

    assertThat(leaf.getNotAfter()).isEqualTo(shortCa.certificate().getNotAfter());
  }

  @Test
  void ipAddressLeaf() throws Exception {
    X509Certificate leaf = CA.leafIssuer().build().issue("127.0.0.1").certificate();

    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(7, "127.0.0.1"));
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
  }

  @Test
  void ipv6Leaf() throws Exception {
    X509Certificate leaf = CA.leafIssuer().build().issue("::1").certificate();

    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(7, "0:0:0:0:0:0:0:1"));
  }

  @Test
  void longNameHasNoCommonNameAndACriticalSan() throws Exception {
    String host = "a".repeat(60) + ".example.com";
    X509Certificate leaf = CA.leafIssuer().build().issue(host).certificate();

    assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, host));
    assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.subjectAlternativeName.getId());
  }

  @Test
  void chainIsLeafThenCa() {
    IssuedCertificate issued = CA.leafIssuer().build().issue("example.com");

    assertThat(issued.chain()).containsExactly(issued.certificate(), CA.certificate());
  }

  @Test
  void leavesShareOneKeyPair() {
    LeafIssuer issuer = CA.leafIssuer().build();

    assertThat(issuer.issue("a.example").privateKey()).isSameAs(issuer.issue("b.example").privateKey());
  }

  @Test
  void pemEncodings() {
    IssuedCertificate issued = CA.leafIssuer().build().issue("example.com");

    assertThat(Pem.decodeCertificate(issued.certificatePem())).isEqualTo(issued.certificate());
    assertThat(issued.privateKeyPkcs8Pem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Pem.decodePrivateKey(issued.privateKeyPkcs8Pem())).isEqualTo(issued.privateKey());
  }

  @Test
  void toStringHasNoKey() {
    IssuedCertificate issued = CA.leafIssuer().clock(CLOCK).build().issue("example.com");

    assertThat(issued.toString())
        .isEqualTo("IssuedCertificate{subject=CN=example.com, notAfter=2027-04-02T11:00:00Z}")
        .doesNotContain(issued.privateKeyPkcs8Pem().split("\n")[1]);
  }

  @Test
  void invalidHost() {
    LeafIssuer issuer = CA.leafIssuer().build();

    assertThatThrownBy(() -> issuer.issue("bad host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host: \"bad host\" (expected: ASCII letters, digits, '-', '_' and '.' only)");
    assertThat(issuer.certificatesSigned()).isZero();
  }

  @Test
  void repeatHostIsACacheHitWithoutSigning() {
    LeafIssuer issuer = CA.leafIssuer().build();
    IssuedCertificate first = issuer.issue("example.com");

    assertThat(issuer.issue("EXAMPLE.com.")).isSameAs(first);
    assertThat(issuer.certificatesSigned()).isEqualTo(1);
    assertThat(issuer.cacheHits()).isEqualTo(1);
  }

  @Test
  void cacheIsBounded() {
    LeafIssuer issuer = CA.leafIssuer().maximumCacheSize(2).build();
    issuer.issue("a.example");
    issuer.issue("b.example");
    issuer.issue("c.example"); // evicts a.example, the least recently used

    issuer.issue("c.example");
    issuer.issue("a.example");

    assertThat(issuer.certificatesSigned()).isEqualTo(4);
    assertThat(issuer.cacheHits()).isEqualTo(1);
  }

  @Test
  void maximumCacheSizeMustBePositive() {
    assertThatThrownBy(() -> CA.leafIssuer().maximumCacheSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumCacheSize: 0 (expected: >= 1)");
  }

  @Test
  void concurrentFirstRequestsSignOnce() throws Exception {
    LeafIssuer issuer = CA.leafIssuer().build();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<IssuedCertificate>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return issuer.issue("concurrent.example");
        }));
      }
      ready.await();
      go.countDown();
      IssuedCertificate first = results.get(0).get(10, TimeUnit.SECONDS);
      for (Future<IssuedCertificate> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(issuer.certificatesSigned()).isEqualTo(1);
  }

  @Test
  void concurrentRequestsForManyHosts() throws Exception {
    LeafIssuer issuer = CA.leafIssuer().maximumCacheSize(10).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<IssuedCertificate>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String host = "h" + (i % 20) + ".example";
        results.add(pool.submit(() -> issuer.issue(host)));
      }
      for (int i = 0; i < 400; i++) {
        X509Certificate leaf = results.get(i).get(10, TimeUnit.SECONDS).certificate();
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=h" + (i % 20) + ".example");
      }
    } finally {
      pool.shutdownNow();
    }
    // A caller that waited for another thread's signature is neither a hit nor a signature.
    assertThat(issuer.certificatesSigned()).isBetween(20L, 400L - issuer.cacheHits());
  }

  @Test
  void cachedLeafIsRenewedBeforeItExpires() {
    MutableClock clock = new MutableClock(NOW);
    LeafIssuer issuer = CA.leafIssuer().clock(clock).validity(Duration.ofDays(10)).build();
    IssuedCertificate first = issuer.issue("example.com");

    clock.now = NOW.plus(Duration.ofDays(8));
    assertThat(issuer.issue("example.com")).isSameAs(first);

    clock.now = NOW.plus(Duration.ofDays(9));
    IssuedCertificate renewed = issuer.issue("example.com");
    assertThat(renewed).isNotSameAs(first);
    assertThat(renewed.certificate().getNotBefore().toInstant())
        .isEqualTo(clock.now.minus(Duration.ofHours(1)));
    assertThat(issuer.certificatesSigned()).isEqualTo(2);
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
