package dev.mux.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingCredentialTest {

  @TempDir Path home;

  @Test
  void configuredRuleWithoutCredentialIsInterceptedAndRefused() {
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of())
        .addRule(Rule.builder("corp").host("api.corp.example").credential("CORP_TOKEN").build()).build();

    assertThat(rules.onConnect("s", "api.corp.example", 443)).isEqualTo(ConnectDecision.intercept("corp"));
    Decision d = rules.decide(TestHeaders.get("api.corp.example"));

    Path file = home.resolve("secrets").resolve("CORP_TOKEN");
    assertThat(d).isEqualTo(new Decision.Refuse("corp",
        "mux has no credential for api.corp.example (rule corp): credential CORP_TOKEN is not configured: "
            + "set the environment variable CORP_TOKEN for mux, or write it to " + file + " (mode 600)",
        ErrorCodes.CREDENTIAL_MISSING, 403));
    assertThat(rules.describe()).filteredOn(s -> s.name().equals("corp")).singleElement().satisfies(s -> {
      assertThat(s.active()).isTrue();
      assertThat(s.present()).isFalse();
    });
  }

  @Test
  void presetMentionedInConfigRefusesWhenCredentialMissing() throws Exception {
    Path config = Files.writeString(home.resolve("rules.toml"), "[preset.github-api]\nenabled = true\n");
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of()).configFile(config).build();

    assertThat(rules.onConnect("s", "api.github.com", 443)).isEqualTo(ConnectDecision.intercept("github-api"));
    assertThat(rules.decide(TestHeaders.get("api.github.com"))).isInstanceOfSatisfying(Decision.Refuse.class,
        r -> assertThat(r.reason()).contains("GITHUB_TOKEN", "alternatives tried: GH_TOKEN"));
    // The other presets stay inactive.
    assertThat(rules.onConnect("s", "github.com", 443)).isEqualTo(ConnectDecision.tunnel());
  }

  @Test
  void disabledPresetIsNeverUsed() throws Exception {
    Path config = Files.writeString(home.resolve("rules.toml"), "[preset.github-api]\nenabled = false\n");
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of("GITHUB_TOKEN", "t"))
        .configFile(config).build();

    assertThat(rules.onConnect("s", "api.github.com", 443)).isEqualTo(ConnectDecision.tunnel());
    assertThat(rules.onConnect("s", "github.com", 443)).isEqualTo(ConnectDecision.intercept("github-git"));
    assertThat(rules.describe()).filteredOn(s -> s.name().equals("github-api")).singleElement().satisfies(s -> {
      assertThat(s.active()).isFalse();
      assertThat(s.present()).isTrue();
    });
  }
}
