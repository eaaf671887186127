package dev.mux.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command has: {@code --help}, the writers, the environment. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /** Data goes here. */
  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Messages go here. */
  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Writes one message line to stderr. */
  final void info(String format, Object... args) {
    err().println(String.format(format, args));
    err().flush();
  }

  final Map<String, String> environment() {
    return ((Mux) spec.root().userObject()).environment();
  }
}
