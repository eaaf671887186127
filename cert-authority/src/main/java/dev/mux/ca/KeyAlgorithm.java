package dev.mux.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** The key types a CA may have. Leaves always use {@link #EC_P256}. */
enum KeyAlgorithm {
  EC_P256("EC", "SHA256withECDSA"),
  RSA_2048("RSA", "SHA256withRSA"),
  RSA_3072("RSA", "SHA256withRSA");

  private final String keyAlgorithm;
  private final String signatureAlgorithm;

  KeyAlgorithm(String keyAlgorithm, String signatureAlgorithm) {
    this.keyAlgorithm = keyAlgorithm;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
      switch (this) {
        case EC_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"));
        case RSA_2048 -> generator.initialize(2048);
        case RSA_3072 -> generator.initialize(3072);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate " + this + " keys", e);
    }
  }

  /** The SHA-256 signature algorithm for a key of the given JCA algorithm ("EC" or "RSA"). */
  static String signatureAlgorithmFor(String jcaKeyAlgorithm) {
    return switch (jcaKeyAlgorithm) {
      case "EC", "ECDSA" -> EC_P256.signatureAlgorithm;
      case "RSA" -> RSA_2048.signatureAlgorithm;
      default -> throw new IllegalArgumentException(
          "key algorithm: " + jcaKeyAlgorithm + " (expected: EC or RSA)");
    };
  }
}
