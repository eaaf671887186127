package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact certificates from fixed keys, a fixed clock and a seeded serial source: any change
 * in what mux puts into a certificate shows up here. RSA PKCS#1 v1.5 signatures are
 * deterministic, so the CA is RSA. On a deliberate change, copy target/golden/*.pem over the
 * files in src/test/resources/dev/mux/ca/golden/.
 */
class GoldenCertificateTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T09:30:00Z"), ZoneOffset.UTC);

  @Test
  void caCertificate() throws Exception {
    assertGolden("ca.pem", goldenCa().certificatePem());
  }

  @Test
  void leafCertificate() throws Exception {
    IssuedCertificate leaf = goldenCa().leafIssuer()
        .clock(CLOCK)
        .leafKeyPair(keyPair("leaf-key.pem"))
        .serialRandom(seeded(2))
        .build()
        .issue("api.example.com");

    assertGolden("leaf.pem", leaf.certificatePem());
  }

  private static CertificateAuthority goldenCa() throws Exception {
    return CertificateAuthority.builder()
        .clock(CLOCK)
        .keyPair(keyPair("ca-key.pem"))
        .serialRandom(seeded(1))
        .build();
  }

  private static SecureRandom seeded(int seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed); // before any output: makes SHA1PRNG deterministic
    return random;
  }

  private static KeyPair keyPair(String resource) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(read(resource)))) {
      return new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject());
    }
  }

  private static String read(String resource) throws Exception {
    try (InputStream in = GoldenCertificateTest.class.getResourceAsStream("golden/" + resource)) {
      assertThat(in).as("resource golden/" + resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  private static void assertGolden(String resource, String actual) throws Exception {
    Path copy = Path.of("target", "golden", resource);
    Files.createDirectories(copy.getParent());
    Files.writeString(copy, actual);
    assertThat(actual).isEqualTo(read(resource));
  }
}
