package dev.mux.cli;

import dev.mux.rules.CredentialRules;
import dev.mux.rules.RuleStatus;
import dev.mux.rules.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether each active rule's credential is present and well-formed, checked where the daemon
 * looks (environment, then secrets/). Reads values only to check their shape; never shows them.
 */
final class CredentialChecks {
  static final String ANTHROPIC_HOST = "api.anthropic.com";
  static final String OAUTH_VARIABLE = "CLAUDE_CODE_OAUTH_TOKEN";
  static final String OAUTH_PREFIX = "sk-ant-oat01-";

  private CredentialChecks() {}

  static List<Check> of(CredentialRules rules, Map<String, String> environment, StateFolder state) {
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
      String where = rule.credential() + " from " + rule.source().name().toLowerCase(java.util.Locale.ROOT);
      Optional<String> value = value(rule, environment, state);
      Optional<String> problem = value.flatMap(v -> shapeProblem(rule, v));
      if (problem.isPresent()) {
        checks.add(Check.fail("rule " + rule.name() + " (" + rule.host() + "): " + where + " " + problem.get(),
            fixFor(rule, state)));
      } else {
        String kind = anthropic && value.map(v -> v.startsWith(OAUTH_PREFIX)).orElse(false)
            ? ", an OAuth token sent as Authorization: Bearer" : "";
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

  private static Optional<String> shapeProblem(RuleStatus rule, String value) {
    if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
      return Optional.of("is empty or contains whitespace or a line break (expected: one token)");
    }
    if (rule.host().equals(ANTHROPIC_HOST) && rule.credential().equals(OAUTH_VARIABLE) && !value.startsWith(OAUTH_PREFIX)) {
      return Optional.of(value.startsWith("sk-ant-api")
          ? "holds an API key, not an OAuth token (expected: " + OAUTH_PREFIX + "…); sent as x-api-key it fails with"
              + " \"OAuth authentication is currently not supported\" or prompts \"Do you want to use this API key?\""
          : "does not look like an OAuth token (expected: it starts with " + OAUTH_PREFIX + ")");
    }
    return Optional.empty();
  }

  private static String fixFor(RuleStatus rule, StateFolder state) {
    return rule.host().equals(ANTHROPIC_HOST)
        ? "get an OAuth token with `claude setup-token` and set " + OAUTH_VARIABLE + " (or "
            + state.secretsDir().resolve(rule.credential()) + ") to it"
        : "fix the value of " + rule.credential() + " (environment or " + state.secretsDir().resolve(rule.credential()) + ")";
  }

  /** The value the daemon would use, when it comes from the environment or a secret file. */
  private static Optional<String> value(RuleStatus rule, Map<String, String> environment, StateFolder state) {
    if (rule.source() == SourceKind.ENV) {
      return Optional.ofNullable(environment.get(rule.credential())).map(String::trim);
    }
    if (rule.source() == SourceKind.FILE) {
      Path file = state.secretsDir().resolve(rule.credential());
      try {
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
