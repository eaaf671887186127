package dev.mux.cli;

import dev.mux.docker.DockerSessionException;
import dev.mux.docker.DockerSessions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds {@link DockerSessions} wired to this state folder and the running daemon. */
final class SessionBackend {
  /** Overrides the agent image (else the docker-backend default, mux-agent:latest). */
  static final String IMAGE_VARIABLE = "MUX_IMAGE";

  private SessionBackend() {}

  static DockerSessions open(StateFolder state, Map<String, String> environment, Map<String, String> placeholders) {
    return builder(state, environment, placeholders).build();
  }

  static DockerSessions.Builder builder(
      StateFolder state, Map<String, String> environment, Map<String, String> placeholders) {
    Optional<DaemonInfo> daemon = DaemonInfo.read(state);
    DockerSessions.Builder builder =
        DockerSessions.builder()
            .environment(environment)
            .proxyPort(daemon.map(DaemonInfo::port).orElse(DaemonInfo.DEFAULT_PORT))
            .caCertificate(state.caCertificate())
            .placeholderEnvironment(placeholders)
            .sessionsDirectory(state.dir().resolve("sessions"))
            .claudeJsonTemplate(state.claudeJson())
            .neverExpose(
                state.caKey(),
                state.secretsDir(),
                state.clientKey(),
                state.revokedClients(),
                state.auditFile(),
                state.daemonInfo());
    String image = environment.get(IMAGE_VARIABLE);
    if (image != null && !image.isBlank()) {
      builder.image(image);
    }
    return builder;
  }

  /** Runs a Docker operation, turning its failure into one line for the user. */
  static <T> T call(Supplier<T> operation) {
    try {
      return operation.get();
    } catch (DockerSessionException e) {
      throw new ExitException(ExitCodes.FAILURE, e.getMessage(), e);
    }
  }

  static void run(Runnable operation) {
    call(
        () -> {
          operation.run();
          return null;
        });
  }
}
