package dev.mux.rules;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionPolicyTest {

  @TempDir Path home;

  private CredentialRules rules(SessionPolicy policy) {
    return CredentialRules.builder().home(home)
        .environment(Map.of("GITHUB_TOKEN", "gh-real", "CLAUDE_CODE_OAUTH_TOKEN", TestTokens.oauth("policy")))
        .sessionPolicy("limited", policy)
        .build();
  }

  @Test
  void allowListRefusesOtherHostsAtConnectAndPerRequest() {
    CredentialRules rules = rules(SessionPolicy.builder().allowHosts("api.anthropic.com", "*.npmjs.org").build());

    assertThat(rules.onConnect("limited", "api.anthropic.com", 443)).isEqualTo(ConnectDecision.intercept("anthropic"));
    assertThat(rules.onConnect("limited", "registry.npmjs.org", 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.onConnect("limited", "api.github.com", 443)).isInstanceOfSatisfying(ConnectDecision.Refuse.class,
        r -> {
          assertThat(r.errorCode()).isEqualTo(ErrorCodes.HOST_NOT_ALLOWED);
          assertThat(r.reason()).isEqualTo("session limited may not connect to api.github.com:443 "
              + "(not in the session's allowed hosts)");
        });
    assertThat(rules.onConnect("limited", "npmjs.org", 443)).isInstanceOf(ConnectDecision.Refuse.class);
    assertThat(rules.onConnect("limited", "::1", 443)).isInstanceOf(ConnectDecision.Refuse.class);
    assertThat(rules.decide(TestHeaders.request("limited", "api.github.com", 443, "GET", TestHeaders.of())))
        .isInstanceOfSatisfying(Decision.Refuse.class, r -> {
          assertThat(r.errorCode()).isEqualTo(ErrorCodes.HOST_NOT_ALLOWED);
          assertThat(r.status()).isEqualTo(403);
        });
  }

  @Test
  void otherSessionsGetTheDefaultPolicy() {
    CredentialRules rules = rules(SessionPolicy.builder().allowHosts("api.anthropic.com").build());

    assertThat(rules.onConnect("other", "api.github.com", 443)).isEqualTo(ConnectDecision.intercept("github-api"));
    assertThat(rules.onConnect("other", "example.org", 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.onConnect("other", "::1", 443)).isEqualTo(ConnectDecision.tunnel());
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource({
      "GET,     api.github.com,  inject",
      "HEAD,    api.github.com,  inject",
      "OPTIONS, api.github.com,  inject",
      "POST,    api.github.com,  READ_ONLY",
      "DELETE,  api.github.com,  READ_ONLY",
      "get,     api.github.com,  READ_ONLY",
      "PUT,     docs.example.com, READ_ONLY",
      "GET,     docs.example.com, pass",
      "POST,    api.anthropic.com, inject",
  })
  void readOnlyLetsOnlySafeMethodsThrough(String method, String host, String expected) {
    CredentialRules rules = rules(SessionPolicy.builder().readOnly("api.github.com", "*.example.com").build());

    Decision d = rules.decide(TestHeaders.request("limited", host, 443, method, TestHeaders.of()));

    switch (expected) {
      case "inject" -> assertThat(d).isInstanceOf(Decision.Inject.class);
      case "pass" -> assertThat(d).isEqualTo(new Decision.Pass(Optional.empty()));
      default -> assertThat(d).isInstanceOfSatisfying(Decision.Refuse.class, r -> {
        assertThat(r.errorCode()).isEqualTo(expected);
        assertThat(r.reason()).isEqualTo("session limited is read-only for " + host + ": " + method
            + " refused (allowed: GET, HEAD, OPTIONS)");
      });
    }
  }

  @Test
  void readOnlyAndInspectedHostsAreInterceptedWithoutRule() {
    CredentialRules rules = rules(SessionPolicy.builder().readOnly("*.example.com").inspect("pypi.org").build());

    assertThat(rules.onConnect("limited", "docs.example.com", 443)).isEqualTo(ConnectDecision.intercept(null));
    assertThat(rules.onConnect("limited", "pypi.org", 443)).isEqualTo(ConnectDecision.intercept(null));
    assertThat(rules.onConnect("limited", "example.com", 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.decide(TestHeaders.request("limited", "pypi.org", 443, "POST", TestHeaders.of())))
        .isEqualTo(new Decision.Pass(Optional.empty()));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "Authorization | Bearer " + Placeholders.ANTHROPIC_OAUTH + " | refuse",
      "Authorization | token mux-proxy                           | refuse",
      "authorization | Basic eC1hY2Nlc3MtdG9rZW46bXV4LXByb3h5     | refuse",
      "X-Api-Key     | sk-mux-proxy-placeholder                  | refuse",
      "Private-Token | mux-proxy                                 | refuse",
      "Authorization | Bearer a-real-looking-token               | pass",
      "Authorization | Basic dXNlcjpwYXNzd29yZA==                | pass",
      "Authorization | Basic not-base64!                         | pass",
      "Authorization | Bearer mux-proxy-but-longer               | pass",
      "X-Other       | mux-proxy                                 | pass",
  })
  void aPlaceholderSentToAnInspectedHostWithoutRuleIsRefused(String header, String value, String expected) {
    CredentialRules rules = rules(SessionPolicy.builder().inspect("pypi.org").build());

    Decision decision = rules.decide(TestHeaders.request("limited", "pypi.org", 443, "GET", TestHeaders.of(header, value)));

    if (expected.equals("pass")) {
      assertThat(decision).isEqualTo(new Decision.Pass(Optional.empty()));
      return;
    }
    assertThat(decision).isInstanceOfSatisfying(Decision.Refuse.class, r -> {
      assertThat(r.errorCode()).isEqualTo(ErrorCodes.PLACEHOLDER_WITHOUT_RULE);
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.ruleName()).isNull();
      assertThat(r.reason()).startsWith("the ").contains(" header carries a mux placeholder, but no active rule"
          + " injects a credential for pypi.org");
    });
  }

  @Test
  void aPlaceholderToARuleHostIsReplacedNotRefused() {
    CredentialRules rules = rules(SessionPolicy.builder().build());

    assertThat(rules.decide(TestHeaders.request("limited", "api.github.com", 443, "GET",
        TestHeaders.of("Authorization", "token mux-proxy")))).isInstanceOf(Decision.Inject.class);
  }

  @Test
  void credentialAllowListRefusesOtherCredentials() {
    CredentialRules rules = rules(SessionPolicy.builder().allowCredentials("CLAUDE_CODE_OAUTH_TOKEN").build());

    assertThat(rules.decide(TestHeaders.request("limited", "api.anthropic.com", 443, "POST", TestHeaders.of())))
        .isInstanceOf(Decision.Inject.class);
    assertThat(rules.decide(TestHeaders.request("limited", "github.com", 443, "GET", TestHeaders.of())))
        .isEqualTo(new Decision.Refuse("github-git",
            "session limited may not use credential GITHUB_TOKEN (rule github-git for github.com)",
            ErrorCodes.CREDENTIAL_NOT_ALLOWED, 403));
  }

  @Test
  void runtimePolicyOverridesAndCanBeRemoved() {
    CredentialRules rules = rules(SessionPolicy.allowAll());

    rules.sessionPolicy("limited", SessionPolicy.builder().allowHosts("api.anthropic.com").build());
    assertThat(rules.onConnect("limited", "api.github.com", 443)).isInstanceOf(ConnectDecision.Refuse.class);
    rules.removeSessionPolicy("limited");
    assertThat(rules.onConnect("limited", "api.github.com", 443)).isEqualTo(ConnectDecision.intercept("github-api"));
  }

  @Test
  void defaultPolicyAppliesToUnknownSessions() {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of())
        .defaultPolicy(SessionPolicy.builder().allowHosts("*.corp.example").build()).build();

    assertThat(rules.onConnect("anyone", "a.corp.example", 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.onConnect("anyone", "example.org", 443)).isInstanceOf(ConnectDecision.Refuse.class);
  }

  @Test
  void starAllowsEveryHost() {
    CredentialRules rules = rules(SessionPolicy.builder().allowHosts("*").build());

    assertThat(rules.onConnect("limited", "anything.example", 443)).isEqualTo(ConnectDecision.tunnel());
  }
}
