package dev.mux.rules;

import java.util.List;

/**
 * Read access to a request's headers, as the proxy sees them. Lookups are case-insensitive; a
 * header that is absent yields an empty list. proxy-core passes {@code nettyHeaders::getAll}.
 */
@FunctionalInterface
public interface RequestHeaders {

  /** All values of the header {@code name} (any case), in order; empty when absent. */
  List<String> all(String name);

  /** Headers with no entries. */
  static RequestHeaders none() {
    return name -> List.of();
  }
}
