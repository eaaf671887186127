package dev.mux.rules;

import java.util.Locale;
import java.util.Optional;

/**
 * What looks wrong with a found credential's value, for {@link RuleStatus#problem()}. The value is
 * only inspected here, never quoted: the messages name the credential and its source.
 */
final class CredentialShape {

  /** The variable Claude Code reads its OAuth token from. */
  static final String OAUTH_VARIABLE = "CLAUDE_CODE_OAUTH_TOKEN";
  /** What every token from {@code claude setup-token} starts with. */
  static final String OAUTH_TOKEN_PREFIX = "sk-ant-oat01-";
  private static final String API_KEY_PREFIX = "sk-ant-api";

  private CredentialShape() {}

  static Optional<String> problem(CredentialLookup.Found found) {
    String where = found.name() + " from " + found.source().name().toLowerCase(Locale.ROOT);
    Secret secret = found.secret();
    if (secret.reveal().chars().anyMatch(Character::isWhitespace)) {
      return Optional.of(where + " contains whitespace or a line break (expected: one token)");
    }
    if (found.name().equals(OAUTH_VARIABLE) && !secret.startsWith(OAUTH_TOKEN_PREFIX)) {
      return Optional.of(secret.startsWith(API_KEY_PREFIX)
          ? where + " holds an API key, not an OAuth token (expected: " + OAUTH_TOKEN_PREFIX + "…); sent as"
              + " x-api-key it fails with \"OAuth authentication is currently not supported\" or prompts"
              + " \"Do you want to use this API key?\""
          : where + " does not look like an OAuth token (expected: it starts with " + OAUTH_TOKEN_PREFIX + ")");
    }
    return Optional.empty();
  }
}
