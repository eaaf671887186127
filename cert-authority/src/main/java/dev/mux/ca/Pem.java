package dev.mux.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM encoding of certificates and PKCS#8 private keys, and their decoding. */
final class Pem {
  private static final Base64.Encoder ENCODER =
      Base64.getMimeEncoder(64, new byte[] {'\n'});

  private Pem() {}

  static String encode(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + ENCODER.encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  static String certificate(X509Certificate certificate) {
    try {
      return encode("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  static String privateKeyPkcs8(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  /**
   * Decodes exactly one {@code CERTIFICATE} block.
   *
   * @throws IllegalArgumentException naming the fault
   */
  static X509Certificate decodeCertificate(String pem) {
    Object only = onlyObject(pem, "CERTIFICATE");
    if (!(only instanceof X509CertificateHolder holder)) {
      throw new IllegalArgumentException(
          "found " + describe(only) + " (expected: a CERTIFICATE block)");
    }
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (CertificateException | IOException e) {
      throw new IllegalArgumentException("the CERTIFICATE block is not a valid certificate", e);
    }
  }

  /**
   * Decodes exactly one unencrypted private key: {@code PRIVATE KEY} (PKCS#8) or OpenSSL's
   * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY}.
   *
   * @throws IllegalArgumentException naming the fault; never containing key material
   */
  static PrivateKey decodePrivateKey(String pem) {
    Object only = onlyObject(pem, "PRIVATE KEY");
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (only instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (only instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("the private key block is not a valid EC or RSA key", e);
    }
    throw new IllegalArgumentException(
        "found " + describe(only) + " (expected: an unencrypted PRIVATE KEY block)");
  }

  private static Object onlyObject(String pem, String expectedLabel) {
    Object first;
    Object second;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      first = parser.readObject();
      second = first == null ? null : parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "corrupt PEM (expected: one " + expectedLabel + " block)", e);
    }
    if (first == null) {
      throw new IllegalArgumentException(
          "no PEM block (expected: one " + expectedLabel + " block)");
    }
    if (second != null) {
      throw new IllegalArgumentException(
          "more than one PEM block (expected: one " + expectedLabel + " block)");
    }
    return first;
  }

  private static String describe(Object pemObject) {
    String name = pemObject.getClass().getSimpleName();
    return switch (name) {
      case "X509CertificateHolder" -> "a CERTIFICATE block";
      case "PrivateKeyInfo", "PEMKeyPair" -> "a private key block";
      case "PEMEncryptedKeyPair", "PKCS8EncryptedPrivateKeyInfo" -> "an encrypted private key";
      case "SubjectPublicKeyInfo" -> "a PUBLIC KEY block";
      default -> "a " + name + " block";
    };
  }
}
