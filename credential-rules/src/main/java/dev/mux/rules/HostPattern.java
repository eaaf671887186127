package dev.mux.rules;

import static java.util.Objects.requireNonNull;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name, exact or {@code *.suffix}. Names are compared in lower-case punycode without a
 * trailing dot; {@code *.example.com} matches {@code a.example.com} and {@code a.b.example.com}
 * but not {@code example.com}.
 */
final class HostPattern {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");

  private final String text;
  private final boolean wildcard;
  /** The exact host, or for a wildcard the suffix including its leading dot. */
  private final String match;

  private HostPattern(String text, boolean wildcard, String match) {
    this.text = text;
    this.wildcard = wildcard;
    this.match = match;
  }

  /**
   * Parses an exact host or a {@code *.suffix} pattern.
   *
   * @throws IllegalArgumentException naming the pattern and what is expected
   */
  static HostPattern parse(String pattern) {
    requireNonNull(pattern, "host");
    String expected = "(expected: a host name like api.example.com, or *.example.com)";
    boolean wildcard = pattern.startsWith("*.");
    String rest = wildcard ? pattern.substring(2) : pattern;
    String normalized;
    try {
      normalized = normalize(rest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("host: \"" + pattern + "\" " + expected, e);
    }
    if (normalized == null) {
      throw new IllegalArgumentException("host: \"" + pattern + "\" " + expected);
    }
    return wildcard
        ? new HostPattern("*." + normalized, true, "." + normalized)
        : new HostPattern(normalized, false, normalized);
  }

  /**
   * Lower-case punycode without a trailing dot, or null when {@code host} is not a valid name
   * (wildcards in the middle, empty labels, spaces, …).
   *
   * @throws IllegalArgumentException when IDN conversion fails
   */
  static String normalize(String host) {
    requireNonNull(host, "host");
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty()) {
      return null;
    }
    boolean plain = h.chars().allMatch(c -> c < 0x80);
    String ascii = (plain ? h : IDN.toASCII(h, IDN.ALLOW_UNASSIGNED)).toLowerCase(Locale.ROOT);
    if (ascii.length() > 253) {
      return null;
    }
    for (String label : ascii.split("\\.", -1)) {
      if (label.length() > 63 || !LABEL.matcher(label).matches()) {
        return null;
      }
    }
    return ascii;
  }

  /** Whether {@code host} (any case, trailing dot, Unicode or punycode) matches. */
  boolean matches(String host) {
    String normalized;
    try {
      normalized = normalize(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return normalized != null && matchesNormalized(normalized);
  }

  boolean matchesNormalized(String normalizedHost) {
    return wildcard
        ? normalizedHost.endsWith(match) && normalizedHost.length() > match.length()
        : normalizedHost.equals(match);
  }

  boolean isWildcard() {
    return wildcard;
  }

  /** How specific the pattern is: exact hosts beat wildcards, longer suffixes beat shorter. */
  int specificity() {
    return wildcard ? match.length() : Integer.MAX_VALUE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostPattern p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
