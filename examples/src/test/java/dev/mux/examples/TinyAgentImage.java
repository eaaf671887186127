package dev.mux.examples;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A two-megabyte agent image for the Docker example, built on the local engine without any
 * registry: {@code FROM scratch} plus the host's static busybox. A missing engine or busybox
 * fails the test (with what to do), never skips it.
 */
final class TinyAgentImage {
  static final String NAME = "mux-examples-agent:latest";

  private TinyAgentImage() {}

  /** Builds {@link #NAME} (cached by the engine after the first time) and returns it. */
  static synchronized String build(Path scratchDir) throws IOException {
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isExecutable(busybox)) {
      fail("The Docker example needs a static busybox at /bin/busybox to build its image: "
          + "run .ci/install-docker.sh (or apt-get install busybox-static).");
    }
    Path context = Files.createDirectories(scratchDir.resolve("image"));
    Files.copy(busybox, context.resolve("busybox"));
    Files.writeString(context.resolve("Dockerfile"), String.join("\n",
        "FROM scratch",
        "COPY busybox /bin/busybox",
        "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]",
        ""));

    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    try (ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost()).build();
        DockerClient docker = DockerClientImpl.getInstance(config, http)) {
      try {
        docker.pingCmd().exec();
      } catch (RuntimeException e) {
        fail("The Docker example needs a running Docker engine at " + config.getDockerHost()
            + " and none answered: run .ci/install-docker.sh, or set DOCKER_HOST. (" + e + ")");
      }
      docker.buildImageCmd(context.toFile()).withTags(Set.of(NAME)).exec(new BuildImageResultCallback())
          .awaitImageId();
    }
    return NAME;
  }
}
