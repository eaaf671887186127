package dev.mux.cli;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One diagnosis: what was checked, whether it is fine, and if not, how to fix it. Never holds a
 * credential value.
 */
record Check(@JsonProperty("ok") boolean ok, @JsonProperty("text") String text, @JsonProperty("fix") String fix) {
  static Check pass(String text) {
    return new Check(true, text, null);
  }

  static Check fail(String text, String fix) {
    return new Check(false, text, fix);
  }

  /** {@code ✓ text}, or {@code ✗ text} and an indented fix line. */
  String render() {
    return ok ? "✓ " + text : "✗ " + text + (fix == null ? "" : "\n    fix: " + fix);
  }
}
