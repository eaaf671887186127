package dev.mux.rules;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one client identity (a session) may do. The default, {@link #allowAll()}, allows every
 * host, every credential and every method.
 *
 * <pre>{@code
 * SessionPolicy.builder()
 *     .allowHosts("api.anthropic.com", "*.github.com", "github.com") // everything else: refused
 *     .readOnly("github.com", "api.github.com")                      // only GET/HEAD/OPTIONS
 *     .allowCredentials("CLAUDE_CODE_OAUTH_TOKEN")                   // no GitHub token
 *     .build();
 * }</pre>
 */
public final class SessionPolicy {

  private static final SessionPolicy ALLOW_ALL = builder().build();
  private static final Set<String> READ_ONLY_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final Optional<List<HostPattern>> allowedHosts;
  private final List<HostPattern> readOnly;
  private final List<HostPattern> inspect;
  private final Optional<Set<String>> allowedCredentials;

  private SessionPolicy(Builder b) {
    this.allowedHosts = b.allowedHosts == null ? Optional.empty() : Optional.of(List.copyOf(b.allowedHosts));
    this.readOnly = List.copyOf(b.readOnly);
    this.inspect = List.copyOf(b.inspect);
    this.allowedCredentials =
        b.allowedCredentials == null ? Optional.empty() : Optional.of(Set.copyOf(b.allowedCredentials));
  }

  /** Every host, every credential, every method. */
  public static SessionPolicy allowAll() {
    return ALLOW_ALL;
  }

  /** A builder whose defaults are those of {@link #allowAll()}. */
  public static Builder builder() {
    return new Builder();
  }

  boolean hostAllowed(String normalizedHost) {
    return allowedHosts.map(list -> anyMatch(list, normalizedHost)).orElse(true);
  }

  boolean readOnly(String normalizedHost) {
    return anyMatch(readOnly, normalizedHost);
  }

  /** Whether requests to a rule-less host must be seen (read-only or inspect patterns). */
  boolean inspects(String normalizedHost) {
    return anyMatch(inspect, normalizedHost) || anyMatch(readOnly, normalizedHost);
  }

  boolean credentialAllowed(String credential) {
    return allowedCredentials.map(set -> set.contains(credential)).orElse(true);
  }

  static boolean methodIsReadOnly(String method) {
    return READ_ONLY_METHODS.contains(method);
  }

  private static boolean anyMatch(List<HostPattern> patterns, String normalizedHost) {
    for (HostPattern p : patterns) {
      if (p.matchesNormalized(normalizedHost)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "SessionPolicy{hosts=" + allowedHosts.map(Object::toString).orElse("all")
        + ", readOnly=" + readOnly + ", inspect=" + inspect
        + ", credentials=" + allowedCredentials.map(Object::toString).orElse("all") + "}";
  }

  /** Builds a {@link SessionPolicy}. */
  public static final class Builder {
    private List<HostPattern> allowedHosts;
    private final List<HostPattern> readOnly = new ArrayList<>();
    private final List<HostPattern> inspect = new ArrayList<>();
    private Set<String> allowedCredentials;

    private Builder() {}

    /** Allow every host (the default). */
    public Builder allowAllHosts() {
      allowedHosts = null;
      return this;
    }

    /**
     * Allow only hosts matching these patterns; every other CONNECT is refused with
     * {@link ErrorCodes#HOST_NOT_ALLOWED}. Rule hosts are not allowed implicitly. {@code "*"}
     * allows everything.
     */
    public Builder allowHosts(String... patterns) {
      List<HostPattern> list = new ArrayList<>();
      for (String p : patterns) {
        requireNonNull(p, "pattern");
        if (p.equals("*")) {
          return allowAllHosts();
        }
        list.add(HostPattern.parse(p));
      }
      allowedHosts = list;
      return this;
    }

    /**
     * Make hosts matching these patterns read-only: only GET, HEAD and OPTIONS pass, others are
     * refused with {@link ErrorCodes#READ_ONLY}. Such hosts are intercepted even without a rule.
     */
    public Builder readOnly(String... patterns) {
      for (String p : patterns) {
        readOnly.add(HostPattern.parse(p));
      }
      return this;
    }

    /** Intercept hosts matching these patterns even without a rule (their requests pass). */
    public Builder inspect(String... patterns) {
      for (String p : patterns) {
        inspect.add(HostPattern.parse(p));
      }
      return this;
    }

    /**
     * Inject only these credentials (by name); a rule host whose credential is not listed is
     * refused with {@link ErrorCodes#CREDENTIAL_NOT_ALLOWED}. Default: all.
     */
    public Builder allowCredentials(String... names) {
      Set<String> set = new java.util.LinkedHashSet<>();
      for (String n : names) {
        set.add(requireNonNull(n, "name"));
      }
      allowedCredentials = set;
      return this;
    }

    /** Builds the policy. */
    public SessionPolicy build() {
      return new SessionPolicy(this);
    }
  }
}
