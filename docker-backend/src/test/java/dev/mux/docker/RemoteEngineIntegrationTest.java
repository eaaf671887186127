package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** DOCKER_HOST=tcp://… with and without TLS, against the test engine behind a loopback relay. */
@Timeout(120)
class RemoteEngineIntegrationTest {
  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  @Test
  void plainTcpFromDockerHost() throws Exception {
    try (EngineForwarder forwarder = new EngineForwarder(ServerSocketFactory.getDefault(), docker.dockerHost())) {
      runASessionThrough(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + forwarder.port()), "tcp");
    }
  }

  @Test
  void tlsWithClientCertificateFromDockerTlsVerifyAndCertPath() throws Exception {
    Path certs = tmp.resolve("certs");
    SSLContext server = TestFiles.writeDockerTls(certs);
    try (EngineForwarder forwarder = new EngineForwarder(clientAuth(server.getServerSocketFactory()), docker.dockerHost())) {
      runASessionThrough(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + forwarder.port(),
          "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()), "tls");
    }
  }

  @Test
  void tlsWithoutTheClientMaterialIsRefusedClearly() throws Exception {
    SSLContext server = TestFiles.writeDockerTls(tmp.resolve("certs"));
    try (EngineForwarder forwarder = new EngineForwarder(clientAuth(server.getServerSocketFactory()), docker.dockerHost());
        DockerSessions sessions = docker.sessions(tmp).environment(Map.of(
            "DOCKER_HOST", "tcp://127.0.0.1:" + forwarder.port())).build()) {
      assertThatThrownBy(sessions::list)
          .isInstanceOfSatisfying(DockerSessionException.class,
              e -> assertThat(e.reason()).isEqualTo(DockerSessionException.Reason.ENGINE_UNREACHABLE))
          .hasMessageContaining("DOCKER_HOST tcp://127.0.0.1:" + forwarder.port());
    }
  }

  private void runASessionThrough(Map<String, String> environment, String base) throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve(base));
    try (DockerSessions sessions = docker.sessions(tmp).environment(environment).build()) {
      assertThat(sessions.dockerHost()).startsWith("tcp://127.0.0.1:");
      try (AgentSession print = sessions.create(SessionSpec.builder(docker.name(base + "-print"))
          .workspace(workspace).mode(SessionMode.PRINT).prompt("remote").env("FAKE_CLAUDE_EXIT", "4").build())) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(print.streamUntilExit(out, new ByteArrayOutputStream())).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("arg: remote");
        assertThat(sessions.list()).extracting(SessionInfo::name).contains(print.name());
      }
      try (AgentSession interactive = sessions.create(SessionSpec.builder(docker.name(base + "-attach"))
          .workspace(workspace).env("FAKE_CLAUDE_READ_LINES", "1").build())) {
        interactive.start();
        ScriptedInput in = new ScriptedInput();
        WatchedOutput out = new WatchedOutput();
        CompletableFuture<AttachResult> attached = CompletableFuture.supplyAsync(() -> interactive.attach(in, out));
        in.send("over the wire\n");
        out.awaitText("got: over the wire", Duration.ofSeconds(30));
        in.send("quit\n");
        assertThat(attached.get(30, TimeUnit.SECONDS)).isEqualTo(new AttachResult.Exited(0));
      }
    }
  }

  private static ServerSocketFactory clientAuth(SSLServerSocketFactory factory) {
    return new ServerSocketFactory() {
      @Override
      public java.net.ServerSocket createServerSocket(int port, int backlog, java.net.InetAddress address)
          throws java.io.IOException {
        SSLServerSocket socket = (SSLServerSocket) factory.createServerSocket(port, backlog, address);
        socket.setNeedClientAuth(true);
        return socket;
      }

      @Override
      public java.net.ServerSocket createServerSocket(int port) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.net.ServerSocket createServerSocket(int port, int backlog) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
