package dev.mux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MuxTest {
  @Test
  void bareMuxPrintsUsage() {
    MuxRun run = MuxRun.run(Map.of());

    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("Usage: mux", "daemon", "session", "env", "doctor");
  }

  @Test
  void unknownOptionIsAUsageError() {
    MuxRun run = MuxRun.run(Map.of(), "--bogus");

    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("Unknown option: '--bogus'");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] command :
        new String[][] {
          {"daemon"}, {"env"}, {"ca"}, {"ca", "path"}, {"ca", "show"}, {"ca", "export"}, {"audit"},
          {"audit", "tail"}, {"rules"}, {"rules", "list"}, {"doctor"}, {"session"}, {"session", "create"},
          {"session", "list"}, {"session", "attach"}, {"session", "logs"}, {"session", "stop"}, {"session", "delete"}
        }) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      MuxRun run = MuxRun.run(Map.of(), args);
      assertThat(run.status()).as(String.join(" ", args)).isEqualTo(ExitCodes.OK);
      assertThat(run.out()).as(String.join(" ", args)).contains("Usage: mux " + String.join(" ", command));
    }
  }

  @Test
  void badSinceIsAUsageError() {
    MuxRun run = MuxRun.run(Map.of("MUX_HOME", "/nonexistent-mux-home"), "audit", "tail", "--since", "yesterday");

    assertThat(run.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("since: \"yesterday\" (expected:");
  }
}
