package dev.mux.rules;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A header to set on the upstream request. {@link #toString()} and JSON serialization mask the
 * value: it may be a secret.
 */
public record HeaderValue(String name, String value) {

  /** Checks that name and value are present. */
  public HeaderValue {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
  }

  /** The header name with a masked value, e.g. {@code Authorization: ****}. */
  @Override
  @JsonValue
  public String toString() {
    return name + ": ****";
  }
}
