package dev.mux.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs certificates with one issuer key: fills in serial, issuer, validity and the key
 * identifiers; the caller adds the extensions that say what the certificate is for.
 */
final class CertificateSigner {
  /**
   * Bouncy Castle signs, not the JDK: its P-256 arithmetic is several times faster than the
   * JDK 17 provider's. Used directly, never registered as a JVM-wide provider.
   */
  private static final Provider SIGNING_PROVIDER = new BouncyCastleProvider();

  /** The default source of serial numbers. */
  static final SecureRandom RANDOM = new SecureRandom();

  private final X500Name issuer;
  private final PrivateKey issuerKey;
  private final AuthorityKeyIdentifier authorityKeyIdentifier;
  private final String signatureAlgorithm;
  private final SecureRandom serials;

  private CertificateSigner(X500Name issuer, PrivateKey issuerKey,
      AuthorityKeyIdentifier authorityKeyIdentifier, SecureRandom serials) {
    this.serials = serials;
    this.issuer = issuer;
    this.issuerKey = issuerKey;
    this.authorityKeyIdentifier = authorityKeyIdentifier;
    this.signatureAlgorithm = KeyAlgorithm.signatureAlgorithmFor(issuerKey.getAlgorithm());
  }

  /** A signer for a self-signed certificate whose key is {@code publicKey}/{@code privateKey}. */
  static CertificateSigner selfSigned(
      X500Name subject, PublicKey publicKey, PrivateKey privateKey, SecureRandom serials) {
    return new CertificateSigner(
        subject, privateKey, extensionUtils().createAuthorityKeyIdentifier(publicKey), serials);
  }

  /**
   * A signer for certificates issued by {@code ca}. The authority key identifier repeats the
   * CA's own subject key identifier when it has one, because another tool may have created the
   * CA with another key-identifier method.
   */
  static CertificateSigner issuedBy(X509Certificate ca, PrivateKey caKey, SecureRandom serials) {
    X500Name issuer;
    try {
      issuer = new JcaX509CertificateHolder(ca).getSubject();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("CA certificate cannot be encoded", e);
    }
    byte[] subjectKeyId = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    AuthorityKeyIdentifier authorityKeyIdentifier;
    if (subjectKeyId != null) {
      byte[] keyId =
          ASN1OctetString.getInstance(ASN1OctetString.getInstance(subjectKeyId).getOctets())
              .getOctets();
      authorityKeyIdentifier = new AuthorityKeyIdentifier(keyId);
    } else {
      authorityKeyIdentifier = extensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey());
    }
    return new CertificateSigner(issuer, caKey, authorityKeyIdentifier, serials);
  }

  /** Starts a certificate: serial of 128 random bits, issuer, validity and key identifiers. */
  X509v3CertificateBuilder start(
      X500Name subject, PublicKey subjectKey, Instant notBefore, Instant notAfter) {
    // 128 random bits, plus bit 128 set so the serial is positive, non-zero and fixed-length.
    BigInteger serial = new BigInteger(128, serials).setBit(128);
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
    addExtension(builder, Extension.subjectKeyIdentifier, false, subjectKeyIdentifier(subjectKey));
    addExtension(builder, Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
    return builder;
  }

  X509Certificate sign(X509v3CertificateBuilder builder) {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm)
          .setProvider(SIGNING_PROVIDER)
          .build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + signatureAlgorithm, e);
    }
  }

  static SubjectKeyIdentifier subjectKeyIdentifier(PublicKey key) {
    return extensionUtils().createSubjectKeyIdentifier(key);
  }

  private static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no SHA-1 for key identifiers", e);
    }
  }

  /** Adds an extension; encoding our own well-formed values cannot fail. */
  static void addExtension(
      X509v3CertificateBuilder builder,
      ASN1ObjectIdentifier oid,
      boolean critical,
      ASN1Encodable value) {
    try {
      builder.addExtension(oid, critical, value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
