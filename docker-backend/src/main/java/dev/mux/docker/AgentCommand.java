package dev.mux.docker;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's command line. The prompt is always appended as ONE argument of an exec-form command,
 * never through a shell, so quotes, {@code $()}, backticks, newlines and any Unicode text reach
 * the agent exactly as given.
 *
 * <p>{@link #claude()} is the default: {@code claude --dangerously-skip-permissions '<prompt>'},
 * and in {@link SessionMode#PRINT} mode {@code claude --dangerously-skip-permissions --print
 * --verbose '<prompt>'}. Other agents run the same way with {@link #of(String...)}.
 */
public final class AgentCommand {
  private final List<String> command;
  private final List<String> printArguments;

  private AgentCommand(List<String> command, List<String> printArguments) {
    this.command = List.copyOf(command);
    this.printArguments = List.copyOf(printArguments);
  }

  /** Claude Code: {@code claude --dangerously-skip-permissions}, print mode adds {@code --print --verbose}. */
  public static AgentCommand claude() {
    return new AgentCommand(
        List.of("claude", "--dangerously-skip-permissions"), List.of("--print", "--verbose"));
  }

  /** Any agent: the command and its fixed arguments; print mode adds nothing until {@link #withPrintArguments}. */
  public static AgentCommand of(String... command) {
    requireNonNull(command, "command");
    if (command.length == 0) {
      throw new IllegalArgumentException("command: [] (expected: at least the program to run)");
    }
    for (String part : command) {
      requireNonNull(part, "command part");
    }
    return new AgentCommand(List.of(command), List.of());
  }

  /** A copy that adds {@code arguments} (before the prompt) in {@link SessionMode#PRINT} mode. */
  public AgentCommand withPrintArguments(String... arguments) {
    return new AgentCommand(command, List.of(arguments));
  }

  /** The exec-form command line for {@code mode}; an empty or absent prompt adds no argument. */
  public List<String> commandLine(SessionMode mode, String prompt) {
    requireNonNull(mode, "mode");
    List<String> line = new ArrayList<>(command);
    if (mode == SessionMode.PRINT) {
      line.addAll(printArguments);
    }
    if (prompt != null && !prompt.isEmpty()) {
      line.add(prompt);
    }
    return List.copyOf(line);
  }

  @Override
  public String toString() {
    return "AgentCommand" + command + " print" + printArguments;
  }
}
