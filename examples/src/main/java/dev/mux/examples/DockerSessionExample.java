package dev.mux.examples;

import dev.mux.ca.CertificateAuthority;
import dev.mux.docker.AgentCommand;
import dev.mux.docker.AgentSession;
import dev.mux.docker.DockerSessions;
import dev.mux.docker.SessionMode;
import dev.mux.docker.SessionSpec;
import dev.mux.rules.Placeholders;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Recipe: run an agent in a Docker container with the docker-backend library directly — a
 * print-mode session that gets a prompt, prints its answer and exits.
 *
 * <p>The container holds no real credential: only a placeholder token, a proxy URL with its own
 * session credential, and the proxy's CA certificate (never its key). Run a proxy (see
 * {@link EmbeddedProxyExample}, or {@code mux daemon}) on the proxy port for the agent to get
 * anywhere. Usage: {@code DockerSessionExample [image [prompt]]}; the default image is
 * {@value DockerSessions#DEFAULT_IMAGE} running Claude Code.
 */
public final class DockerSessionExample {
  private DockerSessionExample() {}

  /**
   * What the session did.
   *
   * @param name the session's name (its container was {@code mux-<name>}, deleted since)
   * @param exitCode the agent's exit code
   */
  public record Result(String name, int exitCode) {}

  public static void main(String[] args) throws Exception {
    String image = args.length > 0 ? args[0] : DockerSessions.DEFAULT_IMAGE;
    String prompt = args.length > 1 ? args[1] : "Say hello in one short sentence.";
    Path home = Files.createTempDirectory("mux-docker-example");
    Path workspace = Files.createDirectories(home.resolve("workspace"));
    Result result = run(image, AgentCommand.claude(), home, workspace, prompt, System.out);
    System.out.println("session " + result.name() + " exited with " + result.exitCode());
  }

  /**
   * Creates a print-mode session of {@code agent} in {@code image}, streams its standard output
   * to {@code out} (standard error to {@code System.err}) until it exits, then deletes it.
   */
  public static Result run(String image, AgentCommand agent, Path home, Path workspace, String prompt,
      OutputStream out) {
    // 1. The proxy's CA: containers get the certificate; the key stays in home, never mounted.
    CertificateAuthority.loadOrCreate(home);

    // 2. Sessions on the local engine (DOCKER_HOST, the docker context, or the usual sockets).
    //    Nothing talks to Docker until the first call.
    try (DockerSessions sessions = DockerSessions.builder()
        .image(image)
        .agentCommand(agent)
        .proxyPort(18080)                                  // containers use host.docker.internal:18080
        .caCertificate(home.resolve(CertificateAuthority.CERTIFICATE_FILE))
        // What the proxy will replace; a program with CredentialRules uses rules.placeholderEnvironment().
        .placeholderEnvironment(Map.of("CLAUDE_CODE_OAUTH_TOKEN", Placeholders.ANTHROPIC_OAUTH))
        .sessionsDirectory(home.resolve("sessions"))       // each session's home and CA bundle
        .neverExpose(home.resolve(CertificateAuthority.KEY_FILE), home.resolve("secrets"))
        .build()) {

      // 3. One session: a workspace mounted at /workspace, print mode, the prompt as one argument,
      //    and the credential it will show the proxy (the proxy maps it to this session).
      String name = "example-" + UUID.randomUUID().toString().substring(0, 8);
      SessionSpec spec = SessionSpec.builder(name)
          .workspace(workspace)
          .mode(SessionMode.PRINT)
          .prompt(prompt)
          .proxyCredential(UUID.randomUUID().toString())
          .build();

      // 4. Create, start, stream stdout and stderr until the agent exits. Closing the session
      //    deletes its container; to keep one, don't close it (sessions.session(name) finds it later).
      try (AgentSession session = sessions.create(spec)) {
        return new Result(name, session.streamUntilExit(out, System.err));
      }
    }
  }
}
