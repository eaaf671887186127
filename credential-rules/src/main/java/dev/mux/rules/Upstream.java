package dev.mux.rules;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * An origin to send a rule host's traffic to instead of the host itself, for example a company
 * LLM gateway or a local server in tests. The scheme is always {@code https}: credentials never
 * travel over plain HTTP.
 */
public record Upstream(String host, int port) {

  /** Checks the host and the port range. */
  public Upstream {
    requireNonNull(host, "host");
    checkArgument(!host.isBlank(), "host: \"%s\" (expected: not blank)", host);
    checkArgument(port > 0 && port <= 65535, "port: %s (expected: 1-65535)", port);
  }

  /**
   * Parses {@code https://host[:port][/]}; the port defaults to 443.
   *
   * @throws IllegalArgumentException when the scheme is not https or a path/query is present
   */
  public static Upstream parse(String url) {
    requireNonNull(url, "url");
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("upstream: \"" + url + "\" (expected: https://host[:port])", e);
    }
    checkArgument("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
            && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
            && uri.getRawQuery() == null && uri.getRawUserInfo() == null,
        "upstream: \"%s\" (expected: https://host[:port])", url);
    return new Upstream(uri.getHost(), uri.getPort() == -1 ? 443 : uri.getPort());
  }

  /** {@code https://host:port}. */
  @Override
  public String toString() {
    return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
