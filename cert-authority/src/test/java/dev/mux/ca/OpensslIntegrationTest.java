package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks issued certificates with the machine's openssl, an independent X.509 implementation. */
class OpensslIntegrationTest {
  private static final CertificateAuthority CA = CertificateAuthority.builder().build();

  @TempDir Path dir;

  @Test
  void verifyAcceptsAnIssuedChain() throws Exception {
    Path ca = write("ca.pem", CA.certificatePem());
    Path leaf = write("leaf.pem", CA.leafIssuer().build().issue("api.example.com").certificatePem());

    Result result = openssl("verify", "-x509_strict", "-purpose", "sslserver",
        "-verify_hostname", "api.example.com", "-CAfile", ca.toString(), leaf.toString());

    assertThat(result.output()).isEqualTo(leaf + ": OK\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void verifyRejectsAnotherHostname() throws Exception {
    Path ca = write("ca.pem", CA.certificatePem());
    Path leaf = write("leaf.pem", CA.leafIssuer().build().issue("api.example.com").certificatePem());

    Result result = openssl("verify", "-verify_hostname", "other.example.com",
        "-CAfile", ca.toString(), leaf.toString());

    assertThat(result.output()).contains("error 62 at 0 depth lookup: hostname mismatch");
    assertThat(result.exitCode()).isNotZero();
  }

  @Test
  void verifyAcceptsAnIpAddressLeaf() throws Exception {
    Path ca = write("ca.pem", CA.certificatePem());
    Path leaf = write("leaf.pem", CA.leafIssuer().build().issue("127.0.0.1").certificatePem());

    Result result = openssl("verify", "-x509_strict", "-purpose", "sslserver",
        "-verify_ip", "127.0.0.1", "-CAfile", ca.toString(), leaf.toString());

    assertThat(result.output()).isEqualTo(leaf + ": OK\n");
  }

  @Test
  void verifyAcceptsAnRsaCaChain() throws Exception {
    CertificateAuthority rsa = CertificateAuthority.builder().rsa3072().build();
    Path ca = write("ca.pem", rsa.certificatePem());
    Path leaf = write("leaf.pem", rsa.leafIssuer().build().issue("localhost").certificatePem());

    Result result = openssl("verify", "-x509_strict", "-purpose", "sslserver",
        "-verify_hostname", "localhost", "-CAfile", ca.toString(), leaf.toString());

    assertThat(result.output()).isEqualTo(leaf + ": OK\n");
  }

  @Test
  void caExtensions() throws Exception {
    Path ca = write("ca.pem", CA.certificatePem());

    String text = openssl("x509", "-in", ca.toString(), "-noout", "-text").output();

    assertThat(text)
        .contains("Signature Algorithm: ecdsa-with-SHA256")
        .contains("Issuer: CN = mux Proxy CA")
        .contains("Subject: CN = mux Proxy CA")
        .contains("ASN1 OID: prime256v1")
        .containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE, pathlen:0")
        .containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign")
        .contains("X509v3 Subject Key Identifier")
        .contains("X509v3 Authority Key Identifier");
  }

  @Test
  void leafExtensions() throws Exception {
    Path leaf = write("leaf.pem", CA.leafIssuer().build().issue("api.example.com").certificatePem());

    String text = openssl("x509", "-in", leaf.toString(), "-noout", "-text").output();

    assertThat(text)
        .contains("Subject: CN = api.example.com")
        .containsPattern("X509v3 Subject Alternative Name: \\s+DNS:api.example.com\\n")
        .containsPattern("X509v3 Extended Key Usage: \\s+TLS Web Server Authentication\\n")
        .containsPattern("X509v3 Key Usage: critical\\s+Digital Signature\\n")
        .containsPattern("X509v3 Basic Constraints: critical\\s+CA:FALSE")
        .contains("X509v3 Subject Key Identifier")
        .contains("X509v3 Authority Key Identifier")
        .contains("ASN1 OID: prime256v1");
  }

  @Test
  void fingerprintMatchesOpenssl() throws Exception {
    Path ca = write("ca.pem", CA.certificatePem());

    String output = openssl("x509", "-in", ca.toString(), "-noout", "-fingerprint", "-sha256").output();

    assertThat(output.trim()).isEqualToIgnoringCase("sha256 Fingerprint=" + CA.fingerprintSha256());
  }

  @Test
  void savedKeyFileIsTheCertificatesKey() throws Exception {
    CA.save(dir);

    String fromKey = openssl("pkey", "-in", dir.resolve("proxy-ca-key.pem").toString(), "-pubout").output();
    String fromCertificate =
        openssl("x509", "-in", dir.resolve("proxy-ca.pem").toString(), "-noout", "-pubkey").output();

    assertThat(fromKey).startsWith("-----BEGIN PUBLIC KEY-----").isEqualTo(fromCertificate);
  }

  @Test
  void loadsACaMadeByOpensslWithATraditionalEcKey() throws Exception {
    Path pkcs8 = dir.resolve("pkcs8-key.pem");
    Path certificate = dir.resolve("proxy-ca.pem");
    Result made = openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", pkcs8.toString(), "-out", certificate.toString(), "-days", "30",
        "-subj", "/CN=Legacy Proxy CA",
        "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    assertThat(made.exitCode()).as(made.output()).isZero();
    openssl("ec", "-in", pkcs8.toString(), "-out", dir.resolve("proxy-ca-key.pem").toString());
    assertThat(Files.readString(dir.resolve("proxy-ca-key.pem"))).startsWith("-----BEGIN EC PRIVATE KEY-----");

    CertificateAuthority legacy = CertificateAuthority.load(dir);
    Path leaf = write("leaf.pem", legacy.leafIssuer().build().issue("localhost").certificatePem());

    assertThat(openssl("verify", "-x509_strict", "-CAfile", certificate.toString(), leaf.toString()).output())
        .isEqualTo(leaf + ": OK\n");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  record Result(int exitCode, String output) {}

  /** Runs openssl; fails (never skips) with a clear message when it is not installed. */
  static Result openssl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(arguments));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "openssl is not on the PATH; this test needs it (Debian: apt-get install openssl)", e);
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("openssl did not finish within 30 s: " + command);
    }
    return new Result(process.exitValue(), output);
  }
}
