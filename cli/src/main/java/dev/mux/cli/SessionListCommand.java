package dev.mux.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mux.docker.DockerSessions;
import dev.mux.docker.SessionInfo;
import dev.mux.docker.SessionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux session list}: every session as a table or JSON. */
@Command(name = "list", header = "List sessions: name, status, mode, age, image.")
final class SessionListCommand extends BaseCommand {
  private static final String FORMAT = "%-24s %-12s %-12s %-8s %s%n";

  @Mixin HomeOption home;

  @Option(names = "--json", description = "Print a JSON array instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StateFolder state = StateFolder.resolve(home, environment());
    try (DockerSessions sessions = SessionBackend.open(state, environment(), Map.of())) {
      List<SessionInfo> list = SessionBackend.call(sessions::list);
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (SessionInfo s : list) {
          ObjectNode node = array.addObject();
          node.put("name", s.name());
          node.put("status", status(s.status()));
          if (s.status() instanceof SessionStatus.Exited exited) {
            node.put("exit_code", exited.exitCode());
          }
          node.put("mode", s.mode().name().toLowerCase(Locale.ROOT));
          node.put("image", s.image());
          node.put("workspace", s.workspace() == null ? null : s.workspace().toString());
          node.put("created", s.created() == null ? null : s.created().toString());
          node.put("container_id", s.containerId());
        }
        out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
      } else {
        out().printf(FORMAT, "NAME", "STATUS", "MODE", "AGE", "IMAGE");
        for (SessionInfo s : list) {
          out().printf(
              FORMAT, s.name(), status(s.status()), s.mode().name().toLowerCase(Locale.ROOT), age(s.created()), s.image());
        }
      }
      out().flush();
      return ExitCodes.OK;
    }
  }

  static String status(SessionStatus status) {
    if (status instanceof SessionStatus.Exited exited) {
      return "exited(" + exited.exitCode() + ")";
    }
    return status.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  static String age(Instant created) {
    if (created == null) {
      return "-";
    }
    Duration age = Duration.between(created, Instant.now());
    if (age.isNegative() || age.toMinutes() < 1) {
      return Math.max(0, age.toSeconds()) + "s";
    }
    if (age.toHours() < 1) {
      return age.toMinutes() + "m";
    }
    if (age.toDays() < 1) {
      return age.toHours() + "h";
    }
    return age.toDays() + "d";
  }
}
