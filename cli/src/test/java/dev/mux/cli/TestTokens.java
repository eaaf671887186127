package dev.mux.cli;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Stand-ins for real credentials in tests: shaped like an Anthropic OAuth token so mux treats them
 * as one, obviously fake ({@code -test-}), and different on every run, so nothing committed looks
 * like a secret and no test can pass by matching a fixed value.
 */
final class TestTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestTokens() {}

  /** {@code sk-ant-oat01-test-<label>-<16 random hex digits>}. */
  static String oauth(String label) {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "sk-ant-oat01-test-" + label + "-" + HexFormat.of().formatHex(bytes);
  }
}
