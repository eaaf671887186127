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
