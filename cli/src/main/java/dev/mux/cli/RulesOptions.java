package dev.mux.cli;

import dev.mux.rules.ConfigException;
import dev.mux.rules.CredentialRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option and how the rule set is built from it and the state folder. */
final class RulesOptions {
  /** The config file used when {@code --config} is absent and this file exists in the state folder. */
  static final String DEFAULT_CONFIG_FILE = "config.toml";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Rules config file (TOML; default: config.toml in the state folder, if present).")
  Path config;

  /** The config file in effect, or null for presets only. */
  Path configFile(StateFolder state) {
    if (config != null) {
      return config;
    }
    Path fallback = state.dir().resolve(DEFAULT_CONFIG_FILE);
    return Files.exists(fallback) ? fallback : null;
  }

  /** Loads presets, the config file and the credentials; a bad config is an {@link ExitException}. */
  CredentialRules load(StateFolder state, Map<String, String> environment) {
    Path file = configFile(state);
    if (file != null && !Files.isReadable(file)) {
      throw new ExitException("config: cannot read " + file + " (check the path and its permissions)");
    }
    try {
      CredentialRules.Builder builder = CredentialRules.builder().home(state.dir()).environment(environment);
      if (file != null) {
        builder.configFile(file);
      }
      return builder.build();
    } catch (ConfigException e) {
      throw new ExitException(ExitCodes.FAILURE, e.getMessage(), e);
    }
  }
}
