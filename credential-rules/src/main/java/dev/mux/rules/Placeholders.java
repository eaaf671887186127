package dev.mux.rules;

import java.util.Set;

/**
 * The values containers receive instead of real credentials, so that their clients send
 * something for the proxy to strip and replace.
 */
public final class Placeholders {

  /** Looks like an Anthropic OAuth token, so Claude Code sends {@code Authorization: Bearer}. */
  public static final String ANTHROPIC_OAUTH = CredentialShape.OAUTH_TOKEN_PREFIX + "mux-proxy-placeholder";

  /** Looks like an OpenAI key for clients that check the {@code sk-} prefix. */
  public static final String OPENAI = "sk-mux-proxy-placeholder";

  /** The value for every other token variable (GH_TOKEN, GITHUB_TOKEN, NPM_TOKEN, …). */
  public static final String GENERIC = "mux-proxy";

  private static final Set<String> ALL = Set.of(ANTHROPIC_OAUTH, OPENAI, GENERIC);

  private Placeholders() {}

  /**
   * Whether {@code value} (trimmed) is one of mux's own placeholders: found where a real credential
   * belongs, it means the environment came from {@code mux env} and holds nothing to inject.
   */
  public static boolean isPlaceholder(String value) {
    return value != null && ALL.contains(value.strip());
  }
}
