package dev.mux.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialFormatTest {

  @TempDir Path home;

  static Stream<Arguments> formats() {
    return Stream.of(
        Arguments.of(CredentialFormat.bearer(), "Authorization", "Bearer s3cr3t"),
        Arguments.of(CredentialFormat.raw(), "x-api-key", "s3cr3t"),
        Arguments.of(CredentialFormat.basic("x-access-token"), "Authorization", "Basic eC1hY2Nlc3MtdG9rZW46czNjcjN0"),
        Arguments.of(CredentialFormat.basic("user"), "Authorization", "Basic dXNlcjpzM2NyM3Q="),
        Arguments.of(CredentialFormat.token(), "Authorization", "Token token=s3cr3t"),
        Arguments.of(CredentialFormat.template("Key {secret}; v={secret}"), "X-Key", "Key s3cr3t; v=s3cr3t"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void formatsTheHeaderValue(CredentialFormat format, String header, String expected) {
    CredentialRules rules = CredentialRules.builder().home(home).presets(false)
        .environment(Map.of("CORP_TOKEN", "s3cr3t\n"))
        .addRule(Rule.builder("corp").host("*.corp.example").credential("CORP_TOKEN").header(header)
            .format(format).build())
        .build();

    Decision decision = rules.decide(TestHeaders.get("api.corp.example"));

    assertThat(decision).isInstanceOfSatisfying(Decision.Inject.class, inject -> {
      assertThat(inject.setHeaders()).containsExactly(new HeaderValue(header, expected));
      assertThat(inject.removeHeaders()).containsSubsequence("Authorization", "X-Api-Key", "Proxy-Authorization");
      assertThat(inject.removeHeaders()).anyMatch(h -> h.equalsIgnoreCase(header));
    });
  }

  @Test
  void extraHeadersStripAndUpstream() {
    CredentialRules rules = CredentialRules.builder().home(home).presets(false)
        .environment(Map.of("CORP_TOKEN", "s3cr3t"))
        .addRule(Rule.builder("gateway").host("api.anthropic.com").credential("CORP_TOKEN")
            .header("x-api-key").format(CredentialFormat.raw())
            .stripHeader("X-Goog-Api-Key").extraHeader("X-Team", "platform")
            .upstream(Upstream.parse("https://llm-gateway.corp.example:8443")).build())
        .build();

    Decision decision = rules.decide(TestHeaders.get("api.anthropic.com"));

    assertThat(decision).isEqualTo(new Decision.Inject("gateway",
        java.util.List.of("Authorization", "X-Api-Key", "Proxy-Authorization", "X-Goog-Api-Key", "X-Team"),
        java.util.List.of(new HeaderValue("x-api-key", "s3cr3t"), new HeaderValue("X-Team", "platform")),
        Optional.of(new Upstream("llm-gateway.corp.example", 8443))));
  }

  @Test
  void exactHostBeatsWildcardAndLongerSuffixBeatsShorter() {
    CredentialRules rules = CredentialRules.builder().home(home).presets(false)
        .environment(Map.of("A", "a", "B", "b", "C", "c"))
        .addRule(Rule.builder("wide").host("*.example.com").credential("A").build())
        .addRule(Rule.builder("narrow").host("*.api.example.com").credential("B").build())
        .addRule(Rule.builder("exact").host("v1.api.example.com").credential("C").build())
        .build();

    assertThat(rules.onConnect("s", "x.example.com", 443)).isEqualTo(ConnectDecision.intercept("wide"));
    assertThat(rules.onConnect("s", "x.api.example.com", 443)).isEqualTo(ConnectDecision.intercept("narrow"));
    assertThat(rules.onConnect("s", "V1.API.EXAMPLE.COM.", 443)).isEqualTo(ConnectDecision.intercept("exact"));
    assertThat(rules.onConnect("s", "example.com", 443)).isEqualTo(ConnectDecision.tunnel());
  }

  @Test
  void addedRuleReplacesPresetOfSameName() {
    CredentialRules rules = CredentialRules.builder().home(home)
        .environment(Map.of("GITHUB_TOKEN", "t", "GHE_TOKEN", "e"))
        .addRule(Rule.builder("github-api").host("api.github.com").credential("GHE_TOKEN").build())
        .build();

    assertThat(rules.decide(TestHeaders.get("api.github.com"))).isInstanceOfSatisfying(Decision.Inject.class,
        inject -> assertThat(inject.setHeaders()).containsExactly(new HeaderValue("Authorization", "Bearer e")));
    assertThat(rules.describe()).filteredOn(s -> s.name().equals("github-api")).singleElement()
        .satisfies(s -> assertThat(s.preset()).isFalse());
  }

  @Test
  void invalidValuesAreRejectedWithTheirName() {
    assertThatThrownBy(() -> CredentialFormat.template("Bearer token"))
        .hasMessage("template: \"Bearer token\" (expected: contains {secret})");
    assertThatThrownBy(() -> CredentialFormat.basic("a:b")).hasMessage("user: \"a:b\" (expected: non-empty, no ':')");
    assertThatThrownBy(() -> Rule.builder("x").host("a.com").credential("T").header("Bad Header"))
        .hasMessage("header: \"Bad Header\" (expected: an HTTP header name)");
    assertThatThrownBy(() -> Rule.builder("x").host("a.com").build())
        .hasMessage("rule x: credential (expected: set)");
    assertThatThrownBy(() -> Rule.builder("x").port(0)).hasMessage("port: 0 (expected: 1-65535)");
    assertThatThrownBy(() -> Upstream.parse("http://gateway")).hasMessage("upstream: \"http://gateway\" (expected: https://host[:port])");
    assertThat(Upstream.parse("https://gateway.corp")).isEqualTo(new Upstream("gateway.corp", 443));
  }
}
