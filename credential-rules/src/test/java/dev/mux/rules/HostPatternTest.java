package dev.mux.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPatternTest {

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
      "api.github.com,    api.github.com,     true",
      "api.github.com,    API.GitHub.COM,     true",
      "api.github.com,    api.github.com.,    true",
      "api.github.com.,   api.github.com,     true",
      "API.GITHUB.COM,    api.github.com,     true",
      "api.github.com,    github.com,         false",
      "api.github.com,    xapi.github.com,    false",
      "api.github.com,    api.github.com.evil.com, false",
      "*.example.com,     a.example.com,      true",
      "*.example.com,     a.b.example.com,    true",
      "*.example.com,     A.EXAMPLE.COM.,     true",
      "*.example.com,     example.com,        false",
      "*.example.com,     badexample.com,     false",
      "*.example.com,     a.example.com.evil, false",
      "*.Example.COM.,    a.example.com,      true",
      "münchen.de,        xn--mnchen-3ya.de,  true",
      "xn--mnchen-3ya.de, MÜNCHEN.de,         true",
      "*.bücher.example,  shop.xn--bcher-kva.example, true",
      "127.0.0.1,         127.0.0.1,          true",
      "api.github.com,    '',                 false",
      "api.github.com,    api..github.com,    false",
  })
  void matches(String pattern, String host, boolean expected) {
    assertThat(HostPattern.parse(pattern).matches(host)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "*", "*.", ".", "a..b", "a.*.com", "*example.com", "**.example.com", "exa mple.com",
      "example.com/path", "example.com:443", "-bad.com", "http://example.com"})
  void rejectsInvalidPatterns(String pattern) {
    assertThatThrownBy(() -> HostPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("host: \"" + pattern + "\" (expected: a host name like api.example.com, or *.example.com)");
  }

  @ParameterizedTest
  @CsvSource({"API.Example.com., api.example.com", "*.Bücher.example, *.xn--bcher-kva.example"})
  void normalizesForDisplay(String pattern, String shown) {
    assertThat(HostPattern.parse(pattern)).hasToString(shown);
  }
}
