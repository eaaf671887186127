package dev.mux.rules;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A credential value. {@link #toString()}, JSON serialization and exception messages show only
 * {@code ****}; {@link #reveal()} is the one way to read it, used when a header is built.
 */
public final class Secret {

  private static final String MASK = "****";

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps {@code value}, trimmed.
   *
   * @throws IllegalArgumentException when the value is empty after trimming (the message does not
   *     repeat it)
   */
  public static Secret of(String value) {
    requireNonNull(value, "value");
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("secret: empty (expected: a non-blank value)");
    }
    return new Secret(trimmed);
  }

  /** The real value. Never log it or put it in a message. */
  public String reveal() {
    return value;
  }

  /** Whether the value starts with {@code prefix}; lets callers pick a format without revealing. */
  public boolean startsWith(String prefix) {
    return value.startsWith(prefix);
  }

  /** {@code ****}. */
  @Override
  @JsonValue
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
