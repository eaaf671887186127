package dev.mux.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One loaded, immutable rule set: rules with their credentials already looked up, and session
 * policies. {@link CredentialRules} swaps whole sets, so a request sees one set from start to end.
 */
final class RuleSet {

  /**
   * A rule as loaded.
   *
   * @param configured named by the user (builder, config file, or a preset the config mentions):
   *     a missing credential then refuses instead of passing through
   * @param enabled false for a preset the config disabled
   */
  record Entry(Rule rule, boolean preset, boolean configured, boolean enabled, CredentialLookup lookup) {

    boolean present() {
      return lookup instanceof CredentialLookup.Found;
    }

    boolean active() {
      return enabled && (configured || present());
    }
  }

  private final List<Entry> entries;
  private final List<Entry> matchOrder;
  private final Map<String, SessionPolicy> sessions;
  private final SessionPolicy defaultPolicy;

  RuleSet(List<Entry> entries, Map<String, SessionPolicy> sessions, SessionPolicy defaultPolicy) {
    this.entries = List.copyOf(entries);
    List<Entry> active = new ArrayList<>();
    for (Entry e : entries) {
      if (e.active()) {
        active.add(e);
      }
    }
    // Stable sort: exact hosts first, then longer wildcard suffixes; ties keep configured before presets.
    active.sort(Comparator.comparingInt((Entry e) -> -e.rule().hostPattern().specificity()));
    this.matchOrder = List.copyOf(active);
    this.sessions = Map.copyOf(sessions);
    this.defaultPolicy = defaultPolicy;
  }

  List<Entry> entries() {
    return entries;
  }

  SessionPolicy policy(String sessionId, Map<String, SessionPolicy> runtime) {
    SessionPolicy p = runtime.get(sessionId);
    if (p == null) {
      p = sessions.get(sessionId);
    }
    return p == null ? defaultPolicy : p;
  }

  @Nullable Entry match(String normalizedHost, int port) {
    for (Entry e : matchOrder) {
      if (e.rule().port() == port && e.rule().hostPattern().matchesNormalized(normalizedHost)) {
        return e;
      }
    }
    return null;
  }

  ConnectDecision onConnect(String sessionId, SessionPolicy policy, String host, int port) {
    String normalized = normalize(host);
    if (!policy.hostAllowed(normalized)) {
      return ConnectDecision.refuse(hostNotAllowed(sessionId, host, port), ErrorCodes.HOST_NOT_ALLOWED);
    }
    Entry entry = match(normalized, port);
    if (entry != null) {
      return ConnectDecision.intercept(entry.rule().name());
    }
    return policy.inspects(normalized) ? ConnectDecision.intercept(null) : ConnectDecision.tunnel();
  }

  Decision decide(SessionPolicy policy, RequestContext request) {
    String normalized = normalize(request.host());
    if (!policy.hostAllowed(normalized)) {
      return refuse(null, hostNotAllowed(request.sessionId(), request.host(), request.port()),
          ErrorCodes.HOST_NOT_ALLOWED);
    }
    Entry entry = match(normalized, request.port());
    String ruleName = entry == null ? null : entry.rule().name();
    if (policy.readOnly(normalized) && !SessionPolicy.methodIsReadOnly(request.method())) {
      return refuse(ruleName, "session " + request.sessionId() + " is read-only for " + normalized + ": "
          + request.method() + " refused (allowed: GET, HEAD, OPTIONS)", ErrorCodes.READ_ONLY);
    }
    if (entry == null) {
      Optional<String> header = PlaceholderScan.headerCarryingPlaceholder(request.headers());
      if (header.isPresent()) {
        return refuse(null, "the " + header.get() + " header carries a mux placeholder, but no active rule injects a"
            + " credential for " + normalized + " (a preset is active only while its credential is set): set the"
            + " credential or add a rule for the host, or keep the client from sending it there",
            ErrorCodes.PLACEHOLDER_WITHOUT_RULE);
      }
      return new Decision.Pass(Optional.empty());
    }
    if (entry.lookup() instanceof CredentialLookup.Missing missing) {
      return refuse(ruleName, "mux has no credential for " + normalized + " (rule " + ruleName + "): "
          + missing.reason(), ErrorCodes.CREDENTIAL_MISSING);
    }
    CredentialLookup.Found found = (CredentialLookup.Found) entry.lookup();
    if (!policy.credentialAllowed(found.name())) {
      return refuse(ruleName, "session " + request.sessionId() + " may not use credential " + found.name()
          + " (rule " + ruleName + " for " + normalized + ")", ErrorCodes.CREDENTIAL_NOT_ALLOWED);
    }
    return Injection.build(entry.rule(), found.secret(), request.headers());
  }

  Map<String, String> placeholderEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (e.active()) {
        e.rule().placeholders().forEach(env::putIfAbsent);
      }
    }
    return env;
  }

  Set<String> credentialNames() {
    Set<String> names = new TreeSet<>();
    for (Entry e : entries) {
      names.addAll(e.rule().credentials());
    }
    return Collections.unmodifiableSet(names);
  }

  List<RuleStatus> describe() {
    List<RuleStatus> out = new ArrayList<>();
    for (Entry e : entries) {
      Rule r = e.rule();
      String credential;
      SourceKind source;
      Optional<String> problem;
      Optional<String> header;
      if (e.lookup() instanceof CredentialLookup.Found f) {
        credential = f.name();
        source = f.source();
        problem = CredentialShape.problem(f);
        header = Optional.of(Injection.header(r, f.secret()));
      } else {
        CredentialLookup.Missing m = (CredentialLookup.Missing) e.lookup();
        credential = m.name();
        source = SourceKind.NONE;
        problem = Optional.of(e.enabled() ? m.reason() : "disabled in the configuration");
        header = Optional.empty();
      }
      out.add(new RuleStatus(r.name(), r.host(), r.port(), credential, e.present(), source, e.preset(),
          e.active(), problem, r.upstream(), r.format(), header));
    }
    return List.copyOf(out);
  }

  private static Decision.Refuse refuse(@Nullable String rule, String reason, String code) {
    return new Decision.Refuse(rule, reason, code, Decision.REFUSE_STATUS);
  }

  private static String hostNotAllowed(String sessionId, String host, int port) {
    return "session " + sessionId + " may not connect to " + host + ":" + port
        + " (not in the session's allowed hosts)";
  }

  /** The normalized host; a name no pattern can match (e.g. an IPv6 literal) stays as it is, lower case. */
  private static String normalize(String host) {
    try {
      String normalized = HostPattern.normalize(host);
      return normalized != null ? normalized : host.toLowerCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return host.toLowerCase(java.util.Locale.ROOT);
    }
  }
}
