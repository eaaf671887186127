package dev.mux.rules;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live credential rules: which host gets which credential, in which header, and what each
 * session may do. Thread-safe; {@link #reload()} swaps the whole rule set atomically, so requests
 * in flight keep the set they started with. No networking: the proxy asks, this class answers.
 *
 * <pre>{@code
 * CredentialRules rules = CredentialRules.builder()
 *     .home(Path.of(System.getProperty("user.home"), ".clauderon"))
 *     .configFile(home.resolve("rules.toml"))
 *     .build();
 * ConnectDecision c = rules.onConnect("session-1", "api.github.com", 443);   // Intercept("github-api")
 * Decision d = rules.decide(new RequestContext("session-1", "api.github.com", 443,
 *     "GET", "/user", headers::getAll));                                     // Inject(...)
 * }</pre>
 *
 * <p>Credentials are read when the set is loaded (at {@link Builder#build()}, on {@link #reload()}
 * and, with {@link #watch()}, when the config or a secret file changes), never per request.
 */
public final class CredentialRules {

  private static final Logger logger = LoggerFactory.getLogger(CredentialRules.class);

  /** The name of the folder below home that holds one file per secret. */
  public static final String SECRETS_DIR = "secrets";

  /** The usual name of the rules file in the home folder. */
  public static final String CONFIG_FILE = "rules.toml";

  private static final String EXAMPLE_CONFIG = "example-config.toml";

  private final Path home;
  private final Map<String, String> environment;
  private final @Nullable Path configFile;
  private final boolean presets;
  private final List<Rule> builderRules;
  private final Map<String, CommandSpec> builderCommands;
  private final Map<String, SessionPolicy> builderSessions;
  private final SessionPolicy builderDefaultPolicy;
  private final Map<String, SessionPolicy> runtimeSessions = new ConcurrentHashMap<>();
  private final AtomicReference<RuleSet> current = new AtomicReference<>();
  private final Object reloadLock = new Object();

  private CredentialRules(Builder b) {
    this.home = b.home;
    this.environment = Map.copyOf(b.environment);
    this.configFile = b.configFile;
    this.presets = b.presets;
    this.builderRules = List.copyOf(b.rules);
    this.builderCommands = Map.copyOf(b.commands);
    this.builderSessions = Map.copyOf(b.sessions);
    this.builderDefaultPolicy = b.defaultPolicy;
  }

  /** A complete, commented example of the rules file (TOML), for {@code mux rules example}. */
  public static String exampleConfig() {
    try (java.io.InputStream in = CredentialRules.class.getResourceAsStream(EXAMPLE_CONFIG)) {
      if (in == null) {
        throw new IllegalStateException("resource: " + EXAMPLE_CONFIG + " (expected: in the mux-credential-rules jar)");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A builder; see its methods for the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides at CONNECT time, before any TLS: {@link ConnectDecision.Intercept} for a rule host
   * (or a host the session's policy inspects or makes read-only), {@link ConnectDecision.Refuse}
   * with {@link ErrorCodes#HOST_NOT_ALLOWED} when the session may not reach the host, and
   * {@link ConnectDecision.Tunnel} otherwise.
   */
  public ConnectDecision onConnect(String sessionId, String host, int port) {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(host, "host");
    RuleSet set = current.get();
    return set.onConnect(sessionId, set.policy(sessionId, runtimeSessions), host, port);
  }

  /**
   * Decides for one request inside an intercepted tunnel: {@link Decision.Inject} on a rule host
   * whose credential is present and allowed, {@link Decision.Pass} on a host without a rule, and
   * {@link Decision.Refuse} when the credential is missing or the session's policy forbids the
   * host, the method or the credential.
   */
  public Decision decide(RequestContext request) {
    requireNonNull(request, "request");
    RuleSet set = current.get();
    return set.decide(set.policy(request.sessionId(), runtimeSessions), request);
  }

  /**
   * The placeholder environment containers need for the active rules, e.g.
   * {@code CLAUDE_CODE_OAUTH_TOKEN=}{@link Placeholders#ANTHROPIC_OAUTH},
   * {@code GH_TOKEN=}{@link Placeholders#GENERIC}.
   * Never a real value.
   */
  public Map<String, String> placeholderEnvironment() {
    return java.util.Collections.unmodifiableMap(current.get().placeholderEnvironment());
  }

  /**
   * The name of every credential any rule can read, alternatives included (e.g.
   * {@code CLAUDE_CODE_OAUTH_TOKEN} and {@code ANTHROPIC_API_KEY}): the environment variables and
   * secret files whose values belong to the proxy, never to a client. Callers that hand an
   * environment to an agent use it to refuse a real credential by name.
   */
  public Set<String> credentialNames() {
    return current.get().credentialNames();
  }

  /** Every preset and configured rule, with credential presence and source, never the value. */
  public List<RuleStatus> describe() {
    return current.get().describe();
  }

  /**
   * Sets the policy of one session at run time, over any the configuration gives it (for
   * sessions created after the rules were loaded). Survives reloads.
   */
  public void sessionPolicy(String sessionId, SessionPolicy policy) {
    runtimeSessions.put(requireNonNull(sessionId, "sessionId"), requireNonNull(policy, "policy"));
  }

  /** Forgets a run-time session policy; the configured (or default) policy applies again. */
  public void removeSessionPolicy(String sessionId) {
    runtimeSessions.remove(requireNonNull(sessionId, "sessionId"));
  }

  /** The folder of secret files, {@code <home>/secrets}. */
  public Path secretsDirectory() {
    return home.resolve(SECRETS_DIR);
  }

  /**
   * Re-reads the configuration file and every credential, then swaps the rule set. On an invalid
   * file the previous set stays in force; the error is logged and rethrown.
   *
   * @throws ConfigException naming the file and the location of the fault
   */
  public void reload() {
    synchronized (reloadLock) {
      try {
        RuleSet set = load();
        current.set(set);
        logger.info("credential rules loaded: {} active of {}", set.describe().stream().filter(RuleStatus::active).count(),
            set.entries().size());
      } catch (ConfigException e) {
        logger.error("{}; keeping the previous credential rules", e.getMessage());
        throw e;
      }
    }
  }

  /**
   * Reloads whenever the configuration file or a file in the secrets folder changes, on a daemon
   * thread; an invalid file keeps the previous set (with a logged error). Close the returned
   * handle to stop watching.
   *
   * @throws java.io.UncheckedIOException when the folders cannot be watched
   */
  public AutoCloseable watch() {
    return RulesWatcher.start(this, configFile, secretsDirectory());
  }

  private RuleSet load() {
    ConfigFile config = configFile != null && Files.exists(configFile) ? ConfigFile.read(configFile) : ConfigFile.empty();
    if (configFile != null && !Files.exists(configFile)) {
      logger.debug("no credential rules file at {}; using presets and built-in rules", configFile);
    }
    Map<String, CommandSpec> commands = new LinkedHashMap<>(builderCommands);
    commands.putAll(config.commands());
    CredentialSources sources = new CredentialSources(environment, secretsDirectory(), commands);

    Map<String, Rule> configured = new LinkedHashMap<>();
    for (Rule r : builderRules) {
      configured.put(r.name(), r);
    }
    for (Rule r : config.rules()) {
      configured.put(r.name(), r);
    }
    List<RuleSet.Entry> entries = new ArrayList<>();
    for (Rule r : configured.values()) {
      entries.add(new RuleSet.Entry(r, false, true, true, sources.lookup(r.credentials())));
    }
    if (presets && config.presets()) {
      for (Rule preset : Presets.all()) {
        if (configured.containsKey(preset.name())) {
          continue;
        }
        ConfigFile.PresetOverride override = config.presetOverrides().get(preset.name());
        Rule rule = override == null ? preset : override.changes().apply(preset.toBuilder()).build();
        boolean enabled = override == null || override.enabled();
        entries.add(new RuleSet.Entry(rule, true, override != null, enabled, sources.lookup(rule.credentials())));
      }
    }
    for (RuleSet.Entry e : entries) {
      if (e.configured() && e.enabled() && e.lookup() instanceof CredentialLookup.Missing m) {
        logger.warn("rule {} ({}): {}; its requests will be refused", e.rule().name(), e.rule().host(), m.reason());
      }
    }
    Map<String, SessionPolicy> sessions = new LinkedHashMap<>(builderSessions);
    sessions.putAll(config.sessions());
    return new RuleSet(entries, sessions, config.defaultPolicy().orElse(builderDefaultPolicy));
  }

  /** Builds {@link CredentialRules}; {@link #build()} loads the rules once. */
  public static final class Builder {
    private Path home = Path.of(System.getProperty("user.home"), ".clauderon");
    private Map<String, String> environment = System.getenv();
    private @Nullable Path configFile;
    private boolean presets = true;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    private final Map<String, SessionPolicy> sessions = new LinkedHashMap<>();
    private SessionPolicy defaultPolicy = SessionPolicy.allowAll();

    private Builder() {}

    /** The state folder; secrets are read from {@code home/secrets/<name>} (default {@code ~/.clauderon}). */
    public Builder home(Path home) {
      this.home = requireNonNull(home, "home");
      return this;
    }

    /** The host environment credentials are read from (default {@link System#getenv()}). */
    public Builder environment(Map<String, String> environment) {
      this.environment = requireNonNull(environment, "environment");
      return this;
    }

    /** The rules file (TOML); optional, and may not exist yet (default: none). */
    public Builder configFile(@Nullable Path configFile) {
      this.configFile = configFile;
      return this;
    }

    /** Whether the built-in presets apply (default true). */
    public Builder presets(boolean presets) {
      this.presets = presets;
      return this;
    }

    /** Adds a rule; a rule of the same name in the config file, or a preset, is replaced by it. */
    public Builder addRule(Rule rule) {
      requireNonNull(rule, "rule");
      checkArgument(rules.stream().noneMatch(r -> r.name().equals(rule.name())),
          "rule: %s (expected: a name not used by another added rule)", rule.name());
      rules.add(rule);
      return this;
    }

    /**
     * Reads {@code credential} from the standard output of {@code command} when neither the
     * environment nor a secret file has it; the command is killed after {@code timeout}.
     */
    public Builder credentialCommand(String credential, List<String> command, Duration timeout) {
      commands.put(requireNonNull(credential, "credential"), new CommandSpec(command, timeout));
      return this;
    }

    /** The policy of one session (default: {@link #defaultPolicy(SessionPolicy)}). */
    public Builder sessionPolicy(String sessionId, SessionPolicy policy) {
      sessions.put(requireNonNull(sessionId, "sessionId"), requireNonNull(policy, "policy"));
      return this;
    }

    /** The policy of sessions without their own (default {@link SessionPolicy#allowAll()}). */
    public Builder defaultPolicy(SessionPolicy policy) {
      this.defaultPolicy = requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Loads the configuration and the credentials.
     *
     * @throws ConfigException when the configuration file is invalid
     */
    public CredentialRules build() {
      CredentialRules rules = new CredentialRules(this);
      rules.current.set(rules.load());
      return rules;
    }
  }
}
