package dev.mux.cli;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mux.rules.Placeholders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole system with real parts: a Docker engine, the real Claude Code CLI in a locally built
 * image, the real daemon, and a fake Anthropic API over TLS that answers only to the real OAuth
 * token. Needs a Docker engine (it fails, never skips, without one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeDockerIT {
  private static final String REAL_TOKEN = TestTokens.oauth("docker-e2e");

  private final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
  private final List<String> sessions = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();
  private Path home;
  private Path workspace;
  private FakeAnthropic fake;
  private MuxJar.Background daemon;
  private String image;

  @BeforeAll
  void startEverything() throws Exception {
    image = AgentImage.ensureBuilt();
    home = Files.createTempDirectory("mux-e2e-home");
    workspace = Files.createTempDirectory("mux-e2e-workspace");
    Path work = Files.createTempDirectory("mux-e2e-work");
    // No claude.json of our own: the daemon writes mux's default, and sessions must not stop at
    // Claude Code's first-run questions (onboarding, workspace trust, bypass-permissions warning).
    fake = FakeAnthropic.start(REAL_TOKEN);
    daemon = fake.startDaemon(home, work); // default bind: loopback and the Docker bridge
    daemon.awaitListening(home);
    assertThat(daemon.stderr()).containsPattern("listening on 127\\.0\\.0\\.1:\\d+, 172\\.17\\.0\\.1:\\d+");
  }

  @AfterAll
  void stopEverything() {
    for (String name : sessions) {
      mux("session", "delete", name);
    }
    if (daemon != null) {
      daemon.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  private Map<String, String> environment() {
    // No real token here: session commands never need it.
    return Map.of("MUX_HOME", home.toString(), "MUX_IMAGE", image);
  }

  private MuxJar.Result mux(String... args) {
    MuxJar.Result result = MuxJar.run(environment(), args);
    outputs.add(result.all());
    return result;
  }

  @Test
  void printSessionAnswersWithTheRealTokenInjectedAndLeavesNoTrace() throws Exception {
    String name = "e2e-print-" + suffix;
    sessions.add(name);

    MuxJar.Result create = mux("session", "create", "--name", name, "--print", "--prompt", "Say hello",
        "--workspace", workspace.toString(), "--env", "MUX_E2E_MARK=from the user");

    assertThat(create.status()).as(create.err()).isZero();
    assertThat(create.out()).contains(FakeAnthropic.ANSWER);
    assertThat(create.err()).contains("session " + name + ": creating container mux-" + name + " …",
        "session " + name + ": running the agent; its answer follows …").doesNotContain("warning");
    assertThat(containerEnvironment(name)).containsEntry("MUX_E2E_MARK", "from the user");
    assertThat(fake.unauthorized).isEmpty();
    assertAuditInjected(name);
    assertThat(mux("session", "logs", name).out()).contains(FakeAnthropic.ANSWER);
    MuxJar.Result list = mux("session", "list", "--json");
    assertThat(list.out()).contains("\"name\" : \"" + name + "\"", "\"status\" : \"exited(0)\"", "\"mode\" : \"print\"");
    assertTokenNotInContainer(name);
    assertTokenNowhereOnHost();
  }

  @Test
  void printSessionExitsWithTheAgentsOwnExitCode() {
    String failing = dev.mux.docker.testing.TestImage.builder("mux-e2e-exit3")
        .file("usr/local/bin/claude", "#!/bin/sh\necho \"agent ran: $*\"\nexit 3\n".getBytes(StandardCharsets.US_ASCII), 0755)
        .build();
    String name = "e2e-exit-" + suffix;
    sessions.add(name);

    MuxJar.Result create = mux("session", "create", "--name", name, "--print", "--prompt", "fail please",
        "--workspace", workspace.toString(), "--image", failing);

    assertThat(create.status()).as(create.err()).isEqualTo(3);
    assertThat(create.out()).contains("agent ran: --dangerously-skip-permissions --print --verbose fail please");
    assertThat(create.err()).contains("session " + name + ": the agent exited with 3");
  }

  @Test
  void sessionCreateRefusesToOverrideWhatMuxSets() {
    MuxJar.Result create = mux("session", "create", "--name", "e2e-override-" + suffix, "--prompt", "hi",
        "--workspace", workspace.toString(), "--env", "HTTPS_PROXY=http://elsewhere:3128");

    assertThat(create.status()).as(create.err()).isEqualTo(2);
    assertThat(create.err()).contains("HTTPS_PROXY").doesNotContain("elsewhere:3128");
    assertThat(mux("session", "list").out()).doesNotContain("e2e-override-" + suffix);
  }

  @Test
  void interactiveSessionCanBeAttachedAnswersAndIsDetached() throws Exception {
    String name = "e2e-chat-" + suffix;
    sessions.add(name);
    MuxJar.Result create = mux("session", "create", "--name", name, "--prompt", "Say hello",
        "--workspace", workspace.toString());
    assertThat(create.status()).as(create.err()).isZero();
    assertThat(create.err()).contains("attach with: mux session attach " + name);
    MuxJar.await("the session's first answer (audit)", Duration.ofSeconds(60), () -> auditHasMessages(name));

    // As a person would: in a terminal (a pseudo-terminal from `script`), so the agent's TUI has a size.
    String attachCommand = "stty cols 120 rows 40; exec " + String.join(" ", MuxJar.command("session", "attach", name));
    try (MuxJar.Background attach = MuxJar.Background.startCommand(
        environment(), true, List.of("script", "-qfc", attachCommand, "/dev/null"))) {
      MuxJar.await("attached", Duration.ofSeconds(30), () -> attach.stdout().contains("attached to " + name));
      int answersBefore = messageCount(name);
      type(attach, "Say hello again");
      type(attach, "\r");
      try {
        MuxJar.await("a second answer through the attachment", Duration.ofSeconds(60),
            () -> messageCount(name) > answersBefore && visibleText(attach.stdout()).replaceAll("\\s", "").contains("fakeAnthropicAPI"));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; requests before/now: " + answersBefore + "/" + messageCount(name)
            + "; attach stderr: " + attach.stderr() + "; screen: " + visibleText(attach.stdout()), e);
      }
      attach.input().write(new byte[] {0x10, 0x11}); // Ctrl-P Ctrl-Q
      attach.input().flush();

      assertThat(attach.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(attach.stdout()).contains("detached from " + name);
      outputs.add(attach.stdout() + attach.stderr());
    }
    assertThat(mux("session", "list").out()).containsPattern(name + " +running +interactive");
    assertAuditInjected(name);
    assertTokenNotInContainer(name);
    assertTokenNotInProcesses(name);

    MuxJar.Result stop = mux("session", "stop", name);

    assertThat(stop.status()).as(stop.err()).isZero();
    assertThat(mux("session", "list").out()).containsPattern(name + " +exited\\(\\d+\\) +interactive");
    assertTokenNowhereOnHost();
  }

  @Test
  void deletedSessionsCredentialIsRefused() throws Exception {
    String name = "e2e-delete-" + suffix;
    MuxJar.Result create = mux("session", "create", "--name", name, "--print", "--prompt", "Say hello",
        "--workspace", workspace.toString());
    assertThat(create.status()).as(create.err()).isZero();
    String proxyUrl = containerEnvironment(name).get("HTTPS_PROXY");
    int port = DaemonInfo.read(StateFolder.at(home)).orElseThrow().port();
    String hostProxy = proxyUrl.replace("host.docker.internal", "127.0.0.1").replaceFirst(":\\d+$", ":" + port);
    List<String> curl = List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_connect}", "--proxy", hostProxy,
        "--cacert", home.resolve("proxy-ca.pem").toString(), "https://api.anthropic.com/v1/ping");
    assertThat(MuxJar.exec(Map.of(), curl, Duration.ofSeconds(30)).out()).isEqualTo("200");

    MuxJar.Result delete = mux("session", "delete", name);

    assertThat(delete.status()).as(delete.err()).isZero();
    assertThat(delete.err()).contains("proxy credential is revoked");
    assertThat(MuxJar.exec(Map.of(), curl, Duration.ofSeconds(30)).out()).isEqualTo("407");
    assertThat(mux("session", "list").out()).doesNotContain(name);
  }

  /** The screen text without terminal escape sequences (TUIs move the cursor instead of printing spaces). */
  static String visibleText(String terminalOutput) {
    return terminalOutput.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("\u001b\\][^\u0007]*\u0007", "");
  }

  private static void type(MuxJar.Background process, String text) throws IOException {
    process.input().write(text.getBytes(StandardCharsets.UTF_8));
    process.input().flush();
  }

  private boolean auditHasMessages(String name) {
    return messageCount(name) > 0;
  }

  private int messageCount(String name) {
    return (int) MuxJar.run(environment(), "audit", "tail", "--json", "-n", "0", "--session", name).out().lines()
        .filter(l -> l.contains("\"path\":\"/v1/messages\"")).count();
  }

  private void assertAuditInjected(String name) {
    MuxJar.await("audit records of " + name, Duration.ofSeconds(10), () -> auditHasMessages(name));
    MuxJar.Result audit = mux("audit", "tail", "--session", name, "-n", "0");
    assertThat(audit.out()).containsPattern(name + " +POST +api\\.anthropic\\.com +/v1/messages +200 +yes +inject");
    MuxJar.Result json = mux("audit", "tail", "--json", "--session", name, "-n", "0");
    assertThat(json.out().lines().filter(l -> l.contains("\"path\":\"/v1/messages\"")))
        .allSatisfy(l -> assertThat(l).contains("\"auth_injected\":true"));
  }

  private Map<String, String> containerEnvironment(String name) {
    MuxJar.Result inspect = MuxJar.exec(Map.of(),
        List.of("docker", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", "mux-" + name),
        Duration.ofSeconds(30));
    Map<String, String> environment = new HashMap<>();
    inspect.out().lines().filter(l -> l.contains("=")).forEach(l -> environment.put(
        l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return environment;
  }

  private void assertTokenNotInContainer(String name) throws Exception {
    MuxJar.Result inspect = MuxJar.exec(Map.of(), List.of("docker", "inspect", "mux-" + name), Duration.ofSeconds(30));
    assertThat(inspect.status()).isZero();
    assertThat(inspect.out()).doesNotContain(REAL_TOKEN).contains(Placeholders.ANTHROPIC_OAUTH);
    // Every file of the container (image plus its writable layer), streamed and searched.
    Process export = new ProcessBuilder("docker", "export", "mux-" + name).redirectErrorStream(true).start();
    try (InputStream in = export.getInputStream()) {
      assertThat(contains(in, REAL_TOKEN.getBytes(StandardCharsets.US_ASCII))).as("token in container files").isFalse();
    }
    assertThat(export.waitFor()).isZero();
  }

  private void assertTokenNotInProcesses(String name) {
    MuxJar.Result processes = MuxJar.exec(Map.of(), List.of("docker", "exec", "mux-" + name, "sh", "-c",
        "ps; cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' '\\n'"), Duration.ofSeconds(30));
    assertThat(processes.status()).as(processes.err()).isZero();
    assertThat(processes.out()).contains("claude").contains(Placeholders.ANTHROPIC_OAUTH).doesNotContain(REAL_TOKEN);
  }

  private void assertTokenNowhereOnHost() throws IOException {
    assertThat(String.join("\n", outputs)).doesNotContain(REAL_TOKEN);
    assertThat(daemon.stdout() + daemon.stderr()).doesNotContain(REAL_TOKEN);
    for (Path folder : List.of(home, workspace)) {
      try (var files = Files.walk(folder)) {
        files.filter(Files::isRegularFile)
            .forEach(f -> assertThat(MuxJar.read(f)).as(f.toString()).doesNotContain(REAL_TOKEN));
      }
    }
  }

  /** Streams {@code in} looking for {@code needle} (KMP-free: overlap kept between chunks). */
  static boolean contains(InputStream in, byte[] needle) throws IOException {
    byte[] buffer = new byte[1 << 16];
    byte[] window = new byte[buffer.length + needle.length];
    int carried = 0;
    int read;
    while ((read = in.read(buffer)) > 0) {
      System.arraycopy(buffer, 0, window, carried, read);
      int length = carried + read;
      if (indexOf(window, length, needle) >= 0) {
        return true;
      }
      carried = Math.min(needle.length - 1, length);
      System.arraycopy(window, length - carried, window, 0, carried);
    }
    return false;
  }

  private static int indexOf(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
