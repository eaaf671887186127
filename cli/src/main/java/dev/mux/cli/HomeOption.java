package dev.mux.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home DIR} option shared by the commands that use the state folder. */
final class HomeOption {
  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "State folder (default: $MUX_HOME, else ~/.clauderon).")
  Path home;
}
