package dev.mux.rules;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * How a rule turns its credential into a header value. One factory per format:
 * {@link #bearer()}, {@link #raw()}, {@link #token()}, {@link #basic(String)},
 * {@link #template(String)} and {@link #anthropic()}.
 */
public sealed interface CredentialFormat
    permits CredentialFormat.Template, CredentialFormat.Basic, CredentialFormat.Anthropic {

  /** The placeholder for the secret in a template. */
  String SECRET = "{secret}";

  /** {@code Bearer {secret}}. */
  static CredentialFormat bearer() {
    return new Template("Bearer " + SECRET);
  }

  /** The secret alone, e.g. for {@code x-api-key}. */
  static CredentialFormat raw() {
    return new Template(SECRET);
  }

  /** {@code Token token={secret}} (PagerDuty). */
  static CredentialFormat token() {
    return new Template("Token token=" + SECRET);
  }

  /** {@code Basic base64(user:{secret})}, e.g. user {@code x-access-token} for github.com. */
  static CredentialFormat basic(String user) {
    return new Basic(user);
  }

  /** Any text containing {@code {secret}} once or more, e.g. {@code Key {secret}}. */
  static CredentialFormat template(String template) {
    return new Template(template);
  }

  /**
   * The prefix of the real credential picks the header: an OAuth token ({@code sk-ant-oat…}) is
   * sent as {@code Authorization: Bearer} with {@code oauth-2025-04-20} merged into
   * {@code anthropic-beta}; anything else (an API key, {@code sk-ant-api…}) as {@code x-api-key}.
   * The rule's own header is ignored.
   */
  static CredentialFormat anthropic() {
    return new Anthropic();
  }

  /** A header value made by replacing {@code {secret}} in {@code template}. */
  record Template(String template) implements CredentialFormat {
    /** Checks the template contains {@code {secret}} and no line break. */
    public Template {
      requireNonNull(template, "template");
      checkArgument(template.contains(SECRET), "template: \"%s\" (expected: contains {secret})", template);
      checkArgument(template.indexOf('\r') < 0 && template.indexOf('\n') < 0,
          "template: \"%s\" (expected: a single line)", template);
    }
  }

  /** HTTP Basic with a fixed user and the secret as the password. */
  record Basic(String user) implements CredentialFormat {
    /** Checks the user is present and has no colon. */
    public Basic {
      requireNonNull(user, "user");
      checkArgument(!user.contains(":") && !user.isEmpty(), "user: \"%s\" (expected: non-empty, no ':')", user);
    }
  }

  /** Anthropic: the credential's prefix picks OAuth bearer or API key. */
  record Anthropic() implements CredentialFormat {}
}
