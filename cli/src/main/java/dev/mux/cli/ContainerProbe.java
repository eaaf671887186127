package dev.mux.cli;

import dev.mux.docker.AgentCommand;
import dev.mux.docker.AgentSession;
import dev.mux.docker.DockerSessionException;
import dev.mux.docker.DockerSessions;
import dev.mux.docker.SessionMode;
import dev.mux.docker.SessionSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a throwaway session exactly as {@code mux session create} would (same image, proxy
 * settings, CA mounts, its own proxy credential), but with a shell script in place of the agent,
 * to see from inside a container: the agent binary, the CA file and bundle, and whether the daemon
 * answers at host.docker.internal.
 */
final class ContainerProbe {
  /**
   * Prints key:value lines; uses only POSIX sh and, when present, sha256sum, nc, curl. The reach
   * probe sends the daemon a CONNECT without credentials: a mux daemon answers 407.
   */
  static final String SCRIPT = String.join("\n",
      "p=\"${HTTPS_PROXY##*@}\"; h=\"${p%:*}\"; port=\"${p##*:}\"",
      "echo \"proxy:$h:$port\"",
      "command -v claude >/dev/null 2>&1 && echo agent:yes || echo agent:no",
      "[ -r \"$NODE_EXTRA_CA_CERTS\" ] && echo ca-file:yes || echo ca-file:no",
      "command -v sha256sum >/dev/null 2>&1 && echo \"ca-sha256:$(sha256sum \"$NODE_EXTRA_CA_CERTS\" | cut -d' ' -f1)\"",
      "l=$(sed -n 2p \"$NODE_EXTRA_CA_CERTS\" 2>/dev/null); [ -n \"$l\" ] && grep -qF \"$l\" \"$SSL_CERT_FILE\" 2>/dev/null"
          + " && echo bundle:yes || echo bundle:no",
      "if command -v nc >/dev/null 2>&1; then",
      "  echo \"reach:$(printf 'CONNECT mux-doctor.invalid:443 HTTP/1.1\\r\\nHost: mux-doctor.invalid:443\\r\\n\\r\\n'"
          + " | timeout 5 nc \"$h\" \"$port\" 2>/dev/null | head -n 1)\"",
      "elif command -v curl >/dev/null 2>&1; then",
      "  echo \"reach:$(curl -s -o /dev/null -w 'HTTP/%{http_code}' --noproxy '*' --max-time 5 \"http://$h:$port/\")\"",
      "else echo reach:untested; fi",
      "command -v curl >/dev/null 2>&1 && echo \"https:$(curl -s -o /dev/null -w '%{http_code}' --max-time 20"
          + " https://api.anthropic.com/api/hello)\"",
      "exit 0");

  private ContainerProbe() {}

  /** The probe's key:value answers; throws DockerSessionException as session create would. */
  static Map<String, String> run(StateFolder state, Map<String, String> environment, String image) {
    String name = "mux-doctor-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    ClientCredentials credentials = ClientCredentials.open(state);
    Path workspace;
    try {
      workspace = Files.createTempDirectory("mux-doctor");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DockerSessions.Builder builder =
        SessionBackend.builder(state, environment, Map.of())
            .agentCommand(AgentCommand.of("sh", "-c", SCRIPT));
    if (image != null) {
      builder.image(image);
    }
    try (DockerSessions sessions = builder.build()) {
      SessionSpec spec =
          SessionSpec.builder(name)
              .workspace(workspace)
              .mode(SessionMode.PRINT)
              .prompt("mux-doctor")
              .proxyCredential(credentials.issue(name).password())
              .build();
      try (AgentSession session = sessions.create(spec)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        session.streamUntilExit(out, out);
        return parse(out.toString(StandardCharsets.UTF_8));
      }
    } finally {
      credentials.revoke(name);
      try {
        Files.deleteIfExists(workspace);
      } catch (IOException ignored) {
        // a leftover empty temp folder is harmless
      }
    }
  }

  static Map<String, String> parse(String output) {
    Map<String, String> answers = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        answers.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return answers;
  }

  static String sha256Hex(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the daemon answered the container's CONNECT (407 without a credential). */
  static boolean reached(String reach) {
    return reach != null && reach.startsWith("HTTP/") && !reach.equals("HTTP/000");
  }

  static boolean isMissingImage(DockerSessionException e) {
    return e.reason() == DockerSessionException.Reason.IMAGE_MISSING;
  }
}
