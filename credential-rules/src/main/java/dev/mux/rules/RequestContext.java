package dev.mux.rules;

import static java.util.Objects.requireNonNull;

/**
 * One request inside an intercepted tunnel. {@code host} and {@code port} are the CONNECT target
 * (already checked against SNI by the proxy), never a {@code Host} header.
 */
public record RequestContext(
    String sessionId, String host, int port, String method, String path, RequestHeaders headers) {

  /** Checks that every component is present. */
  public RequestContext {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(host, "host");
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(headers, "headers");
  }
}
