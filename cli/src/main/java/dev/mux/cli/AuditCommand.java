package dev.mux.cli;

import dev.mux.audit.AuditFilter;
import dev.mux.audit.AuditFollower;
import dev.mux.audit.AuditReader;
import dev.mux.audit.AuditRecord;
import dev.mux.audit.SkippedLine;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux audit tail}: the audit log as a table or as JSON lines. */
@Command(
    name = "audit",
    header = "Read the audit log (audit.jsonl in the state folder).",
    subcommands = AuditCommand.TailCommand.class)
final class AuditCommand extends CommandGroup {

  @Command(
      name = "tail",
      header = "Print the last audit records; -f keeps following (across rotation).",
      description = {
        "Examples:",
        "  mux audit tail --session test-session",
        "  mux audit tail -f --host api.anthropic.com",
        "  mux audit tail --since 10m --json | jq .auth_injected",
        ""
      })
  static final class TailCommand extends BaseCommand {
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

    @Mixin HomeOption home;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new records until interrupted.")
    boolean follow;

    @Option(names = "--session", paramLabel = "N", description = "Only records of session (or client) N.")
    String session;

    @Option(names = "--host", paramLabel = "H", description = "Only records for host H.")
    String host;

    @Option(
        names = "--since",
        paramLabel = "T",
        description = "Only records from T on: an instant (2026-01-02T03:04:05Z) or an age (30s, 10m, 2h, 1d).")
    String since;

    @Option(names = "--json", description = "Print the records as JSON lines (the audit file's format).")
    boolean json;

    @Option(
        names = {"-n", "--lines"},
        paramLabel = "N",
        defaultValue = "20",
        description = "How many of the last records to print first; 0 for all (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() throws InterruptedException {
      StateFolder state = StateFolder.resolve(home, environment());
      AuditFilter.Builder filter = AuditFilter.builder();
      if (session != null) {
        filter.session(session);
      }
      if (host != null) {
        filter.host(host);
      }
      if (since != null) {
        filter.since(parseSince(since, Clock.systemUTC()));
      }
      AuditReader reader = AuditReader.open(state.auditFile()).filter(filter.build());
      // Following starts before the read, so nothing appended in between is lost; duplicates are skipped.
      BlockingQueue<AuditRecord> appended = new LinkedBlockingQueue<>();
      AuditFollower follower = follow ? reader.followNew(appended::add) : null;
      try {
        AuditTable table = new AuditTable(out());
        List<AuditRecord> records = reader.readAll();
        for (SkippedLine skipped : reader.skippedLines()) {
          info("mux audit tail: skipped %s", skipped);
        }
        List<AuditRecord> last =
            lines > 0 && records.size() > lines ? records.subList(records.size() - lines, records.size()) : records;
        if (!json) {
          table.header();
        }
        last.forEach(record -> print(table, record));
        out().flush();
        if (follower == null) {
          return ExitCodes.OK;
        }
        Set<AuditRecord> alreadyRead = new HashSet<>(records);
        while (true) {
          AuditRecord record = appended.take();
          if (!alreadyRead.remove(record)) {
            print(table, record);
          }
        }
      } finally {
        if (follower != null) {
          follower.close();
        }
      }
    }

    private synchronized void print(AuditTable table, AuditRecord record) {
      if (json) {
        out().print(record.toJsonLine());
      } else {
        table.row(record);
      }
      out().flush();
    }

    static Instant parseSince(String text, Clock clock) {
      Matcher relative = RELATIVE.matcher(text.trim().toLowerCase(Locale.ROOT));
      if (relative.matches()) {
        long amount = Long.parseLong(relative.group(1));
        Duration age =
            switch (relative.group(2)) {
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            };
        return clock.instant().minus(age);
      }
      try {
        return Instant.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw new ExitException(
            ExitCodes.USAGE, "since: \"" + text + "\" (expected: an instant like 2026-01-02T03:04:05Z or 30s, 10m, 2h, 1d)");
      }
    }
  }

  /** The human-readable form: one aligned row per record. */
  static final class AuditTable {
    private static final String FORMAT = "%-24s %-16s %-7s %-28s %-32s %4s %-5s %-7s %6s%n";
    private final PrintWriter out;

    AuditTable(PrintWriter out) {
      this.out = out;
    }

    void header() {
      out.printf(FORMAT, "TIME", "SESSION", "METHOD", "HOST", "PATH", "CODE", "AUTH", "RESULT", "MS");
    }

    void row(AuditRecord r) {
      String session = r.sessionId() != null ? r.sessionId() : r.client();
      String result = r.error() != null ? r.decision() + ":" + r.error() : r.decision();
      out.printf(
          FORMAT,
          r.timestamp(),
          cut(session, 16),
          cut(r.method(), 7),
          cut(r.host() == null ? null : r.port() == 443 || r.port() == 0 ? r.host() : r.host() + ":" + r.port(), 28),
          cut(r.path(), 32),
          r.responseCode() == 0 ? "-" : Integer.toString(r.responseCode()),
          r.authInjected() ? "yes" : "no",
          result,
          r.durationMs());
    }

    private static String cut(String value, int width) {
      if (value == null) {
        return "-";
      }
      return value.length() <= width ? value : value.substring(0, width - 1) + "…";
    }
  }
}
