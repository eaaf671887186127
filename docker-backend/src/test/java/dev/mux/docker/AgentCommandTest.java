package dev.mux.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentCommandTest {
  @Test
  void claudeInteractive() {
    assertThat(AgentCommand.claude().commandLine(SessionMode.INTERACTIVE, "fix it"))
        .containsExactly("claude", "--dangerously-skip-permissions", "fix it");
  }

  @Test
  void claudePrint() {
    assertThat(AgentCommand.claude().commandLine(SessionMode.PRINT, "fix it"))
        .containsExactly("claude", "--dangerously-skip-permissions", "--print", "--verbose", "fix it");
  }

  @Test
  void promptStaysOneArgumentWhateverItHolds() {
    String prompt = "a 'b' \"c\" $(d) `e`\nf";
    assertThat(AgentCommand.claude().commandLine(SessionMode.INTERACTIVE, prompt)).last().isEqualTo(prompt);
  }

  @Test
  void noPromptAddsNoArgument() {
    assertThat(AgentCommand.claude().commandLine(SessionMode.INTERACTIVE, null))
        .containsExactly("claude", "--dangerously-skip-permissions");
    assertThat(AgentCommand.claude().commandLine(SessionMode.INTERACTIVE, ""))
        .containsExactly("claude", "--dangerously-skip-permissions");
  }

  @Test
  void otherAgents() {
    AgentCommand codex = AgentCommand.of("codex", "--yolo").withPrintArguments("exec");
    assertThat(codex.commandLine(SessionMode.PRINT, "p")).containsExactly("codex", "--yolo", "exec", "p");
    assertThat(codex.commandLine(SessionMode.INTERACTIVE, "p")).containsExactly("codex", "--yolo", "p");
  }

  @Test
  void emptyCommandIsRefused() {
    assertThatThrownBy(AgentCommand::of)
        .hasMessage("command: [] (expected: at least the program to run)");
  }
}
