package dev.mux.docker;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test material: a throwaway CA in PEM, and what the fake agent recorded in its workspace. */
final class TestFiles {
  private TestFiles() {}

  /** Writes {@code proxy-ca.pem} and {@code proxy-ca-key.pem} into {@code dir}; returns the certificate path. */
  static Path writeCa(Path dir) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=mux test Proxy CA");
      Instant now = Instant.now();
      X509CertificateHolder holder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
          java.util.Date.from(now.minus(1, ChronoUnit.DAYS)), java.util.Date.from(now.plus(30, ChronoUnit.DAYS)),
          subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      Files.createDirectories(dir);
      Path certificate = dir.resolve("proxy-ca.pem");
      Files.writeString(certificate, pem(holder), StandardCharsets.US_ASCII);
      Files.writeString(dir.resolve("proxy-ca-key.pem"), pem(keys.getPrivate()), StandardCharsets.US_ASCII);
      return certificate;
    } catch (Exception e) {
      throw new IllegalStateException("test CA", e);
    }
  }

  /**
   * Writes what a Docker client needs for TLS into {@code certPath} (ca.pem, cert.pem, key.pem, as
   * DOCKER_CERT_PATH expects) and returns a server context that presents a certificate for
   * 127.0.0.1 and requires a client certificate from that CA.
   */
  static javax.net.ssl.SSLContext writeDockerTls(Path certPath) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair caKeys = generator.generateKeyPair();
    KeyPair serverKeys = generator.generateKeyPair();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair clientKeys = rsa.generateKeyPair();
    X500Name caName = new X500Name("CN=test docker CA");
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
    java.util.Date from = java.util.Date.from(Instant.now().minus(1, ChronoUnit.DAYS));
    java.util.Date to = java.util.Date.from(Instant.now().plus(1, ChronoUnit.DAYS));
    X509CertificateHolder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName, caKeys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)).build(signer);
    X509CertificateHolder server = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, to,
        new X500Name("CN=127.0.0.1"), serverKeys.getPublic())
        .addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName[] {
            new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress, "127.0.0.1"),
            new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, "localhost")}))
        .build(signer);
    X509CertificateHolder client = new JcaX509v3CertificateBuilder(caName, BigInteger.TEN, from, to,
        new X500Name("CN=client"), clientKeys.getPublic()).build(signer);
    Files.createDirectories(certPath);
    Files.writeString(certPath.resolve("ca.pem"), pem(ca));
    Files.writeString(certPath.resolve("cert.pem"), pem(client));
    Files.writeString(certPath.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(clientKeys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");

    var converter = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter();
    java.security.cert.X509Certificate caCert = converter.getCertificate(ca);
    java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry("server", serverKeys.getPrivate(), new char[0],
        new java.security.cert.Certificate[] {converter.getCertificate(server), caCert});
    java.security.KeyStore trustStore = java.security.KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("ca", caCert);
    var keyManagers = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
    keyManagers.init(keyStore, new char[0]);
    var trustManagers = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(trustStore);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /** The arguments the fake agent received (without $0). */
  static List<String> argv(Path workspace) {
    String all = read(workspace.resolve(".fake-claude/argv"));
    if (all.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(all.substring(0, all.length() - 1).split("\0", -1));
  }

  /** The fake agent's environment, as its process saw it. */
  static Map<String, String> environ(Path workspace) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : read(workspace.resolve(".fake-claude/environ")).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  /** Waits (up to 30 s) until the fake agent has written {@code name}. */
  static void awaitRecorded(Path workspace, String name) throws InterruptedException {
    Path file = workspace.resolve(".fake-claude").resolve(name);
    for (int i = 0; i < 600 && !(Files.isRegularFile(file) && file.toFile().length() > 0); i++) {
      Thread.sleep(50);
    }
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("the fake agent never wrote " + file);
    }
  }

  static String recorded(Path workspace, String name) {
    return read(workspace.resolve(".fake-claude").resolve(name)).trim();
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
