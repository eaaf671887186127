package dev.mux.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Builds the header changes of an {@link Decision.Inject} for one rule and its credential. */
final class Injection {

  static final String OAUTH_BETA = "oauth-2025-04-20";
  static final String ANTHROPIC_BETA = "anthropic-beta";
  static final String OAUTH_PREFIX = "sk-ant-oat";
  private static final String AUTHORIZATION = "Authorization";
  private static final String X_API_KEY = "x-api-key";
  static final List<String> ALWAYS_STRIPPED = List.of("Authorization", "X-Api-Key", "Proxy-Authorization");

  private Injection() {}

  static Decision.Inject build(Rule rule, Secret secret, RequestHeaders headers) {
    List<String> remove = new ArrayList<>(ALWAYS_STRIPPED);
    remove.addAll(rule.stripHeaders());
    List<HeaderValue> set = new ArrayList<>();
    if (rule.format() instanceof CredentialFormat.Anthropic) {
      anthropic(secret, headers, remove, set);
    } else {
      remove.add(rule.header());
      set.add(new HeaderValue(rule.header(), value(rule.format(), secret)));
    }
    for (HeaderValue extra : rule.extraHeaders()) {
      remove.add(extra.name());
      set.add(extra);
    }
    return new Decision.Inject(rule.name(), dedupe(remove), set, rule.upstream());
  }

  /** The header {@link #build} puts {@code secret} in for {@code rule}. */
  static String header(Rule rule, Secret secret) {
    if (rule.format() instanceof CredentialFormat.Anthropic) {
      return oauth(secret) ? AUTHORIZATION : X_API_KEY;
    }
    return rule.header();
  }

  private static boolean oauth(Secret secret) {
    return secret.startsWith(OAUTH_PREFIX);
  }

  private static String value(CredentialFormat format, Secret secret) {
    if (format instanceof CredentialFormat.Template t) {
      return t.template().replace(CredentialFormat.SECRET, secret.reveal());
    }
    if (format instanceof CredentialFormat.Basic b) {
      String pair = b.user() + ":" + secret.reveal();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    throw new IllegalStateException("format: " + format + " (expected: a template or basic)");
  }

  /**
   * OAuth tokens go in {@code Authorization: Bearer} and need the OAuth beta; API keys go in
   * {@code x-api-key}, and the OAuth beta a client added for its placeholder is taken out again.
   */
  private static void anthropic(Secret secret, RequestHeaders headers, List<String> remove, List<HeaderValue> set) {
    boolean oauth = oauth(secret);
    set.add(oauth
        ? new HeaderValue(AUTHORIZATION, "Bearer " + secret.reveal())
        : new HeaderValue(X_API_KEY, secret.reveal()));
    Set<String> betas = betas(headers);
    if (oauth) {
      betas.add(OAUTH_BETA); // a set: kept in place when the client already sent it
      remove.add(ANTHROPIC_BETA);
      set.add(new HeaderValue(ANTHROPIC_BETA, String.join(",", betas)));
    } else if (betas.remove(OAUTH_BETA)) {
      remove.add(ANTHROPIC_BETA);
      if (!betas.isEmpty()) {
        set.add(new HeaderValue(ANTHROPIC_BETA, String.join(",", betas)));
      }
    }
  }

  /** The client's beta flags across all {@code anthropic-beta} lines, trimmed, in order, once each. */
  private static Set<String> betas(RequestHeaders headers) {
    Set<String> betas = new LinkedHashSet<>();
    for (String line : headers.all(ANTHROPIC_BETA)) {
      for (String item : line.split(",")) {
        String beta = item.strip();
        if (!beta.isEmpty()) {
          betas.add(beta);
        }
      }
    }
    return betas;
  }

  private static List<String> dedupe(List<String> names) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (seen.add(name.toLowerCase(Locale.ROOT))) {
        out.add(name);
      }
    }
    return List.copyOf(out);
  }

}
