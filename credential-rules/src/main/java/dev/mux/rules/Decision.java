package dev.mux.rules;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy does with one request inside an intercepted tunnel: rewrite its credential
 * headers ({@link Inject}), forward it untouched ({@link Pass}), or answer with an error
 * ({@link Refuse}).
 */
public sealed interface Decision permits Decision.Inject, Decision.Pass, Decision.Refuse {

  /** The HTTP status the proxy answers a refused request with. */
  int REFUSE_STATUS = 403;

  /**
   * Remove {@code removeHeaders} (any case), then set {@code setHeaders}; send to {@code upstream}
   * instead of the CONNECT target when present. {@link #toString()} never shows header values.
   */
  record Inject(
      String ruleName,
      List<String> removeHeaders,
      List<HeaderValue> setHeaders,
      Optional<Upstream> upstream)
      implements Decision {
    /** Copies the lists. */
    public Inject {
      requireNonNull(ruleName, "ruleName");
      removeHeaders = List.copyOf(removeHeaders);
      setHeaders = List.copyOf(setHeaders);
      requireNonNull(upstream, "upstream");
    }
  }

  /** Forward the request untouched (to {@code upstream} when present). */
  record Pass(Optional<Upstream> upstream) implements Decision {
    /** Checks the upstream is present (possibly empty). */
    public Pass {
      requireNonNull(upstream, "upstream");
    }
  }

  /**
   * Answer with {@code status} and an error page carrying {@code reason}.
   *
   * @param ruleName the rule of the host, or null when the host has none
   * @param reason a sentence saying what to fix; never contains a secret
   * @param errorCode one of the {@link ErrorCodes}
   * @param status the HTTP status, 403
   */
  record Refuse(@Nullable String ruleName, String reason, String errorCode, int status)
      implements Decision {
    /** Checks reason and error code are present. */
    public Refuse {
      requireNonNull(reason, "reason");
      requireNonNull(errorCode, "errorCode");
    }
  }
}
