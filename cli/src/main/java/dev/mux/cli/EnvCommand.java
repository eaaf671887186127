package dev.mux.cli;

import dev.mux.ca.CertificateAuthority;
import dev.mux.rules.CredentialRules;
import dev.mux.rules.RuleStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux env}: shell lines that route a host program through the proxy with placeholders only. */
@Command(
    name = "env",
    header = "Print export lines that send a host program through the proxy, with no real credential.",
    description = {
      "Prints HTTPS_PROXY with a fresh proxy credential for NAME, the CA variables",
      "(NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, REQUESTS_CA_BUNDLE, GIT_SSL_CAINFO, CURL_CA_BUNDLE), the placeholder",
      "credentials of the active rules, and unsets real credentials the rules would otherwise leak.",
      "Requests are audited under NAME. --revoke makes every credential issued so far for NAME",
      "stop working (the daemon re-reads the revocation list on change).",
      "",
      "Examples:",
      "  eval \"$(mux env)\"; claude --print 'hi'",
      "  mux env --name ci --revoke",
      ""
    })
final class EnvCommand extends BaseCommand {
  static final String DEFAULT_NAME = "host";
  static final String PROXY_HOST = "127.0.0.1";
  static final String API_KEY_VARIABLE = "ANTHROPIC_API_KEY";

  @Mixin HomeOption home;
  @Mixin RulesOptions rulesOptions;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = DEFAULT_NAME,
      description = "Client name in the audit log (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Proxy port (default: the running daemon's, else " + DaemonInfo.DEFAULT_PORT + ").")
  Integer port;

  @Option(names = "--revoke", description = "Revoke every credential issued so far for NAME; print nothing.")
  boolean revoke;

  @Override
  public Integer call() {
    try {
      ClientCredentials.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new ExitException(ExitCodes.USAGE, e.getMessage());
    }
    StateFolder state = StateFolder.resolve(home, environment()).ensureExists();
    if (revoke) {
      ClientCredentials.open(state).revoke(name);
      info("mux env: revoked every proxy credential issued so far for \"%s\"", name);
      return ExitCodes.OK;
    }
    CertificateAuthority ca = CaCommand.loadOrCreate(state);
    Path bundle = CaBundle.write(state, ca.certificatePem());
    CredentialRules rules = rulesOptions.load(state, environment());
    Optional<DaemonInfo> daemon = DaemonInfo.read(state);
    int proxyPort = port != null ? port : daemon.map(DaemonInfo::port).orElse(DaemonInfo.DEFAULT_PORT);
    if (daemon.isEmpty()) {
      info("mux env: no running daemon announced in %s; assuming port %d", state.daemonInfo(), proxyPort);
    }
    String proxyUrl = ClientCredentials.open(state).issue(name).proxyUrl(PROXY_HOST, proxyPort);

    Map<String, String> exports = new LinkedHashMap<>();
    exports.put("HTTPS_PROXY", proxyUrl);
    exports.put("https_proxy", proxyUrl);
    exports.put("NO_PROXY", "localhost,127.0.0.1,::1");
    exports.put("no_proxy", "localhost,127.0.0.1,::1");
    exports.put("NODE_EXTRA_CA_CERTS", state.caCertificate().toString());
    exports.put("SSL_CERT_FILE", bundle.toString());
    exports.put("REQUESTS_CA_BUNDLE", bundle.toString());
    exports.put("GIT_SSL_CAINFO", bundle.toString());
    exports.put("CURL_CA_BUNDLE", bundle.toString());
    Map<String, String> placeholders = DaemonInfo.placeholders(daemon, rules);
    exports.putAll(placeholders);

    TreeSet<String> unset = new TreeSet<>();
    for (RuleStatus rule : rules.describe()) {
      if (!placeholders.containsKey(rule.credential())) {
        unset.add(rule.credential());
      }
    }
    // Claude Code prefers ANTHROPIC_API_KEY over the OAuth placeholder: a real key there would be used.
    if (placeholders.containsKey(CredentialChecks.OAUTH_VARIABLE) && !placeholders.containsKey(API_KEY_VARIABLE)) {
      unset.add(API_KEY_VARIABLE);
    }
    out().printf("# mux env: proxy client \"%s\"; audited under this name%n", name);
    exports.forEach((key, value) -> out().printf("export %s=%s%n", key, shellQuote(value)));
    unset.forEach(variable -> out().printf("unset %s%n", variable));
    out().flush();
    return ExitCodes.OK;
  }

  /** Single-quotes for POSIX shells. */
  static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
