package dev.mux.ca;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.ExecutionError;
import com.google.common.util.concurrent.UncheckedExecutionException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Issues leaf certificates signed by one {@link CertificateAuthority}, one per host name or IP
 * address, and keeps the most recently used ones in a bounded cache. Thread-safe: a host already
 * in the cache costs no signing, and many threads asking for a new host at once wait for a
 * single signature.
 *
 * <p>A leaf names its host in the subject alternative name (a DNS name or an IP address) and in
 * the common name, has an EC P-256 key, {@code extendedKeyUsage serverAuth}, and is valid for
 * 397 days from one hour ago (the longest validity browsers accept; the hour tolerates clients
 * whose clock lags). A leaf never outlives its CA. All leaves share one key pair, made when the
 * issuer is built.
 *
 * <pre>{@code
 * LeafIssuer leaves = ca.leafIssuer().maximumCacheSize(5_000).build();
 * IssuedCertificate cert = leaves.issue("api.github.com");
 * }</pre>
 */
public final class LeafIssuer {
  /** A cached leaf this close to its notAfter is issued anew. */
  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofDays(1);
  private static final int MAX_COMMON_NAME_LENGTH = 64;

  private final CertificateAuthority ca;
  private final CertificateSigner signer;
  private final KeyPair leafKeyPair;
  private final Duration validity;
  private final Clock clock;
  private final Cache<HostName, IssuedCertificate> cache;
  private final AtomicLong signed = new AtomicLong();

  private LeafIssuer(Builder builder) {
    this.ca = builder.ca;
    this.signer =
        CertificateSigner.issuedBy(ca.certificate(), ca.privateKey(), builder.serialRandom);
    this.leafKeyPair =
        builder.leafKeyPair != null ? builder.leafKeyPair : KeyAlgorithm.EC_P256.generateKeyPair();
    this.validity = builder.validity;
    this.clock = builder.clock;
    this.cache =
        CacheBuilder.newBuilder()
            .maximumSize(builder.maximumCacheSize)
            .concurrencyLevel(1) // exact LRU bound; reads stay lock-free
            .recordStats()
            .build();
  }

  /**
   * The certificate for {@code hostOrIp}: a DNS name such as {@code api.example.com} (a leading
   * {@code *.} label is allowed), or an IPv4/IPv6 address. Names are matched case-insensitively
   * and without a trailing dot.
   *
   * @throws IllegalArgumentException {@code host: "…" (expected: …)} for an invalid name
   */
  public IssuedCertificate issue(String hostOrIp) {
    HostName host = HostName.parse(hostOrIp);
    IssuedCertificate cached = get(host);
    if (clock.instant().isAfter(renewAt(cached.certificate()))) {
      cache.asMap().remove(host, cached);
      return get(host);
    }
    return cached;
  }

  /** How many {@link #issue} calls were answered from the cache. */
  public long cacheHits() {
    return cache.stats().hitCount();
  }

  /** How many leaf certificates this issuer has signed. */
  public long certificatesSigned() {
    return signed.get();
  }

  /** The CA that signs the leaves. */
  public CertificateAuthority certificateAuthority() {
    return ca;
  }

  /** A day before notAfter, or a quarter of the validity before it if that is shorter. */
  private static Instant renewAt(X509Certificate certificate) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    Duration quarter = Duration.between(notBefore, notAfter).dividedBy(4);
    Duration margin = quarter.compareTo(RENEW_BEFORE_EXPIRY) < 0 ? quarter : RENEW_BEFORE_EXPIRY;
    return notAfter.minus(margin);
  }

  private IssuedCertificate get(HostName host) {
    try {
      return cache.get(host, () -> sign(host));
    } catch (ExecutionException | UncheckedExecutionException | ExecutionError e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  private IssuedCertificate sign(HostName host) {
    Instant notBefore = clock.instant().minus(CertificateAuthority.Builder.BACKDATE);
    Instant notAfter = notBefore.plus(validity);
    Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      notAfter = caNotAfter;
    }
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    if (host.value().length() <= MAX_COMMON_NAME_LENGTH) {
      subject.addRDN(BCStyle.CN, host.value());
    }
    X500Name subjectName = subject.build();
    X509v3CertificateBuilder builder =
        signer.start(subjectName, leafKeyPair.getPublic(), notBefore, notAfter);
    GeneralName name = host.isIpAddress()
        ? new GeneralName(GeneralName.iPAddress, host.value())
        : new GeneralName(GeneralName.dNSName, host.value());
    // Without a subject the SAN is the only identity and must be critical (RFC 5280 4.2.1.6).
    CertificateSigner.addExtension(builder, Extension.subjectAlternativeName,
        subjectName.getRDNs().length == 0, new GeneralNames(name));
    CertificateSigner.addExtension(
        builder, Extension.basicConstraints, true, new BasicConstraints(false));
    CertificateSigner.addExtension(
        builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    CertificateSigner.addExtension(builder, Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509Certificate certificate = signer.sign(builder);
    signed.incrementAndGet();
    return new IssuedCertificate(certificate, leafKeyPair.getPrivate(), ca.certificate());
  }

  /** Configures a {@link LeafIssuer}; get one from {@link CertificateAuthority#leafIssuer()}. */
  public static final class Builder {
    static final int DEFAULT_MAXIMUM_CACHE_SIZE = 1000;
    static final Duration MAX_VALIDITY = Duration.ofDays(397);

    private final CertificateAuthority ca;
    private int maximumCacheSize = DEFAULT_MAXIMUM_CACHE_SIZE;
    private Duration validity = MAX_VALIDITY;
    private Clock clock = Clock.systemUTC();
    private KeyPair leafKeyPair;
    private SecureRandom serialRandom = CertificateSigner.RANDOM;

    Builder(CertificateAuthority ca) {
      this.ca = requireNonNull(ca, "ca");
    }

    /**
     * How many hosts' certificates to keep; the least recently used go first. Default: 1000.
     */
    public Builder maximumCacheSize(int maximumCacheSize) {
      checkArgument(maximumCacheSize >= 1,
          "maximumCacheSize: %s (expected: >= 1)", maximumCacheSize);
      this.maximumCacheSize = maximumCacheSize;
      return this;
    }

    /**
     * How long a leaf is valid, counted from its notBefore (one hour before now). Default and
     * maximum: 397 days, the longest browsers and Apple platforms accept.
     */
    public Builder validity(Duration validity) {
      requireNonNull(validity, "validity");
      checkArgument(
          validity.compareTo(CertificateAuthority.Builder.BACKDATE) > 0
              && validity.compareTo(MAX_VALIDITY) <= 0,
          "validity: %s (expected: > PT1H and <= %s)", validity, MAX_VALIDITY);
      this.validity = validity;
      return this;
    }

    /** The clock that dates leaves and decides when a cached leaf is renewed. Default: system. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Uses this EC key pair for the leaves instead of a fresh one (for reproducible tests). */
    Builder leafKeyPair(KeyPair leafKeyPair) {
      this.leafKeyPair = requireNonNull(leafKeyPair, "leafKeyPair");
      return this;
    }

    /** Draws serial numbers from this source instead (for reproducible tests). */
    Builder serialRandom(SecureRandom serialRandom) {
      this.serialRandom = requireNonNull(serialRandom, "serialRandom");
      return this;
    }

    /** Makes the issuer, with a fresh EC P-256 key pair for its leaves. */
    public LeafIssuer build() {
      return new LeafIssuer(this);
    }
  }
}
