package dev.mux.cli;

/** The process exit statuses of {@code mux}; scripts may rely on them. */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int OK = 0;
  /** The command failed; one line on stderr says why and what to do. */
  public static final int FAILURE = 1;
  /** The command line was wrong (unknown option, missing argument). */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
