package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container really reaches a proxy on the host at host.docker.internal, and presents its
 * session name and proxy credential: a fake proxy bound to the Docker bridge address (only)
 * receives the request a tool in the container sends through {@code http_proxy}.
 */
@Timeout(120)
class ProxyWiringIntegrationTest {
  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  @Test
  void toolsInTheContainerReachTheHostProxyWithTheSessionCredential() throws Exception {
    InetAddress bridge = dockerBridgeAddress();
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    String name = docker.name("wired");
    try (ServerSocket proxy = new ServerSocket(0, 5, bridge);
        DockerSessions sessions = docker.sessions(tmp).proxyPort(proxy.getLocalPort()).build()) {
      CompletableFuture<List<String>> request = CompletableFuture.supplyAsync(() -> answerOnce(proxy));
      try (AgentSession session = sessions.create(SessionSpec.builder(name).workspace(workspace)
          .mode(SessionMode.PRINT).prompt("fetch").proxyCredential("cred-123")
          .env("FAKE_CLAUDE_FETCH", "http://upstream.invalid/some/path").build())) {
        assertThat(session.start().waitForExit()).isZero();
      }
      List<String> head = request.get(30, TimeUnit.SECONDS);
      assertThat(head.get(0)).isEqualTo("GET http://upstream.invalid/some/path HTTP/1.1");
      String basic = Base64.getEncoder().encodeToString((name + ":cred-123").getBytes(StandardCharsets.UTF_8));
      assertThat(head).contains("Proxy-Authorization: Basic " + basic);
      assertThat(TestFiles.read(workspace.resolve(".fake-claude/fetched"))).isEqualTo("hello");
    }
  }

  private static List<String> answerOnce(ServerSocket proxy) {
    try (Socket client = proxy.accept()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
      List<String> head = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.add(line);
      }
      OutputStream out = client.getOutputStream();
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return head;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The host's address on docker0, which host-gateway maps host.docker.internal to. */
  private static InetAddress dockerBridgeAddress() throws Exception {
    NetworkInterface docker0 = NetworkInterface.getByName("docker0");
    assertThat(docker0).as("the docker0 bridge (this test needs a local engine)").isNotNull();
    return docker0.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst()
        .orElseThrow(() -> new AssertionError("docker0 has no IPv4 address"));
  }
}
