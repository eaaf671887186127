package dev.mux.rules;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** Validation of HTTP header names (RFC 9110 tokens). */
final class HeaderNames {

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private HeaderNames() {}

  static String check(String what, String name) {
    requireNonNull(name, what);
    checkArgument(TOKEN.matcher(name).matches(), "%s: \"%s\" (expected: an HTTP header name)", what, name);
    return name;
  }
}
