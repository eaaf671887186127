package dev.mux.rules;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.List;

/** A command whose standard output is a credential, e.g. {@code ["pass", "show", "github"]}. */
record CommandSpec(List<String> command, Duration timeout) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  CommandSpec {
    command = List.copyOf(command);
    checkArgument(!command.isEmpty(), "command: [] (expected: a program and its arguments)");
    checkArgument(!timeout.isNegative() && !timeout.isZero(), "timeout: %s (expected: > 0)", timeout);
  }
}
