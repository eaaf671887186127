package dev.mux.cli;

import dev.mux.rules.CredentialFormat;
import dev.mux.rules.CredentialRules;
import dev.mux.rules.RuleStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether each active rule's credential is present and well-formed, as the rules see it (they
 * check the values' shape themselves; this class never reads a secret).
 */
final class CredentialChecks {
  static final String ANTHROPIC_HOST = "api.anthropic.com";
  static final String OAUTH_VARIABLE = "CLAUDE_CODE_OAUTH_TOKEN";

  private CredentialChecks() {}

  static List<Check> of(CredentialRules rules, StateFolder state) {
    List<Check> checks = new ArrayList<>();
    List<String> inactive = new ArrayList<>();
    boolean anthropicSeen = false;
    for (RuleStatus rule : rules.describe()) {
      boolean anthropic = rule.host().equals(ANTHROPIC_HOST);
      if (!rule.active()) {
        if (anthropic) {
          anthropicSeen = true;
          checks.add(Check.fail(
              "rule " + rule.name() + " (" + rule.host() + "): no credential " + rule.credential()
                  + "; Claude Code in a session will print \"Not logged in\"",
              "export " + OAUTH_VARIABLE + "=sk-ant-oat01-… (from `claude setup-token`) before `mux daemon`, or write it to "
                  + state.secretsDir().resolve(rule.credential()) + " (mode 600)"));
        } else {
          inactive.add(rule.name());
        }
        continue;
      }
      anthropicSeen |= anthropic;
      if (!rule.present()) {
        checks.add(Check.fail(
            "rule " + rule.name() + " (" + rule.host() + "): credential " + rule.credential() + " missing; requests are refused",
            rule.problem().orElse("set " + rule.credential() + " or write " + state.secretsDir().resolve(rule.credential()))));
        continue;
      }
      if (rule.problem().isPresent()) {
        // Present but malformed: credential-rules checked the value and names only variable and source.
        checks.add(Check.fail("rule " + rule.name() + " (" + rule.host() + "): " + rule.problem().get(),
            fixFor(rule, state)));
      } else {
        String where = rule.credential() + " from " + rule.source().name().toLowerCase(Locale.ROOT);
        boolean oauth = rule.format() instanceof CredentialFormat.Anthropic
            && rule.header().equals(Optional.of("Authorization"));
        String kind = oauth ? ", an OAuth token sent as Authorization: Bearer" : "";
        checks.add(Check.pass("rule " + rule.name() + " (" + rule.host() + "): " + where + kind));
      }
    }
    if (!inactive.isEmpty()) {
      checks.add(Check.pass("presets without a credential (inactive, traffic tunnelled untouched): "
          + String.join(", ", inactive)));
    }
    if (!anthropicSeen) {
      checks.add(Check.fail("no rule for " + ANTHROPIC_HOST + " (presets disabled?)",
          "enable the anthropic preset or add a [[rule]] for " + ANTHROPIC_HOST + " (see credential-rules/README.md)"));
    }
    return checks;
  }

  private static String fixFor(RuleStatus rule, StateFolder state) {
    return rule.host().equals(ANTHROPIC_HOST)
        ? "get an OAuth token with `claude setup-token` and set " + OAUTH_VARIABLE + " (or "
            + state.secretsDir().resolve(rule.credential()) + ") to it"
        : "fix the value of " + rule.credential() + " (environment or " + state.secretsDir().resolve(rule.credential()) + ")";
  }
}
