package dev.mux.cli;

import picocli.CommandLine.Command;

/** {@code mux session …}: agent sessions as Docker containers wired to the proxy. */
@Command(name = "session", header = "Create, list, attach to, stop and delete agent sessions.")
final class SessionCommand extends CommandGroup {}
