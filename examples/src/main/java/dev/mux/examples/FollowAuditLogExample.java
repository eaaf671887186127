package dev.mux.examples;

import dev.mux.audit.AuditDecision;
import dev.mux.audit.AuditFilter;
import dev.mux.audit.AuditFollower;
import dev.mux.audit.AuditReader;
import dev.mux.audit.AuditRecord;
import dev.mux.audit.AuditWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Recipe: follow an audit log like {@code tail -F}, keeping only the records you care about —
 * here, the requests the proxy refused in session {@code s1}.
 *
 * <p>Run it with a file to follow ({@code java … FollowAuditLogExample /tmp/audit.jsonl}); it
 * writes a few records of its own there, so it works without a proxy.
 */
public final class FollowAuditLogExample {
  private FollowAuditLogExample() {}

  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("mux-audit").resolve("audit.jsonl");
    for (AuditRecord refused : run(file)) {
      System.out.printf("%s %s %s https://%s%s -> %d %s%n", refused.timestamp(), refused.sessionId(), refused.method(),
          refused.host(), refused.path(), refused.responseCode(), refused.error());
    }
  }

  /** Writes six records to {@code file}, follows it, and returns the two that match the filter, in order. */
  public static List<AuditRecord> run(Path file) throws InterruptedException {
    // 1. The writer is what the proxy uses; write() never blocks, a background thread appends.
    try (AuditWriter writer = AuditWriter.builder(file).build()) {
      // 2. Something already in the file: follow() starts with it (followNew() would skip it).
      writer.write(record("s1", "POST", "api.github.com", "/repos/acme/app/issues", AuditDecision.REFUSE, 403, "READ_ONLY"));
      writer.write(record("s1", "GET", "api.github.com", "/user", AuditDecision.INJECT, 200, null));
      writer.flush();

      // 3. A filter: only refusals in session s1. Records that do not match never reach the sink.
      AuditFilter refusedInS1 = AuditFilter.builder().session("s1").decision(AuditDecision.REFUSE).build();
      BlockingQueue<AuditRecord> received = new LinkedBlockingQueue<>();
      try (AuditFollower follower = AuditReader.open(file).filter(refusedInS1).follow(received::add)) {

        // 4. New records appear as they are written, e.g. by a running proxy.
        writer.write(record("s2", "POST", "api.github.com", "/graphql", AuditDecision.REFUSE, 403, "READ_ONLY"));
        writer.write(record("s1", "GET", "example.org", "/", AuditDecision.PASS, 200, null));
        writer.write(record("s1", "GET", "evil.example", "/", AuditDecision.REFUSE, 403, "HOST_NOT_ALLOWED"));
        writer.write(record("s1", "POST", "api.anthropic.com", "/v1/messages", AuditDecision.INJECT, 200, null));

        // 5. Wait until those are in the file and the follower has read to its end (a real
        //    follower would simply keep running and print as records arrive).
        writer.flush();
        if (!follower.awaitCaughtUp(Duration.ofSeconds(10))) {
          throw new IllegalStateException("follower: still reading after 10 s (expected: caught up)");
        }
        List<AuditRecord> matching = new ArrayList<>();
        received.drainTo(matching);
        return matching;
      }
    }
  }

  private static AuditRecord record(String session, String method, String host, String path,
      AuditDecision decision, int status, String error) {
    return AuditRecord.builder()
        .sessionId(session).method(method).host(host).port(443).path(path)
        .decision(decision).authInjected(decision == AuditDecision.INJECT)
        .responseCode(status).error(error)
        .build();
  }
}
