package dev.mux.rules;

import java.util.List;

/**
 * The built-in rules. Each is active only when its credential is found, unless the configuration
 * mentions it (then a missing credential refuses requests instead of passing them through).
 */
final class Presets {

  private Presets() {}

  static List<Rule> all() {
    return List.of(
        Rule.builder("anthropic").host("api.anthropic.com")
            .credential("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY")
            .format(CredentialFormat.anthropic())
            .placeholder("CLAUDE_CODE_OAUTH_TOKEN", Placeholders.ANTHROPIC_OAUTH)
            .build(),
        Rule.builder("openai").host("api.openai.com")
            .credential("OPENAI_API_KEY")
            .placeholder("OPENAI_API_KEY", Placeholders.OPENAI)
            .build(),
        Rule.builder("github-api").host("api.github.com")
            .credential("GITHUB_TOKEN", "GH_TOKEN")
            .placeholder("GH_TOKEN", Placeholders.GENERIC)
            .placeholder("GITHUB_TOKEN", Placeholders.GENERIC)
            .build(),
        Rule.builder("github-git").host("github.com")
            .credential("GITHUB_TOKEN", "GH_TOKEN")
            .format(CredentialFormat.basic("x-access-token"))
            .placeholder("GH_TOKEN", Placeholders.GENERIC)
            .placeholder("GITHUB_TOKEN", Placeholders.GENERIC)
            .build(),
        Rule.builder("npm").host("registry.npmjs.org")
            .credential("NPM_TOKEN")
            .placeholder("NPM_TOKEN", Placeholders.GENERIC)
            .build(),
        Rule.builder("docker-registry").host("registry-1.docker.io")
            .credential("DOCKER_TOKEN")
            .placeholder("DOCKER_TOKEN", Placeholders.GENERIC)
            .build(),
        Rule.builder("docker-auth").host("auth.docker.io")
            .credential("DOCKER_TOKEN")
            .placeholder("DOCKER_TOKEN", Placeholders.GENERIC)
            .build(),
        Rule.builder("sentry").host("sentry.io")
            .credential("SENTRY_AUTH_TOKEN")
            .placeholder("SENTRY_AUTH_TOKEN", Placeholders.GENERIC)
            .build(),
        Rule.builder("pagerduty").host("api.pagerduty.com")
            .credential("PAGERDUTY_TOKEN")
            .format(CredentialFormat.token())
            .placeholder("PAGERDUTY_TOKEN", Placeholders.GENERIC)
            .build());
  }
}
