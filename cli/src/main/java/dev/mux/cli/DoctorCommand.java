package dev.mux.cli;

import picocli.CommandLine.Command;

/** {@code mux doctor}: diagnose the common issues. */
@Command(name = "doctor", header = "Check the setup and explain how to fix what is wrong.")
final class DoctorCommand extends BaseCommand {
  @Override
  public Integer call() {
    return ExitCodes.OK;
  }
}
