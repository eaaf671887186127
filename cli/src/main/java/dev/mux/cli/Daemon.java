package dev.mux.cli;

import dev.mux.audit.AuditWriter;
import dev.mux.ca.CertificateAuthority;
import dev.mux.ca.CertificateAuthorityException;
import dev.mux.proxy.MuxProxy;
import dev.mux.rules.CredentialRules;
import dev.mux.rules.RuleStatus;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy composed from the state folder: CA, rules (watched), client credentials, audit
 * writer. {@link #close()} stops it and flushes the audit log.
 */
final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final StateFolder state;
  private final MuxProxy proxy;
  private final AuditWriter audit;
  private final AutoCloseable rulesWatch;
  private final ScheduledExecutorService announcer;
  private volatile DaemonInfo info;
  private final List<InetSocketAddress> bound;

  private Daemon(
      StateFolder state,
      MuxProxy proxy,
      AuditWriter audit,
      AutoCloseable rulesWatch,
      ScheduledExecutorService announcer,
      DaemonInfo info,
      List<InetSocketAddress> bound) {
    this.state = state;
    this.proxy = proxy;
    this.audit = audit;
    this.rulesWatch = rulesWatch;
    this.announcer = announcer;
    this.info = info;
    this.bound = bound;
  }

  /** Loads everything, starts listening and announces itself in {@code daemon.json}. */
  static Daemon start(
      StateFolder state,
      CredentialRules rules,
      List<InetSocketAddress> bind,
      X509Certificate[] upstreamTrust) {
    state.ensureExists();
    CertificateAuthority ca;
    try {
      ca = CertificateAuthority.loadOrCreate(state.dir());
    } catch (CertificateAuthorityException e) {
      throw new ExitException(ExitCodes.FAILURE, e.getMessage(), e);
    }
    log.info("CA {} (SHA-256 {})", state.caCertificate(), ca.fingerprintSha256());
    ClaudeJson.ensureExists(state);
    ClientCredentials clients = ClientCredentials.open(state);
    logCredentials(rules);
    List<Check> credentialChecks = CredentialChecks.of(rules, state);
    credentialChecks.stream().filter(c -> !c.ok()).forEach(c -> log.warn("{}; fix: {}", c.text(), c.fix()));

    AuditWriter audit = AuditWriter.builder(state.auditFile()).build();
    MuxProxy proxy =
        MuxProxy.builder()
            .bind(bind.toArray(InetSocketAddress[]::new))
            .certificateAuthority(ca)
            .rules(rules)
            .authenticator(clients::verify)
            .auditWriter(audit)
            .upstreamTrust(upstreamTrust)
            .build();
    List<InetSocketAddress> bound;
    try {
      bound = proxy.start();
    } catch (RuntimeException e) {
      closeQuietly(proxy);
      audit.close();
      throw new ExitException(
          ExitCodes.FAILURE,
          "cannot listen on " + describe(bind) + ": " + rootMessage(e)
              + " (is another daemon running? stop it or choose another --port)",
          e);
    }
    AutoCloseable watch = rules.watch();
    List<String> addresses = bound.stream().map(Daemon::hostPort).collect(Collectors.toList());
    DaemonInfo info =
        new DaemonInfo(
            ProcessHandle.current().pid(),
            bound.get(0).getPort(),
            addresses,
            Instant.now().toString(),
            rules.placeholderEnvironment(),
            credentialChecks,
            RuleRow.of(rules.describe()));
    info.write(state);
    log.info("listening on {}", String.join(", ", addresses));
    log.info("audit log {}", state.auditFile());
    ScheduledExecutorService announcer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "mux-daemon-announce");
              thread.setDaemon(true);
              return thread;
            });
    Daemon daemon = new Daemon(state, proxy, audit, watch, announcer, info, bound);
    announcer.scheduleWithFixedDelay(
        () -> daemon.announceChanges(rules), 2, 2, TimeUnit.SECONDS);
    return daemon;
  }

  List<InetSocketAddress> bound() {
    return bound;
  }

  /**
   * Rewrites {@code daemon.json} when a reload changed the placeholders, the credential checks or
   * the rules, so that {@code mux env}, new sessions, {@code mux doctor} and {@code mux rules list}
   * see the rules in force.
   */
  private void announceChanges(CredentialRules rules) {
    try {
      Map<String, String> placeholders = rules.placeholderEnvironment();
      List<Check> checks = CredentialChecks.of(rules, state);
      List<RuleRow> rows = RuleRow.of(rules.describe());
      DaemonInfo current = info;
      if (placeholders.equals(current.placeholders()) && checks.equals(current.credentialChecks())
          && rows.equals(current.rules())) {
        return;
      }
      DaemonInfo updated = new DaemonInfo(
          current.pid(), current.port(), current.addresses(), current.started(), placeholders, checks, rows);
      updated.write(state);
      info = updated;
      log.info("rules reloaded; credentials present for: {}", rules.describe().stream()
          .filter(RuleStatus::present).map(RuleStatus::name).collect(Collectors.joining(", ")));
      checks.stream().filter(c -> !c.ok()).forEach(c -> log.warn("{}; fix: {}", c.text(), c.fix()));
    } catch (RuntimeException e) {
      log.warn("cannot update {}: {}", state.daemonInfo(), e.toString());
    }
  }

  @Override
  public void close() {
    announcer.shutdownNow();
    closeQuietly(rulesWatch);
    closeQuietly(proxy);
    audit.flush();
    audit.close();
    info.remove(state);
    log.info("stopped; audit log flushed ({} records dropped)", audit.droppedRecords());
  }

  private static void logCredentials(CredentialRules rules) {
    List<String> present = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (RuleStatus rule : rules.describe()) {
      String text = rule.name() + " (" + rule.host() + ", " + rule.credential() + ")";
      if (rule.present()) {
        present.add(text + " from " + rule.source().name().toLowerCase(java.util.Locale.ROOT));
      } else if (!rule.preset()) {
        missing.add(text + rule.problem().map(p -> ": " + p).orElse(""));
      }
    }
    log.info("credentials present for: {}", present.isEmpty() ? "none" : String.join(", ", present));
    if (!missing.isEmpty()) {
      log.warn("configured rules without a credential (requests refused): {}", String.join(", ", missing));
    }
  }

  static String hostPort(InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static String describe(List<InetSocketAddress> addresses) {
    return addresses.stream().map(Daemon::hostPort).collect(Collectors.joining(", "));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("while stopping: {}", e.toString());
    }
  }
}
