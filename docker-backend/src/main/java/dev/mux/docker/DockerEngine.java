package dev.mux.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lazily opened connection to one Docker engine. Nothing touches the engine before the first
 * {@link #client()}. The first failure is cached: later calls fail fast with the same message
 * instead of timing out again.
 */
final class DockerEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final List<EngineCandidate> candidates;
  private DockerClient client;
  private String host;
  private String failure;
  private boolean closed;

  DockerEngine(List<EngineCandidate> candidates) {
    this.candidates = List.copyOf(candidates);
  }

  /** The connected client; connects (and pings) on first use. */
  synchronized DockerClient client() {
    if (closed) {
      throw new IllegalStateException("DockerSessions: closed");
    }
    if (client != null) {
      return client;
    }
    if (failure != null) {
      throw new DockerSessionException(DockerSessionException.Reason.ENGINE_UNREACHABLE, failure);
    }
    List<String> attempts = new ArrayList<>();
    for (EngineCandidate candidate : candidates) {
      if (candidate.isMissingSocket()) {
        attempts.add(candidate.describe() + ": socket file not found");
        continue;
      }
      DockerClient attempt = open(candidate);
      try {
        attempt.pingCmd().exec();
        client = attempt;
        host = candidate.host();
        log.debug("Docker engine {} answered", candidate.describe());
        return client;
      } catch (RuntimeException e) {
        attempts.add(candidate.describe() + ": " + describe(e));
        closeQuietly(attempt);
      }
    }
    failure = unreachableMessage(attempts);
    // the exception carries the whole story; logging it too would print it twice in a CLI
    log.debug(failure);
    throw new DockerSessionException(DockerSessionException.Reason.ENGINE_UNREACHABLE, failure);
  }

  synchronized boolean isAvailable() {
    try {
      client();
      return true;
    } catch (DockerSessionException e) {
      return false;
    }
  }

  /** The engine address in use, or the first candidate before connecting. */
  synchronized String host() {
    return host != null ? host : candidates.get(0).host();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client != null) {
      closeQuietly(client);
      client = null;
    }
  }

  private static DockerClient open(EngineCandidate candidate) {
    DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(candidate.host())
        .withDockerTlsVerify(candidate.tlsVerify());
    if (candidate.tlsVerify() && candidate.certPath() != null) {
      config.withDockerCertPath(candidate.certPath());
    }
    DockerClientConfig built = config.build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(built.getDockerHost())
        .sslConfig(built.getSSLConfig())
        .connectionTimeout(CONNECT_TIMEOUT)
        .maxConnections(64)
        .build();
    return DockerClientImpl.getInstance(built, http);
  }

  static String unreachableMessage(List<String> attempts) {
    StringBuilder message = new StringBuilder("No Docker engine reachable. Tried:");
    for (String attempt : attempts) {
      message.append("\n  - ").append(attempt);
    }
    message.append("\nStart a Docker engine (Linux: `sudo systemctl start docker` or `sudo dockerd &`;"
        + " macOS/Windows: Docker Desktop), or set DOCKER_HOST to a running one"
        + " (unix:///path/docker.sock, or tcp://host:2376 with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH).");
    return message.toString();
  }

  /** "Type (message)", plus the root cause when it says more; bare RuntimeException wrappers are skipped. */
  static String describe(Throwable e) {
    Throwable top = e;
    while (top.getClass() == RuntimeException.class && top.getCause() != null) {
      top = top.getCause();
    }
    Throwable root = top;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String first = top.getClass().getSimpleName() + " (" + top.getMessage() + ")";
    return root == top ? first : first + ". Root cause " + root.getClass().getSimpleName() + " (" + root.getMessage() + ")";
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      log.debug("closing Docker client failed", e);
    }
  }
}
