package dev.mux.rules;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What the proxy does with a {@code CONNECT host:port}, decided before any TLS: terminate TLS and
 * look at each request ({@link Intercept}), relay bytes blindly ({@link Tunnel}), or answer with
 * an error ({@link Refuse}).
 */
public sealed interface ConnectDecision
    permits ConnectDecision.Intercept, ConnectDecision.Tunnel, ConnectDecision.Refuse {

  /** Intercept the tunnel for the rule {@code ruleName}, or for a policy with no rule (null). */
  static Intercept intercept(@Nullable String ruleName) {
    return new Intercept(ruleName);
  }

  /** Relay the tunnel untouched. */
  static Tunnel tunnel() {
    return new Tunnel();
  }

  /** Refuse the tunnel. */
  static Refuse refuse(String reason, String errorCode) {
    return new Refuse(reason, errorCode);
  }

  /**
   * Terminate TLS with a certificate for the host and decide per request.
   *
   * @param ruleName the rule for the host, or null when only a policy (e.g. read-only) needs to
   *     see the requests
   */
  record Intercept(@Nullable String ruleName) implements ConnectDecision {}

  /** Relay bytes without looking at them. */
  record Tunnel() implements ConnectDecision {}

  /**
   * Do not connect.
   *
   * @param reason a sentence for the error page and the audit log; never contains a secret
   * @param errorCode one of the {@link ErrorCodes}
   */
  record Refuse(String reason, String errorCode) implements ConnectDecision {
    /** Checks that both are present. */
    public Refuse {
      requireNonNull(reason, "reason");
      requireNonNull(errorCode, "errorCode");
    }
  }
}
