package dev.mux.docker;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.mux.docker.testing.TestImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Docker engine for integration tests. Missing engine = FAILED test, never skipped: the
 * failure says how to start one. Every container a test class creates carries the label
 * {@code dev.mux.test=<run id>}, and all of them are removed after the class.
 */
final class DockerEngineExtension implements BeforeAllCallback, AfterAllCallback {
  static final String TEST_LABEL = "dev.mux.test";

  private static final Map<String, String> BUILT = new ConcurrentHashMap<>();

  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private DockerEngine engine;
  private String image;

  @Override
  public void beforeAll(ExtensionContext context) {
    engine = new DockerEngine(EngineCandidate.discover(null, System.getenv(), Path.of(System.getProperty("user.home"))));
    try {
      engine.client();
    } catch (DockerSessionException e) {
      fail("These tests need a running Docker engine and none answered. Start one with "
          + "`.ci/install-docker.sh` (or `sudo dockerd &`), or set DOCKER_HOST.\n" + e.getMessage());
    }
    image = agentImage(engine.host(), true);
  }

  /**
   * The tests' agent image on {@code dockerHost}: {@code /usr/local/bin/claude} is
   * {@code fake-claude.sh}; its {@code wget} fetches through the proxy (from busybox, or from the
   * host when busybox is not {@code allowed} or absent). Built once per engine.
   */
  static String agentImage(String dockerHost, boolean busyboxAllowed) {
    return BUILT.computeIfAbsent(dockerHost + " " + busyboxAllowed, key -> TestImage.builder("mux-test-agent")
        .dockerHost(dockerHost)
        .busybox(busyboxAllowed && !Boolean.getBoolean(TestImage.NO_BUSYBOX_PROPERTY))
        .file("usr/local/bin/claude", fakeClaude(), 0755)
        .hostTools("wget")
        .build());
  }

  private static byte[] fakeClaude() {
    try (InputStream in = DockerEngineExtension.class.getResourceAsStream("/fake-claude.sh")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (engine == null) {
      return;
    }
    try {
      DockerClient client = engine.client();
      List<Container> leftovers = client.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(TEST_LABEL, runId)).exec();
      for (Container container : leftovers) {
        client.removeContainerCmd(container.getId()).withForce(true).exec();
      }
    } catch (RuntimeException e) {
      // the engine is gone; nothing left to clean
    } finally {
      engine.close();
    }
  }

  /** A raw client, to check what the library did. */
  DockerClient client() {
    return engine.client();
  }

  /** Where the test engine answers, e.g. {@code unix:///var/run/docker.sock}. */
  String dockerHost() {
    return engine.host();
  }

  String image() {
    return image;
  }

  String runId() {
    return runId;
  }

  /** Session names unique to this run, so parallel or leftover runs never collide. */
  String name(String base) {
    return base + "-" + runId;
  }

  /** A builder wired for tests: the test image, the run label, files under {@code tmp}. */
  DockerSessions.Builder sessions(Path tmp) {
    return DockerSessions.builder()
        .image(image)
        .label(TEST_LABEL, runId)
        .sessionsDirectory(tmp.resolve("sessions"))
        .stopTimeout(java.time.Duration.ofSeconds(20));
  }
}
