package dev.mux.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One place a Docker engine may answer, and where that idea came from (for error messages).
 *
 * <p>Order: an explicit host (builder), else {@code DOCKER_HOST} — either one is the only
 * candidate, since silently using another engine than the one asked for would surprise. Without
 * either: the current docker context, {@code /var/run/docker.sock}, the rootless socket
 * ({@code $XDG_RUNTIME_DIR/docker.sock}) and Docker Desktop's {@code ~/.docker/run/docker.sock}.
 */
record EngineCandidate(String source, String host, boolean tlsVerify, String certPath) {

  static List<EngineCandidate> discover(String explicitHost, Map<String, String> env, Path home) {
    boolean tls = isTrue(env.get("DOCKER_TLS_VERIFY"));
    String certPath = env.getOrDefault("DOCKER_CERT_PATH", home.resolve(".docker").toString());
    if (explicitHost != null) {
      return List.of(new EngineCandidate("configured dockerHost", explicitHost, tls, certPath));
    }
    String dockerHost = env.get("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      return List.of(new EngineCandidate("DOCKER_HOST", dockerHost.trim(), tls, certPath));
    }
    List<EngineCandidate> candidates = new ArrayList<>();
    Path dockerConfig = Path.of(env.getOrDefault("DOCKER_CONFIG", home.resolve(".docker").toString()));
    contextHost(env.get("DOCKER_CONTEXT"), dockerConfig).ifPresent(candidates::add);
    candidates.add(socket("default socket", Path.of("/var/run/docker.sock")));
    String runtimeDir = env.get("XDG_RUNTIME_DIR");
    if (runtimeDir != null && !runtimeDir.isBlank()) {
      candidates.add(socket("rootless socket", Path.of(runtimeDir, "docker.sock")));
    }
    candidates.add(socket("Docker Desktop socket", home.resolve(".docker/run/docker.sock")));
    return List.copyOf(candidates);
  }

  boolean isMissingSocket() {
    return host.startsWith("unix://") && !Files.exists(Path.of(host.substring("unix://".length())));
  }

  String describe() {
    return source + " " + host + (tlsVerify ? " (TLS)" : "");
  }

  private static EngineCandidate socket(String source, Path path) {
    return new EngineCandidate(source, "unix://" + path, false, null);
  }

  private static java.util.Optional<EngineCandidate> contextHost(String contextName, Path dockerConfig) {
    try {
      String name = contextName;
      if (name == null || name.isBlank()) {
        Path config = dockerConfig.resolve("config.json");
        if (!Files.isRegularFile(config)) {
          return java.util.Optional.empty();
        }
        JsonNode current = new ObjectMapper().readTree(config.toFile()).path("currentContext");
        name = current.isTextual() ? current.asText() : null;
      }
      if (name == null || name.isBlank() || name.equals("default")) {
        return java.util.Optional.empty();
      }
      Path meta = dockerConfig.resolve("contexts/meta").resolve(sha256(name)).resolve("meta.json");
      if (!Files.isRegularFile(meta)) {
        return java.util.Optional.empty();
      }
      JsonNode endpoint = new ObjectMapper().readTree(meta.toFile()).path("Endpoints").path("docker");
      String host = endpoint.path("Host").asText("");
      if (host.isEmpty()) {
        return java.util.Optional.empty();
      }
      boolean tls = !endpoint.path("SkipTLSVerify").asBoolean(true) && host.startsWith("tcp://");
      String certPath = dockerConfig.resolve("contexts/tls").resolve(sha256(name)).resolve("docker").toString();
      return java.util.Optional.of(new EngineCandidate("docker context " + name, host, tls, certPath));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isTrue(String value) {
    return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
  }
}
