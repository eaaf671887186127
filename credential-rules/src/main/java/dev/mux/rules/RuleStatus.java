package dev.mux.rules;

import java.util.Optional;

/**
 * One rule as {@code mux rules list} and {@code mux doctor} show it: never the credential value.
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
 * @param problem why the credential is missing or refused; or, when it is present, what is wrong
 *     with its value, checked here so that callers never read secrets themselves: whitespace or a
 *     line break inside, or {@code CLAUDE_CODE_OAUTH_TOKEN} not starting with {@code sk-ant-oat01-}
 *     (e.g. an API key). The message names the credential and its source, never the value. Empty
 *     when the credential is present and well-formed.
 * @param upstream the origin override, if any
 * @param format the rule's credential format ({@link CredentialFormat.Anthropic} for the
 *     {@code anthropic} preset)
 * @param header the header the present credential is sent in: the rule's header, or for
 *     {@link CredentialFormat#anthropic()} the one the credential's prefix picks
 *     ({@code Authorization} for an OAuth token, {@code x-api-key} for an API key); empty when the
 *     credential is missing
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
    Optional<Upstream> upstream,
    CredentialFormat format,
    Optional<String> header) {}
