package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AgentSession#attachTerminal()} in a real pseudo-terminal made by {@code script}: keys
 * reach the agent, the window size and a resize are passed on, Ctrl-P Ctrl-Q detaches, and the
 * terminal's settings are restored afterwards.
 */
@Timeout(120)
class TerminalAttachIntegrationTest {
  @RegisterExtension
  static final DockerEngineExtension docker = new DockerEngineExtension();

  @TempDir
  Path tmp;

  @Test
  void attachTheTerminalResizeAndDetach() throws Exception {
    Path workspace = Files.createDirectories(tmp.resolve("w"));
    String name = docker.name("tty");
    try (DockerSessions sessions = docker.sessions(tmp).build();
        AgentSession session = sessions.create(SessionSpec.builder(name)
            .workspace(workspace).env("FAKE_CLAUDE_READ_LINES", "1").build())) {
      session.start();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String child = String.join(" ", quote(java), "-cp", quote(System.getProperty("java.class.path")),
          TerminalAttachMain.class.getName(), name, quote(tmp.resolve("sessions").toString()), quote(docker.image()));
      String shell = "stty rows 50 cols 132; echo BEFORE $(stty -g); " + child + "; echo AFTER $(stty -g)";
      Process script = new ProcessBuilder("script", "-qfec", shell, "/dev/null")
          .redirectErrorStream(true).start();
      WatchedOutput screen = new WatchedOutput();
      pump(script.getInputStream(), screen);
      OutputStream keys = script.getOutputStream();
      try {
        screen.awaitText("PID ", Duration.ofSeconds(30));
        Matcher pid = Pattern.compile("PID (\\d+)").matcher("");
        screen.awaitText("\n", Duration.ofSeconds(5));
        type(keys, "hello\r");
        screen.awaitText("got: hello", Duration.ofSeconds(30));

        type(keys, "size\r");
        screen.awaitText("size: 50 132", Duration.ofSeconds(30));

        assertThat(pid.reset(screen.text()).find()).isTrue();
        Path tty = Path.of("/proc", pid.group(1), "fd", "0");
        Process resize = new ProcessBuilder("stty", "-F", tty.toString(), "rows", "40", "cols", "100")
            .redirectErrorStream(true).start();
        assertThat(resize.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resize.exitValue()).as(new String(resize.getInputStream().readAllBytes())).isZero();
        awaitSize(keys, screen, "size: 40 100");

        keys.write(new byte[] {0x10, 0x11});
        keys.flush();
        screen.awaitText("RESULT Detached[]", Duration.ofSeconds(30));
        screen.awaitText("AFTER ", Duration.ofSeconds(30));
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        script.destroyForcibly();
      }
      List<String> lines = screen.text().lines().toList();
      String before = lines.stream().filter(l -> l.startsWith("BEFORE ")).findFirst().orElseThrow().substring(7).trim();
      String after = lines.stream().filter(l -> l.startsWith("AFTER ")).findFirst().orElseThrow().substring(6).trim();
      assertThat(after).as("terminal settings restored").isEqualTo(before);
      assertThat(session.status()).isEqualTo(new SessionStatus.Running());
    }
  }

  /** The resize arrives asynchronously (SIGWINCH): ask until the agent reports the new size. */
  private static void awaitSize(OutputStream keys, WatchedOutput screen, String expected) throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      type(keys, "size\r");
      try {
        screen.awaitText(expected, Duration.ofMillis(500));
        return;
      } catch (AssertionError notYet) {
        // ask again
      }
    }
    screen.awaitText(expected, Duration.ofSeconds(1));
  }

  private static void type(OutputStream keys, String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  private static void pump(InputStream from, OutputStream to) {
    Thread thread = new Thread(() -> {
      try {
        from.transferTo(to);
      } catch (IOException ignored) {
        // the process ended
      }
    }, "script-output");
    thread.setDaemon(true);
    thread.start();
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
