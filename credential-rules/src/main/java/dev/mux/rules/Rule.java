package dev.mux.rules;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which credential a host gets, in which header and format, and what placeholder environment a
 * container needs so that its client sends something to replace. Immutable; build with
 * {@link #builder(String)}.
 *
 * <pre>{@code
 * Rule.builder("internal-api")
 *     .host("*.api.corp.example")
 *     .credential("CORP_API_TOKEN")
 *     .header("x-api-key").format(CredentialFormat.raw())
 *     .placeholder("CORP_API_TOKEN", Placeholders.GENERIC)
 *     .build();
 * }</pre>
 */
public final class Rule {

  /** The default port of a rule. */
  public static final int DEFAULT_PORT = 443;

  /** The default header a rule sets. */
  public static final String DEFAULT_HEADER = "Authorization";

  private final String name;
  private final HostPattern host;
  private final int port;
  private final List<String> credentials;
  private final String header;
  private final CredentialFormat format;
  private final List<String> stripHeaders;
  private final List<HeaderValue> extraHeaders;
  private final Optional<Upstream> upstream;
  private final Map<String, String> placeholders;

  private Rule(Builder b) {
    this.name = b.name;
    this.host = b.host;
    this.port = b.port;
    this.credentials = List.copyOf(b.credentials);
    this.header = b.header;
    this.format = b.format;
    this.stripHeaders = List.copyOf(b.stripHeaders);
    this.extraHeaders = List.copyOf(b.extraHeaders);
    this.upstream = Optional.ofNullable(b.upstream);
    this.placeholders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.placeholders));
  }

  /** A builder for a rule named {@code name} (letters, digits, '-', '_', '.'). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder starting from this rule's values, to override some of them. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.host = host;
    b.port = port;
    b.credentials.addAll(credentials);
    b.header = header;
    b.format = format;
    b.stripHeaders.addAll(stripHeaders);
    b.extraHeaders.addAll(extraHeaders);
    b.upstream = upstream.orElse(null);
    b.placeholders.putAll(placeholders);
    return b;
  }

  /** The rule's name, unique in a rule set. */
  public String name() {
    return name;
  }

  /** The host pattern, normalized: lower case, no trailing dot, punycode. */
  public String host() {
    return host.toString();
  }

  HostPattern hostPattern() {
    return host;
  }

  /** The port the rule applies to (default 443). */
  public int port() {
    return port;
  }

  /** The credential names, tried in order; the first is the main one. */
  public List<String> credentials() {
    return credentials;
  }

  /** The header the credential goes into (default {@code Authorization}). */
  public String header() {
    return header;
  }

  /** The format of the header value (default {@link CredentialFormat#bearer()}). */
  public CredentialFormat format() {
    return format;
  }

  /** Headers removed besides {@code Authorization}, {@code X-Api-Key}, {@code Proxy-Authorization}. */
  public List<String> stripHeaders() {
    return stripHeaders;
  }

  /** Fixed headers set on every request to the host. */
  public List<HeaderValue> extraHeaders() {
    return extraHeaders;
  }

  /** Where to send the host's traffic instead, if anywhere. */
  public Optional<Upstream> upstream() {
    return upstream;
  }

  /** The placeholder environment a container needs for this rule, in order. */
  public Map<String, String> placeholders() {
    return placeholders;
  }

  @Override
  public String toString() {
    return "Rule{" + name + " " + host + ":" + port + " " + credentials + " -> " + header + "}";
  }

  /** Builds a {@link Rule}. */
  public static final class Builder {
    private final String name;
    private HostPattern host;
    private int port = DEFAULT_PORT;
    private final List<String> credentials = new ArrayList<>();
    private String header = DEFAULT_HEADER;
    private CredentialFormat format = CredentialFormat.bearer();
    private final List<String> stripHeaders = new ArrayList<>();
    private final List<HeaderValue> extraHeaders = new ArrayList<>();
    private Upstream upstream;
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    private Builder(String name) {
      requireNonNull(name, "name");
      checkArgument(name.matches("[A-Za-z0-9][A-Za-z0-9._-]*"),
          "name: \"%s\" (expected: letters, digits, '.', '_' or '-')", name);
      this.name = name;
    }

    /**
     * The host: exact ({@code api.github.com}) or {@code *.example.com}, which matches every
     * subdomain but not {@code example.com} itself. Case-insensitive, trailing dot ignored,
     * international names compared in punycode. Required.
     */
    public Builder host(String pattern) {
      this.host = HostPattern.parse(pattern);
      return this;
    }

    /** The port (default 443). */
    public Builder port(int port) {
      checkArgument(port > 0 && port <= 65535, "port: %s (expected: 1-65535)", port);
      this.port = port;
      return this;
    }

    /**
     * The credential: the name of the host environment variable and of the file
     * {@code <home>/secrets/<name>}. Alternatives are tried in order when it is missing. Required.
     */
    public Builder credential(String name, String... alternatives) {
      credentials.clear();
      for (String n : com.google.common.collect.Lists.asList(name, alternatives)) {
        requireNonNull(n, "credential");
        checkArgument(n.matches("[A-Za-z_][A-Za-z0-9_.-]*"),
            "credential: \"%s\" (expected: an environment variable name)", n);
        credentials.add(n);
      }
      return this;
    }

    /** The header the credential goes into (default {@code Authorization}). */
    public Builder header(String header) {
      this.header = HeaderNames.check("header", header);
      return this;
    }

    /** The format of the value (default {@link CredentialFormat#bearer()}). */
    public Builder format(CredentialFormat format) {
      this.format = requireNonNull(format, "format");
      return this;
    }

    /** Also remove this header (any case) before injecting. */
    public Builder stripHeader(String header) {
      stripHeaders.add(HeaderNames.check("strip", header));
      return this;
    }

    /** Also set this fixed header on every request (not a secret, but masked in toString). */
    public Builder extraHeader(String name, String value) {
      requireNonNull(value, "value");
      checkArgument(value.indexOf('\r') < 0 && value.indexOf('\n') < 0,
          "extra header %s: (expected: a single-line value)", name);
      extraHeaders.add(new HeaderValue(HeaderNames.check("extra header", name), value));
      return this;
    }

    /** Send the host's traffic to this origin instead (TLS always). */
    public Builder upstream(Upstream upstream) {
      this.upstream = upstream;
      return this;
    }

    /** Adds {@code name=value} to the placeholder environment containers get for this rule. */
    public Builder placeholder(String name, String value) {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      checkArgument(name.matches("[A-Za-z_][A-Za-z0-9_]*"),
          "placeholder: \"%s\" (expected: an environment variable name)", name);
      placeholders.put(name, value);
      return this;
    }

    /** Removes every placeholder added so far. */
    public Builder clearPlaceholders() {
      placeholders.clear();
      return this;
    }

    /**
     * Builds the rule.
     *
     * @throws IllegalStateException when the host or the credential is missing
     */
    public Rule build() {
      checkState(host != null, "rule %s: host (expected: set)", name);
      checkState(!credentials.isEmpty(), "rule %s: credential (expected: set)", name);
      return new Rule(this);
    }
  }
}
