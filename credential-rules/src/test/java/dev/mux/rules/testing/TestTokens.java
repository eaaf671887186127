package dev.mux.rules.testing;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Stand-ins for real credentials in tests: shaped like the real thing where mux looks at the shape
 * (an Anthropic OAuth token's prefix), obviously fake ({@code -test-}), and different on every run,
 * so nothing committed looks like a secret and no test can pass by matching a fixed value.
 * Published in credential-rules' test jar for the other modules' tests.
 */
public final class TestTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestTokens() {}

  /** {@code sk-ant-oat01-test-<label>-<16 random hex digits>}: taken for an OAuth token. */
  public static String oauth(String label) {
    return "sk-ant-oat01-test-" + label + "-" + randomHex();
  }

  /** {@code sk-ant-api03-test-<label>-<16 random hex digits>}: taken for an Anthropic API key. */
  public static String anthropicApiKey(String label) {
    return "sk-ant-api03-test-" + label + "-" + randomHex();
  }

  /** {@code test-<label>-<16 random hex digits>}: any other credential. */
  public static String generic(String label) {
    return "test-" + label + "-" + randomHex();
  }

  private static String randomHex() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
