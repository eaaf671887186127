package dev.mux.ca;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Locale;

/**
 * A validated host a leaf certificate may name: a DNS name (lower case, no trailing dot, at most
 * one leading {@code *} label) or an IP address (canonical text form).
 */
record HostName(String value, boolean isIpAddress) {
  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;
  private static final String WILDCARD_RULE =
      "a wildcard only as the whole first label, followed by two or more labels";

  /** @throws IllegalArgumentException {@code host: "…" (expected: …)} */
  static HostName parse(String host) {
    if (host == null) {
      throw new NullPointerException("host");
    }
    String candidate = host;
    if (candidate.startsWith("[") && candidate.endsWith("]")) {
      candidate = candidate.substring(1, candidate.length() - 1);
    }
    if (InetAddresses.isInetAddress(candidate)) {
      InetAddress address = InetAddresses.forString(candidate);
      return new HostName(InetAddresses.toAddrString(address), true);
    }
    if (candidate.endsWith(".")) {
      candidate = candidate.substring(0, candidate.length() - 1);
    }
    if (candidate.isEmpty()) {
      throw invalid(host, "a DNS name or an IP address");
    }
    if (candidate.length() > MAX_NAME_LENGTH) {
      throw invalid(host, "at most " + MAX_NAME_LENGTH + " characters");
    }
    String[] labels = candidate.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      String label = labels[i];
      if (label.equals("*")) {
        if (i != 0 || labels.length < 3) {
          throw invalid(host, WILDCARD_RULE);
        }
        continue;
      }
      if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
        throw invalid(host, "labels of 1 to " + MAX_LABEL_LENGTH + " characters");
      }
      for (int c = 0; c < label.length(); c++) {
        char ch = label.charAt(c);
        boolean allowed = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
            || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        if (ch == '*') {
          throw invalid(host, WILDCARD_RULE);
        }
        if (!allowed) {
          throw invalid(host, "ASCII letters, digits, '-', '_' and '.' only");
        }
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        throw invalid(host, "labels that neither start nor end with '-'");
      }
    }
    return new HostName(candidate.toLowerCase(Locale.ROOT), false);
  }

  private static IllegalArgumentException invalid(String host, String expected) {
    return new IllegalArgumentException(
        "host: \"" + host + "\" (expected: " + expected + ")");
  }
}
