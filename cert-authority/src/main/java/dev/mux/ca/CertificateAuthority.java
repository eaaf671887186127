package dev.mux.ca;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * A certificate authority: a self-signed CA certificate plus its private key. The proxy signs a
 * leaf certificate for each host it intercepts with this key, and containers trust the CA
 * certificate (never the key) so those leaves verify. Immutable.
 *
 * <p>A new CA is an EC P-256 key with a SHA-256 signature, subject {@code CN=mux Proxy CA},
 * valid for 10 years, with {@code basicConstraints CA:TRUE, pathlen:0} (it signs leaves only,
 * never another CA) and {@code keyUsage keyCertSign, cRLSign}.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.loadOrCreate(home);
 * LeafIssuer leaves = ca.leafIssuer().build();
 * IssuedCertificate api = leaves.issue("api.anthropic.com");
 * }</pre>
 *
 * <p>On disk a CA is two files in one folder: {@link #CERTIFICATE_FILE} (public, given to
 * containers) and {@link #KEY_FILE} (owner-only).
 */
public final class CertificateAuthority {
  /** The certificate's file name in a CA folder. */
  public static final String CERTIFICATE_FILE = "proxy-ca.pem";
  /** The private key's file name in a CA folder; readable by its owner only. */
  public static final String KEY_FILE = "proxy-ca-key.pem";

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = requireNonNull(certificate, "certificate");
    this.privateKey = requireNonNull(privateKey, "privateKey");
  }

  /** A builder for a new CA, made in memory; nothing is written until {@link #save(Path)}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the CA in {@code dir}, or, when both files are absent, creates a CA with the defaults
   * and saves it there. A folder holding only one of the two files is an error, never a reason
   * to create a new CA: containers may already trust the old one.
   *
   * @throws CertificateAuthorityException naming the file at fault and what to do
   */
  public static CertificateAuthority loadOrCreate(Path dir) {
    return CaFolder.loadOrCreate(requireNonNull(dir, "dir"));
  }

  /**
   * Loads the CA in {@code dir}. Logs a warning when the key file is readable by group or
   * others.
   *
   * @throws CertificateAuthorityException when a file is missing, unreadable or corrupt, or the
   *     key does not belong to the certificate; the message names the file and what to do
   */
  public static CertificateAuthority load(Path dir) {
    return CaFolder.load(requireNonNull(dir, "dir"));
  }

  /**
   * Writes {@link #CERTIFICATE_FILE} and {@link #KEY_FILE} into {@code dir} (created if
   * needed), replacing existing files. Each file is written to a temporary file and then moved
   * into place, so a reader never sees half a file; the key's temporary file is created
   * owner-only (0600), so the key is never readable by group or others, not even for an
   * instant.
   *
   * @throws CertificateAuthorityException when a file cannot be written
   */
  public void save(Path dir) {
    CaFolder.save(this, requireNonNull(dir, "dir"));
  }

  /** The CA certificate: what clients trust. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's private key. Never log it, never give it to a container. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The CA certificate as a {@code CERTIFICATE} PEM block. */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** The private key as a PKCS#8 {@code PRIVATE KEY} PEM block. */
  String privateKeyPkcs8Pem() {
    return Pem.privateKeyPkcs8(privateKey);
  }

  /**
   * The SHA-256 fingerprint of the certificate, as upper-case hex pairs joined by colons (the
   * form {@code openssl x509 -fingerprint -sha256} prints), for users to compare by eye.
   */
  public String fingerprintSha256() {
    try {
      byte[] digest = Hashing.sha256().hashBytes(certificate.getEncoded()).asBytes();
      return BaseEncoding.base16().upperCase().withSeparator(":", 2).encode(digest);
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A builder for the issuer of leaf certificates signed by this CA. */
  public LeafIssuer.Builder leafIssuer() {
    return new LeafIssuer.Builder(this);
  }

  /** The subject and fingerprint; never the key. */
  @Override
  public String toString() {
    return "CertificateAuthority{subject=" + certificate.getSubjectX500Principal().getName()
        + ", sha256=" + fingerprintSha256() + "}";
  }

  /** Builds a new CA. Every setting has a default; {@code builder().build()} is a working CA. */
  public static final class Builder {
    static final String DEFAULT_COMMON_NAME = "mux Proxy CA";
    static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    /** How far notBefore lies in the past, so a host whose clock lags still accepts it. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private X500Name subject = commonNameOnly(DEFAULT_COMMON_NAME);
    private KeyAlgorithm keyAlgorithm = KeyAlgorithm.EC_P256;
    private Duration validity = DEFAULT_VALIDITY;
    private Clock clock = Clock.systemUTC();
    private KeyPair keyPair;
    private SecureRandom serialRandom = CertificateSigner.RANDOM;

    private Builder() {}

    /** The subject is {@code CN=commonName}. Default: {@code mux Proxy CA}. */
    public Builder commonName(String commonName) {
      requireNonNull(commonName, "commonName");
      checkArgument(!commonName.isBlank(), "commonName: \"%s\" (expected: not blank)", commonName);
      this.subject = commonNameOnly(commonName);
      return this;
    }

    /**
     * The whole subject as an X.500 name, e.g. {@code "CN=Acme Proxy CA, O=Acme"}. Default:
     * {@code CN=mux Proxy CA}.
     */
    public Builder subject(String x500Name) {
      requireNonNull(x500Name, "x500Name");
      try {
        // The JDK keeps the written order; BCStyle would reverse it.
        this.subject = X500Name.getInstance(new X500Principal(x500Name).getEncoded());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "subject: \"" + x500Name + "\" (expected: an X.500 name like \"CN=My CA, O=Org\")", e);
      }
      checkArgument(
          subject.getRDNs().length > 0,
          "subject: \"%s\" (expected: an X.500 name like \"CN=My CA, O=Org\")", x500Name);
      return this;
    }

    /** An EC key on curve P-256 with ECDSA-SHA256 signatures. The default: small and fast. */
    public Builder ecdsaP256() {
      this.keyAlgorithm = KeyAlgorithm.EC_P256;
      return this;
    }

    /**
     * A 2048-bit RSA key, for clients that cannot verify ECDSA. Each leaf then takes about four
     * times as long to sign.
     */
    public Builder rsa2048() {
      this.keyAlgorithm = KeyAlgorithm.RSA_2048;
      return this;
    }

    /** A 3072-bit RSA key. Slower still than {@link #rsa2048()}. */
    public Builder rsa3072() {
      this.keyAlgorithm = KeyAlgorithm.RSA_3072;
      return this;
    }

    /**
     * How long the CA is valid, counted from its notBefore (one hour before now). Default:
     * 3650 days, because every container that trusts the CA must be updated when it changes.
     */
    public Builder validity(Duration validity) {
      requireNonNull(validity, "validity");
      checkArgument(
          validity.compareTo(BACKDATE) > 0, "validity: %s (expected: > %s)", validity, BACKDATE);
      this.validity = validity;
      return this;
    }

    /** The clock that dates the certificate. Default: the system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Uses this key pair instead of generating one (for reproducible tests). */
    Builder keyPair(KeyPair keyPair) {
      this.keyPair = requireNonNull(keyPair, "keyPair");
      return this;
    }

    /** Draws the serial number from this source instead (for reproducible tests). */
    Builder serialRandom(SecureRandom serialRandom) {
      this.serialRandom = requireNonNull(serialRandom, "serialRandom");
      return this;
    }

    /** Generates the key pair and signs the CA certificate. */
    public CertificateAuthority build() {
      KeyPair pair = keyPair != null ? keyPair : keyAlgorithm.generateKeyPair();
      Instant notBefore = clock.instant().minus(BACKDATE);
      Instant notAfter = notBefore.plus(validity);
      CertificateSigner signer =
          CertificateSigner.selfSigned(subject, pair.getPublic(), pair.getPrivate(), serialRandom);
      X509v3CertificateBuilder certificate =
          signer.start(subject, pair.getPublic(), notBefore, notAfter);
      CertificateSigner.addExtension(
          certificate, Extension.basicConstraints, true, new BasicConstraints(0));
      CertificateSigner.addExtension(
          certificate, Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new CertificateAuthority(signer.sign(certificate), pair.getPrivate());
    }

    private static X500Name commonNameOnly(String commonName) {
      return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }
  }
}
