package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Running the agent: the prompt arrives intact, print mode streams and returns the code, attach works. */
@Timeout(120)
class AgentRunIntegrationTest {
  static final String NASTY_PROMPT = "it's \"quoted\" $(touch /tmp/pwned) `id` $HOME ${PATH}\n"
      + "second line\ttab; rm -rf / && echo done | cat > x\n"
      + "unicode: déjà vu — 日本語 🚀 \\ backslash '\"'";

  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  @Test
  void promptWithQuotesSubstitutionsNewlinesAndUnicodeArrivesAsOneArgument() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("quoting"))
            .workspace(workspace).mode(SessionMode.PRINT).prompt(NASTY_PROMPT).build())) {
      assertThat(session.start().waitForExit()).isZero();
      assertThat(TestFiles.argv(workspace))
          .containsExactly("--dangerously-skip-permissions", "--print", "--verbose", NASTY_PROMPT);
      assertThat(tmp.resolve("w/x")).doesNotExist();
    }
  }

  @Test
  void interactiveCommandHasNoPrintFlags() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("interactive-cmd"))
            .workspace(workspace).prompt("do it").build())) {
      assertThat(session.start().waitForExit()).isZero();
      assertThat(TestFiles.argv(workspace)).containsExactly("--dangerously-skip-permissions", "do it");
    }
  }

  @Test
  void printModeStreamsStdoutAndStderrApartAndReturnsTheExitCode() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("print"))
            .workspace(workspace).mode(SessionMode.PRINT).prompt("say hi")
            .env("FAKE_CLAUDE_EXIT", "3").build())) {
      int exitCode = session.streamUntilExit(out, err);
      assertThat(exitCode).isEqualTo(3);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("fake-claude: 4 arguments", "arg: --print", "arg: say hi")
          .doesNotContain("stderr");
      assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("fake-claude: this line goes to stderr\n");
      assertThat(session.status()).isEqualTo(new SessionStatus.Exited(3));
    }
  }

  @Test
  void printModeOutputArrivesWhileTheAgentStillRuns() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    WatchedOutput out = new WatchedOutput();
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("stream"))
            .workspace(workspace).mode(SessionMode.PRINT).prompt("p")
            .env("FAKE_CLAUDE_SLEEP", "600").build())) {
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
          () -> session.streamUntilExit(out, new ByteArrayOutputStream()));
      out.awaitText("arg: p", Duration.ofSeconds(30));
      assertThat(exit).isNotDone();
      session.stop(Duration.ofSeconds(20));
      assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(143);
    }
  }

  @Test
  void logsReplayOutputAfterTheFact() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("logs"))
            .workspace(workspace).mode(SessionMode.PRINT).prompt("again").build())) {
      session.start().waitForExit();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      session.logs(out, err);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("arg: again");
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("stderr");
    }
  }

  @Test
  void attachSendsStdinAndEndsWithTheExitCode() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    ScriptedInput in = new ScriptedInput();
    WatchedOutput out = new WatchedOutput();
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("attach"))
            .workspace(workspace).env("FAKE_CLAUDE_READ_LINES", "1").env("FAKE_CLAUDE_EXIT", "7").build())) {
      session.start();
      CompletableFuture<AttachResult> attached = CompletableFuture.supplyAsync(() -> session.attach(in, out));
      in.send("hello from stdin\n");
      out.awaitText("got: hello from stdin", Duration.ofSeconds(30));
      in.send("quit\n");
      assertThat(attached.get(30, TimeUnit.SECONDS)).isEqualTo(new AttachResult.Exited(7));
    }
  }

  @Test
  void ctrlPCtrlQDetachesAndTheSameSessionCanBeReattached() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("reattach"))
            .workspace(workspace).env("FAKE_CLAUDE_READ_LINES", "1").env("FAKE_CLAUDE_EXIT", "5").build())) {
      session.start();
      ScriptedInput first = new ScriptedInput();
      WatchedOutput firstOut = new WatchedOutput();
      CompletableFuture<AttachResult> firstAttach = CompletableFuture.supplyAsync(() -> session.attach(first, firstOut));
      first.send("one\n");
      firstOut.awaitText("got: one", Duration.ofSeconds(30));
      first.send((byte) 0x10, (byte) 0x11);
      assertThat(firstAttach.get(30, TimeUnit.SECONDS)).isEqualTo(new AttachResult.Detached());
      assertThat(session.status()).isEqualTo(new SessionStatus.Running());

      // a new client, as after a restart of the program
      try (DockerSessions again = docker.sessions(tmp).build()) {
        ScriptedInput second = new ScriptedInput();
        WatchedOutput secondOut = new WatchedOutput();
        CompletableFuture<AttachResult> secondAttach =
            CompletableFuture.supplyAsync(() -> again.session(session.name()).attach(second, secondOut));
        second.send("two\n");
        secondOut.awaitText("got: two", Duration.ofSeconds(30));
        second.send("quit\n");
        assertThat(secondAttach.get(30, TimeUnit.SECONDS)).isEqualTo(new AttachResult.Exited(5));
        assertThat(secondOut.text()).doesNotContain("got: one");
      }
    }
  }

  @Test
  void attachingToAnExitedSessionReportsItsExitCode() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(docker.name("attach-exited"))
            .workspace(workspace).env("FAKE_CLAUDE_EXIT", "9").build())) {
      assertThat(session.start().waitForExit()).isEqualTo(9);
      assertThat(session.attach(new ScriptedInput(), new ByteArrayOutputStream()))
          .isEqualTo(new AttachResult.Exited(9));
    }
  }
}
