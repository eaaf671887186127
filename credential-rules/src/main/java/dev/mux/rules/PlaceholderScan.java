package dev.mux.rules;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds one of mux's placeholders in the headers that carry credentials. A placeholder reaching a
 * host that no active rule covers cannot work — nothing will replace it — so the request is
 * refused with a reason instead of earning a puzzling 401 from the upstream.
 */
final class PlaceholderScan {
  /** Where clients put tokens; {@code Authorization} also in Basic form (git: x-access-token:TOKEN). */
  private static final List<String> TOKEN_HEADERS =
      List.of("Authorization", "X-Api-Key", "Api-Key", "Private-Token", "X-Auth-Token");

  private PlaceholderScan() {}

  /** The name of the first header carrying a placeholder, if any. */
  static Optional<String> headerCarryingPlaceholder(RequestHeaders headers) {
    for (String name : TOKEN_HEADERS) {
      for (String value : headers.all(name)) {
        if (carriesPlaceholder(value)) {
          return Optional.of(name);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean carriesPlaceholder(String value) {
    String trimmed = value.strip();
    if (Placeholders.isPlaceholder(trimmed)) {
      return true;
    }
    int space = trimmed.indexOf(' ');
    if (space < 0) {
      return false;
    }
    String scheme = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
    String token = trimmed.substring(space + 1).strip();
    if (!scheme.equals("basic")) {
      return Placeholders.isPlaceholder(token); // Bearer, token, …
    }
    try {
      String userAndPassword = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = userAndPassword.indexOf(':');
      return colon >= 0 && (Placeholders.isPlaceholder(userAndPassword.substring(0, colon))
          || Placeholders.isPlaceholder(userAndPassword.substring(colon + 1)));
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }
}
