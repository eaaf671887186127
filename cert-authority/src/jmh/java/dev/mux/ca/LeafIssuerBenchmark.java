package dev.mux.ca;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of a leaf certificate: signed for a host never seen before (a cache miss), and taken from
 * the cache. Run with {@code mvn -pl cert-authority -Pbench clean test-compile exec:exec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LeafIssuerBenchmark {
  /** The CA's key type: EC P-256 (the default) or RSA 2048. Leaves are EC either way. */
  @Param({"ec", "rsa2048"})
  public String caKey;

  private LeafIssuer issuer;
  private long next;

  @Setup
  public void setUp() {
    CertificateAuthority.Builder ca = CertificateAuthority.builder();
    if (caKey.equals("rsa2048")) {
      ca.rsa2048();
    }
    issuer = ca.build().leafIssuer().build();
    issuer.issue("cached.example.com");
  }

  /** A new host every call: validation, a cache miss, one signature, one eviction when full. */
  @Benchmark
  public IssuedCertificate coldIssuance() {
    return issuer.issue("host-" + next++ + ".example.com");
  }

  /** The same host every call: validation and a cache hit. */
  @Benchmark
  public IssuedCertificate cacheHit() {
    return issuer.issue("cached.example.com");
  }
}
