package dev.mux.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mux.rules.CredentialRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running daemon tells the other commands, in {@code daemon.json} of the state folder:
 * its process id, port, bound addresses and the placeholder environment of its active rules
 * (placeholders are not secrets; {@code mux env} hands them to clients), its credential checks
 * (never values) for {@code mux doctor}, and its rules with credential presence and source (never
 * values) for {@code mux rules list}. Written after the proxy listens, removed when it stops.
 */
record DaemonInfo(
    @JsonProperty("pid") long pid,
    @JsonProperty("port") int port,
    @JsonProperty("addresses") List<String> addresses,
    @JsonProperty("started") String started,
    @JsonProperty("placeholders") Map<String, String> placeholders,
    @JsonProperty("credential_checks") List<Check> credentialChecks,
    @JsonProperty("rules") List<RuleRow> rules) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The proxy port used when no daemon has announced one. */
  static final int DEFAULT_PORT = 18080;

  static Optional<DaemonInfo> read(StateFolder state) {
    Path file = state.daemonInfo();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), DaemonInfo.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The announcement of a daemon whose process is still alive (a killed daemon leaves its file behind). */
  static Optional<DaemonInfo> readLive(StateFolder state) {
    return read(state).filter(d -> ProcessHandle.of(d.pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  /**
   * The placeholders clients should carry: the running daemon's (its environment holds the
   * credentials, so its rules decide), else those of the rules this process loaded.
   */
  static Map<String, String> placeholders(Optional<DaemonInfo> daemon, CredentialRules local) {
    return daemon.map(DaemonInfo::placeholders).filter(p -> p != null).orElseGet(local::placeholderEnvironment);
  }

  /** The port of the running daemon, else {@code fallback}. */
  static int portOr(StateFolder state, int fallback) {
    return read(state).map(DaemonInfo::port).orElse(fallback);
  }

  void write(StateFolder state) {
    Path file = state.daemonInfo();
    try {
      Path temp = Files.createTempFile(file.getParent(), ".daemon", ".json");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), this);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Removes the file if it is still ours. */
  void remove(StateFolder state) {
    read(state)
        .filter(current -> current.pid() == pid)
        .ifPresent(
            current -> {
              try {
                Files.deleteIfExists(state.daemonInfo());
              } catch (IOException ignored) {
                // a stale file is harmless: readers check the port answers
              }
            });
  }
}
