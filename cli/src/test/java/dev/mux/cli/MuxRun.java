package dev.mux.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs {@code mux} in-process with captured output, as picocli's testing guide does. */
record MuxRun(int status, String out, String err) {
  static MuxRun run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Mux.getCommandLine(new PrintWriter(out, true), new PrintWriter(err, true), environment).execute(args);
    return new MuxRun(status, out.toString(), err.toString());
  }
}
