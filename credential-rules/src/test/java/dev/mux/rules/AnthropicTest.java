package dev.mux.rules;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicTest {

  private static final String OAUTH = TestTokens.oauth("anthropic");
  private static final String API_KEY = TestTokens.anthropicApiKey("anthropic");

  @TempDir Path home;

  private Decision.Inject decide(String credential, String... headers) {
    CredentialRules rules = CredentialRules.builder().home(home)
        .environment(Map.of("CLAUDE_CODE_OAUTH_TOKEN", credential)).build();
    Decision d = rules.decide(TestHeaders.request("s", "api.anthropic.com", 443, "POST", TestHeaders.of(headers)));
    assertThat(d).isInstanceOf(Decision.Inject.class);
    return (Decision.Inject) d;
  }

  @ParameterizedTest(name = "client sends {0}")
  @CsvSource({"Authorization, Bearer " + Placeholders.ANTHROPIC_OAUTH, "x-api-key, " + Placeholders.ANTHROPIC_OAUTH,
      "X-API-KEY, mux-proxy"})
  void oauthTokenReplacesEitherPlaceholderWithBearer(String header, String placeholder) {
    Decision.Inject inject = decide(OAUTH, header, placeholder);

    assertThat(inject.removeHeaders()).contains("Authorization", "X-Api-Key", "anthropic-beta");
    assertThat(inject.setHeaders()).containsExactly(
        new HeaderValue("Authorization", "Bearer " + OAUTH), new HeaderValue("anthropic-beta", "oauth-2025-04-20"));
  }

  @ParameterizedTest(name = "client sends {0}")
  @CsvSource({"Authorization, Bearer " + Placeholders.ANTHROPIC_OAUTH, "x-api-key, " + Placeholders.GENERIC})
  void apiKeyReplacesEitherPlaceholderWithXApiKey(String header, String placeholder) {
    Decision.Inject inject = decide(API_KEY, header, placeholder);

    assertThat(inject.removeHeaders()).contains("Authorization", "X-Api-Key");
    assertThat(inject.setHeaders()).containsExactly(new HeaderValue("x-api-key", API_KEY));
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                              | oauth-2025-04-20",
      "claude-code-20250219                            | claude-code-20250219,oauth-2025-04-20",
      "claude-code-20250219, fine-grained-tool-streaming-2025-05-14 | claude-code-20250219,fine-grained-tool-streaming-2025-05-14,oauth-2025-04-20",
      "claude-code-20250219,oauth-2025-04-20,,         | claude-code-20250219,oauth-2025-04-20",
      "oauth-2025-04-20,oauth-2025-04-20               | oauth-2025-04-20",
  })
  void oauthBetaIsMergedNeverDuplicated(String clientBetas, String expected) {
    Decision.Inject inject = clientBetas.isEmpty()
        ? decide(OAUTH)
        : decide(OAUTH, "anthropic-beta", clientBetas);

    assertThat(betaAfter(inject, clientBetas.isEmpty() ? List.of() : List.of(clientBetas))).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void betasAcrossSeveralHeaderLinesAreMergedIntoOne() {
    Decision.Inject inject = decide(OAUTH, "anthropic-beta", "a-1", "Anthropic-Beta", "oauth-2025-04-20, b-2",
        "anthropic-beta", "a-1");

    assertThat(inject.removeHeaders()).contains("anthropic-beta");
    assertThat(inject.setHeaders()).contains(new HeaderValue("anthropic-beta", "a-1,oauth-2025-04-20,b-2"));
  }

  @org.junit.jupiter.api.Test
  void apiKeyTakesTheOauthBetaOut() {
    Decision.Inject withOther = decide(API_KEY, "anthropic-beta", "claude-code-20250219,oauth-2025-04-20");
    Decision.Inject alone = decide(API_KEY, "anthropic-beta", "oauth-2025-04-20");
    Decision.Inject without = decide(API_KEY, "anthropic-beta", "claude-code-20250219");

    assertThat(betaAfter(withOther, List.of("x"))).isEqualTo("claude-code-20250219");
    assertThat(betaAfter(alone, List.of("x"))).isNull();
    assertThat(betaAfter(without, List.of("claude-code-20250219"))).isEqualTo("claude-code-20250219");
  }

  /** The anthropic-beta value the upstream sees after applying the decision to {@code client}. */
  private static String betaAfter(Decision.Inject inject, List<String> client) {
    boolean removed = inject.removeHeaders().stream().anyMatch(h -> h.equalsIgnoreCase("anthropic-beta"));
    List<String> set = inject.setHeaders().stream().filter(h -> h.name().equalsIgnoreCase("anthropic-beta"))
        .map(HeaderValue::value).toList();
    assertThat(set).hasSizeLessThanOrEqualTo(1);
    if (!set.isEmpty()) {
      return set.get(0);
    }
    return removed || client.isEmpty() ? null : String.join(",", client);
  }
}
