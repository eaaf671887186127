package dev.mux.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exactly what one session's container gets: command, environment, mounts, labels, user. Pure
 * computation from the settings and the spec, so it is tested without an engine.
 */
record ContainerPlan(
    String containerName,
    String image,
    List<String> command,
    Map<String, String> environment,
    List<Mount> mounts,
    Map<String, String> labels,
    String user,
    boolean tty) {

  static final String WORKSPACE_TARGET = "/workspace";
  static final String NO_PROXY = "localhost,127.0.0.1,host.docker.internal";
  static final String HOST_GATEWAY = "host.docker.internal:host-gateway";
  static final List<String> CA_FILE_VARIABLES =
      List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO");
  static final List<String> PROXY_VARIABLES = List.of("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy");

  static ContainerPlan of(Settings settings, SessionSpec spec, SessionFiles files, Instant created) {
    String image = spec.image().orElse(settings.image());
    Map<String, String> env = new LinkedHashMap<>(settings.placeholderEnvironment());
    String proxyUrl = proxyUrl(spec.name(), spec.proxyCredential().orElse(null),
        settings.proxyHost(), settings.proxyPort());
    for (String key : PROXY_VARIABLES) {
      env.put(key, proxyUrl);
    }
    env.put("NO_PROXY", NO_PROXY);
    env.put("no_proxy", NO_PROXY);
    if (settings.caCertificate() != null) {
      env.put("NODE_EXTRA_CA_CERTS", SessionFiles.CA_TARGET);
      for (String key : CA_FILE_VARIABLES) {
        env.put(key, SessionFiles.BUNDLE_TARGET);
      }
    }
    env.put("IS_SANDBOX", "1");
    env.put("HOME", SessionFiles.HOME_TARGET);
    Set<String> managed = Set.copyOf(env.keySet());
    for (Map.Entry<String, String> extra : spec.environment().entrySet()) {
      if (managed.contains(extra.getKey())) {
        throw new IllegalArgumentException("env: " + extra.getKey()
            + " (expected: a variable mux does not set itself; it sets " + String.join(", ", new java.util.TreeSet<>(managed)) + ")");
      }
      env.put(extra.getKey(), extra.getValue());
    }
    if (spec.mode() == SessionMode.INTERACTIVE) {
      env.putIfAbsent("TERM", "xterm-256color");
    }

    List<Mount> mounts = new ArrayList<>();
    mounts.add(new Mount(realDirectory(spec.workspace()), WORKSPACE_TARGET, false));
    mounts.add(new Mount(files.home, SessionFiles.HOME_TARGET, false));
    if (settings.caCertificate() != null) {
      mounts.add(new Mount(files.caCertificate, SessionFiles.CA_TARGET, true));
      mounts.add(new Mount(files.caBundle, SessionFiles.BUNDLE_TARGET, true));
    }
    checkNothingExposed(mounts, settings.neverExpose());

    Map<String, String> labels = new LinkedHashMap<>(settings.labels());
    labels.put(SessionLabels.SESSION, spec.name());
    labels.put(SessionLabels.MODE, spec.mode().label());
    labels.put(SessionLabels.IMAGE, image);
    labels.put(SessionLabels.WORKSPACE, mounts.get(0).source().toString());
    labels.put(SessionLabels.CREATED, created.toString());

    return new ContainerPlan(
        SessionLabels.containerName(spec.name()),
        image,
        settings.agent().commandLine(spec.mode(), spec.prompt().orElse(null)),
        Map.copyOf(env),
        List.copyOf(mounts),
        Map.copyOf(labels),
        settings.user(),
        spec.mode() == SessionMode.INTERACTIVE);
  }

  /** Names only: the environment carries the proxy credential. */
  @Override
  public String toString() {
    return "ContainerPlan{" + containerName + ", image=" + image + ", environment=" + environment.keySet()
        + ", mounts=" + mounts + ", labels=" + labels + ", user=" + user + ", tty=" + tty + "}";
  }

  /** {@code KEY=value} entries in a stable order, as Docker wants them. */
  List<String> environmentList() {
    return environment.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .toList();
  }

  static String proxyUrl(String session, String credential, String host, int port) {
    String userInfo = credential == null ? session : session + ":" + percentEncode(credential);
    return "http://" + userInfo + "@" + host + ":" + port;
  }

  /** The credential in a proxy URL made by {@link #proxyUrl}, decoded. */
  static java.util.Optional<String> credentialOf(String proxyUrl) {
    java.net.URI uri = java.net.URI.create(proxyUrl);
    String userInfo = uri.getRawUserInfo();
    int colon = userInfo == null ? -1 : userInfo.indexOf(':');
    if (colon < 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(java.net.URLDecoder.decode(
        userInfo.substring(colon + 1).replace("+", "%2B"), StandardCharsets.UTF_8));
  }

  static String percentEncode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static Path realDirectory(Path workspace) {
    if (!Files.isDirectory(workspace)) {
      throw new IllegalArgumentException("workspace: " + workspace + " (expected: an existing folder)");
    }
    try {
      return workspace.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("workspace: " + workspace + " could not be resolved", e);
    }
  }

  /** No mount may contain, equal or lie inside a path that must never reach a container. */
  static void checkNothingExposed(List<Mount> mounts, List<Path> neverExpose) {
    for (Path protectedPath : neverExpose) {
      Path guarded = canonical(protectedPath);
      for (Mount mount : mounts) {
        Path source = canonical(mount.source());
        if (guarded.startsWith(source) || source.startsWith(guarded)) {
          throw new IllegalArgumentException("mount: " + mount.source() + " -> " + mount.target()
              + " (expected: a path that neither contains nor lies inside " + protectedPath
              + ", which must never reach a container)");
        }
      }
    }
  }

  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return Files.exists(absolute) ? absolute.toRealPath() : absolute;
    } catch (IOException e) {
      return absolute;
    }
  }
}
