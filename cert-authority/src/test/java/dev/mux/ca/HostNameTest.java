package dev.mux.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostNameTest {
  @Test
  void dnsNameIsLowerCasedWithoutTrailingDot() {
    assertThat(HostName.parse("API.Example.com.")).isEqualTo(new HostName("api.example.com", false));
  }

  @Test
  void singleLabel() {
    assertThat(HostName.parse("localhost")).isEqualTo(new HostName("localhost", false));
  }

  @Test
  void ipv4() {
    assertThat(HostName.parse("127.0.0.1")).isEqualTo(new HostName("127.0.0.1", true));
  }

  @Test
  void ipv6IsCanonical() {
    assertThat(HostName.parse("[0:0:0:0:0:0:0:1]")).isEqualTo(new HostName("::1", true));
  }

  @Test
  void wildcard() {
    assertThat(HostName.parse("*.example.com")).isEqualTo(new HostName("*.example.com", false));
  }

  @Test
  void empty() {
    assertInvalid("", "host: \"\" (expected: a DNS name or an IP address)");
  }

  @Test
  void space() {
    assertInvalid("exa mple.com", "host: \"exa mple.com\" (expected: ASCII letters, digits, '-', '_' and '.' only)");
  }

  @Test
  void nonAscii() {
    assertInvalid("bücher.de", "host: \"bücher.de\" (expected: ASCII letters, digits, '-', '_' and '.' only)");
  }

  @Test
  void tooLong() {
    String host = ("a".repeat(62) + ".").repeat(4) + "com"; // 255 characters
    assertInvalid(host, "host: \"" + host + "\" (expected: at most 253 characters)");
  }

  @Test
  void labelTooLong() {
    String host = "a".repeat(64) + ".com";
    assertInvalid(host, "host: \"" + host + "\" (expected: labels of 1 to 63 characters)");
  }

  @Test
  void emptyLabel() {
    assertInvalid("a..com", "host: \"a..com\" (expected: labels of 1 to 63 characters)");
  }

  @Test
  void hyphenAtLabelEdge() {
    assertInvalid("-a.com", "host: \"-a.com\" (expected: labels that neither start nor end with '-')");
  }

  @Test
  void wildcardAlone() {
    assertInvalid("*", "host: \"*\" (expected: a wildcard only as the whole first label, followed by two or more labels)");
  }

  @Test
  void wildcardOverTopLevelDomain() {
    assertInvalid("*.com", "host: \"*.com\" (expected: a wildcard only as the whole first label, followed by two or more labels)");
  }

  @Test
  void wildcardInsideLabel() {
    assertInvalid("a*.example.com", "host: \"a*.example.com\" (expected: a wildcard only as the whole first label, followed by two or more labels)");
  }

  @Test
  void wildcardNotFirst() {
    assertInvalid("www.*.example.com", "host: \"www.*.example.com\" (expected: a wildcard only as the whole first label, followed by two or more labels)");
  }

  private static void assertInvalid(String host, String message) {
    assertThatThrownBy(() -> HostName.parse(host))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
