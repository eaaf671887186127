package dev.mux.rules;

import java.util.Optional;

/**
 * One rule as {@code mux rules list} shows it: never the credential value.
 *
 * @param name the rule name
 * @param host the host pattern, normalized (lower case, punycode)
 * @param port the port the rule applies to
 * @param credential the credential name (environment variable and secret file name)
 * @param present whether the credential was found
 * @param source where it was found, {@link SourceKind#NONE} when not
 * @param preset whether the rule is a built-in preset
 * @param active whether requests to the host are intercepted by this rule (a preset is active
 *     only when its credential is present; a configured rule is always active)
 * @param problem why the credential is missing or refused, empty when present
 * @param upstream the origin override, if any
 */
public record RuleStatus(
    String name,
    String host,
    int port,
    String credential,
    boolean present,
    SourceKind source,
    boolean preset,
    boolean active,
    Optional<String> problem,
    Optional<Upstream> upstream) {}
