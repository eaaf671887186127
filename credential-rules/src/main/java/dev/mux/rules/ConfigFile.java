package dev.mux.rules;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The parsed configuration file (TOML). See the module README for the format. Every fault becomes
 * a {@link ConfigException} naming the file and the key path (or line and column for syntax).
 */
record ConfigFile(
    boolean presets,
    List<Rule> rules,
    Map<String, PresetOverride> presetOverrides,
    Map<String, CommandSpec> commands,
    Map<String, SessionPolicy> sessions,
    Optional<SessionPolicy> defaultPolicy) {

  /** The session key whose policy applies to sessions without their own. */
  static final String DEFAULT_SESSION = "default";

  private static final TomlMapper MAPPER = new TomlMapper();

  /** What the file says about a preset: disabled, or enabled with some values overridden. */
  record PresetOverride(boolean enabled, UnaryOperator<Rule.Builder> changes) {}

  static ConfigFile empty() {
    return new ConfigFile(true, List.of(), Map.of(), Map.of(), Map.of(), Optional.empty());
  }

  /**
   * Reads and validates {@code file}.
   *
   * @throws ConfigException naming the file and the location of the first fault
   */
  static ConfigFile read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(file + ":" + where + ": invalid TOML: " + firstLine(e.getOriginalMessage()));
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": not found");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return empty();
    }
    return new ConfigParser(file).parse(root);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Walks the TOML tree, keeping the key path for messages. */
  private static final class ConfigParser {
    private static final List<String> TOP_KEYS = List.of("presets", "rule", "preset", "credential", "session");
    private static final List<String> RULE_KEYS = List.of("name", "host", "port", "credential", "header", "format",
        "user", "template", "strip", "set-headers", "upstream", "placeholders");
    private static final List<String> FORMATS = List.of("bearer", "raw", "token", "basic", "template", "anthropic");
    private static final List<String> COMMAND_KEYS = List.of("command", "timeout");
    private static final List<String> SESSION_KEYS = List.of("allow-hosts", "read-only", "inspect", "credentials");

    private final Path file;

    ConfigParser(Path file) {
      this.file = file;
    }

    ConfigFile parse(JsonNode root) {
      ObjectNode top = table(root, "");
      checkKeys(top, "", TOP_KEYS);
      boolean presets = !top.has("presets") || bool(top.get("presets"), "presets");

      List<Rule> rules = new java.util.ArrayList<>();
      JsonNode ruleNodes = top.get("rule");
      if (ruleNodes != null) {
        if (!ruleNodes.isArray()) {
          throw error("rule", "expected an array of tables: write each rule as [[rule]]");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < ruleNodes.size(); i++) {
          String path = "rule[" + (i + 1) + "]";
          Rule rule = rule(table(ruleNodes.get(i), path), path);
          if (!names.add(rule.name())) {
            throw error(path + ".name", "\"" + rule.name() + "\" (expected: a name no other [[rule]] uses)");
          }
          rules.add(rule);
        }
      }

      Map<String, PresetOverride> overrides = new LinkedHashMap<>();
      JsonNode presetNodes = top.get("preset");
      if (presetNodes != null) {
        List<String> known = Presets.all().stream().map(Rule::name).toList();
        ObjectNode t = table(presetNodes, "preset");
        for (Map.Entry<String, JsonNode> e : t.properties()) {
          String path = "preset." + e.getKey();
          if (!known.contains(e.getKey())) {
            throw error(path, "unknown preset (expected: one of " + String.join(", ", known) + ")");
          }
          overrides.put(e.getKey(), presetOverride(table(e.getValue(), path), path));
        }
      }

      Map<String, CommandSpec> commands = new LinkedHashMap<>();
      JsonNode credentialNodes = top.get("credential");
      if (credentialNodes != null) {
        for (Map.Entry<String, JsonNode> e : table(credentialNodes, "credential").properties()) {
          String path = "credential." + e.getKey();
          commands.put(e.getKey(), command(table(e.getValue(), path), path));
        }
      }

      Map<String, SessionPolicy> sessions = new LinkedHashMap<>();
      Optional<SessionPolicy> defaultPolicy = Optional.empty();
      JsonNode sessionNodes = top.get("session");
      if (sessionNodes != null) {
        for (Map.Entry<String, JsonNode> e : table(sessionNodes, "session").properties()) {
          String path = "session." + e.getKey();
          SessionPolicy policy = session(table(e.getValue(), path), path);
          if (e.getKey().equals(DEFAULT_SESSION)) {
            defaultPolicy = Optional.of(policy);
          } else {
            sessions.put(e.getKey(), policy);
          }
        }
      }
      return new ConfigFile(presets, List.copyOf(rules), overrides, commands, sessions, defaultPolicy);
    }

    private Rule rule(ObjectNode t, String path) {
      String name = string(require(t, path, "name"), path + ".name");
      String named = path + " (" + name + ")";
      checkKeys(t, named, RULE_KEYS);
      Rule.Builder b = at(named + ".name", () -> Rule.builder(name));
      require(t, named, "host");
      require(t, named, "credential");
      apply(b, t, named);
      return at(named, b::build);
    }

    private PresetOverride presetOverride(ObjectNode t, String path) {
      java.util.ArrayList<String> keys = new java.util.ArrayList<>(RULE_KEYS);
      keys.remove("name");
      keys.add("enabled");
      checkKeys(t, path, keys);
      boolean enabled = !t.has("enabled") || bool(t.get("enabled"), path + ".enabled");
      // Validate now against a dummy preset so that a bad override fails at load, not per request.
      Rule probe = Presets.all().stream().filter(r -> path.endsWith("." + r.name())).findFirst().orElseThrow();
      at(path, () -> apply(probe.toBuilder(), t, path).build());
      return new PresetOverride(enabled, builder -> apply(builder, t, path));
    }

    private Rule.Builder apply(Rule.Builder b, ObjectNode t, String path) {
      if (t.has("host")) {
        String host = string(t.get("host"), path + ".host");
        at(path + ".host", () -> b.host(host));
      }
      if (t.has("port")) {
        JsonNode port = t.get("port");
        if (!port.isIntegralNumber()) {
          throw error(path + ".port", port + " (expected: an integer 1-65535)");
        }
        at(path + ".port", () -> b.port(port.asInt()));
      }
      if (t.has("credential")) {
        List<String> names = stringOrList(t.get("credential"), path + ".credential");
        if (names.isEmpty()) {
          throw error(path + ".credential", "[] (expected: a credential name)");
        }
        at(path + ".credential",
            () -> b.credential(names.get(0), names.subList(1, names.size()).toArray(String[]::new)));
      }
      if (t.has("header")) {
        String header = string(t.get("header"), path + ".header");
        at(path + ".header", () -> b.header(header));
      }
      if (t.has("format") || t.has("user") || t.has("template")) {
        CredentialFormat format = format(t, path);
        b.format(format);
      }
      if (t.has("strip")) {
        for (String h : stringOrList(t.get("strip"), path + ".strip")) {
          at(path + ".strip", () -> b.stripHeader(h));
        }
      }
      if (t.has("set-headers")) {
        for (Map.Entry<String, JsonNode> e : table(t.get("set-headers"), path + ".set-headers").properties()) {
          String value = string(e.getValue(), path + ".set-headers." + e.getKey());
          at(path + ".set-headers." + e.getKey(), () -> b.extraHeader(e.getKey(), value));
        }
      }
      if (t.has("upstream")) {
        String url = string(t.get("upstream"), path + ".upstream");
        at(path + ".upstream", () -> b.upstream(Upstream.parse(url)));
      }
      if (t.has("placeholders")) {
        b.clearPlaceholders();
        for (Map.Entry<String, JsonNode> e : table(t.get("placeholders"), path + ".placeholders").properties()) {
          String value = string(e.getValue(), path + ".placeholders." + e.getKey());
          at(path + ".placeholders." + e.getKey(), () -> b.placeholder(e.getKey(), value));
        }
      }
      return b;
    }

    private CredentialFormat format(ObjectNode t, String path) {
      String format = t.has("format") ? string(t.get("format"), path + ".format") : null;
      if (format == null) {
        format = t.has("template") ? "template" : "basic";
      }
      String f = format;
      if (!FORMATS.contains(f)) {
        throw error(path + ".format", "\"" + f + "\" (expected: one of " + String.join(", ", FORMATS) + ")");
      }
      if (t.has("user") && !f.equals("basic")) {
        throw error(path + ".user", "only valid with format = \"basic\"");
      }
      if (t.has("template") && !f.equals("template")) {
        throw error(path + ".template", "only valid with format = \"template\"");
      }
      return switch (f) {
        case "bearer" -> CredentialFormat.bearer();
        case "raw" -> CredentialFormat.raw();
        case "token" -> CredentialFormat.token();
        case "anthropic" -> CredentialFormat.anthropic();
        case "basic" -> {
          String user = string(require(t, path, "user"), path + ".user");
          yield at(path + ".user", () -> CredentialFormat.basic(user));
        }
        default -> {
          String template = string(require(t, path, "template"), path + ".template");
          yield at(path + ".template", () -> CredentialFormat.template(template));
        }
      };
    }

    private CommandSpec command(ObjectNode t, String path) {
      checkKeys(t, path, COMMAND_KEYS);
      JsonNode command = require(t, path, "command");
      if (!command.isArray()) {
        throw error(path + ".command", "expected an array like [\"pass\", \"show\", \"github\"]");
      }
      List<String> argv = stringOrList(command, path + ".command");
      java.time.Duration timeout = t.has("timeout")
          ? duration(t.get("timeout"), path + ".timeout") : CommandSpec.DEFAULT_TIMEOUT;
      return at(path, () -> new CommandSpec(argv, timeout));
    }

    private SessionPolicy session(ObjectNode t, String path) {
      checkKeys(t, path, SESSION_KEYS);
      SessionPolicy.Builder b = SessionPolicy.builder();
      if (t.has("allow-hosts")) {
        List<String> hosts = stringOrList(t.get("allow-hosts"), path + ".allow-hosts");
        at(path + ".allow-hosts", () -> b.allowHosts(hosts.toArray(String[]::new)));
      }
      if (t.has("read-only")) {
        List<String> hosts = stringOrList(t.get("read-only"), path + ".read-only");
        at(path + ".read-only", () -> b.readOnly(hosts.toArray(String[]::new)));
      }
      if (t.has("inspect")) {
        List<String> hosts = stringOrList(t.get("inspect"), path + ".inspect");
        at(path + ".inspect", () -> b.inspect(hosts.toArray(String[]::new)));
      }
      if (t.has("credentials")) {
        List<String> names = stringOrList(t.get("credentials"), path + ".credentials");
        b.allowCredentials(names.toArray(String[]::new));
      }
      return b.build();
    }

    private java.time.Duration duration(JsonNode node, String path) {
      if (node.isIntegralNumber() && node.asLong() > 0) {
        return java.time.Duration.ofSeconds(node.asLong());
      }
      String text = node.isTextual() ? node.asText().strip() : "";
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(text);
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw error(path, node + " (expected: a duration like \"500ms\", \"10s\" or \"2m\")");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> java.time.Duration.ofMillis(n);
        case "s" -> java.time.Duration.ofSeconds(n);
        default -> java.time.Duration.ofMinutes(n);
      };
    }

    private ObjectNode table(JsonNode node, String path) {
      if (!(node instanceof ObjectNode o)) {
        throw error(path.isEmpty() ? "(top level)" : path, "expected a table");
      }
      return o;
    }

    private JsonNode require(ObjectNode t, String path, String key) {
      JsonNode n = t.get(key);
      if (n == null) {
        throw error(path + "." + key, "missing (required)");
      }
      return n;
    }

    private String string(JsonNode node, String path) {
      if (!node.isTextual()) {
        throw error(path, node + " (expected: a string)");
      }
      return node.asText();
    }

    private boolean bool(JsonNode node, String path) {
      if (!node.isBoolean()) {
        throw error(path, node + " (expected: true or false)");
      }
      return node.asBoolean();
    }

    private List<String> stringOrList(JsonNode node, String path) {
      if (node.isTextual()) {
        return List.of(node.asText());
      }
      if (!node.isArray()) {
        throw error(path, node + " (expected: a string or an array of strings)");
      }
      List<String> out = new java.util.ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        out.add(string(node.get(i), path + "[" + (i + 1) + "]"));
      }
      return out;
    }

    private void checkKeys(ObjectNode t, String path, List<String> allowed) {
      for (Map.Entry<String, JsonNode> e : t.properties()) {
        if (!allowed.contains(e.getKey())) {
          String where = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
          throw error(where, "unknown key (expected: one of " + String.join(", ", allowed) + ")");
        }
      }
    }

    private <T> T at(String path, java.util.function.Supplier<T> check) {
      try {
        return check.get();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw error(path, e.getMessage());
      }
    }

    private void at(String path, Runnable check) {
      at(path, () -> {
        check.run();
        return null;
      });
    }

    private ConfigException error(String path, String message) {
      return new ConfigException(file + ": " + path + ": " + message);
    }
  }
}
