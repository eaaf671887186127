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
  static final String DEFAULT_CONFIG_FILE = CredentialRules.CONFIG_FILE;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Rules config file (TOML; default: rules.toml in the state folder, if present).")
  Path config;

  /** The config file in effect: {@code --config}, else rules.toml in the state folder (may not exist yet). */
  Path configFile(StateFolder state) {
    return config != null ? config : state.dir().resolve(DEFAULT_CONFIG_FILE);
  }

  /**
   * Loads presets, the config file and the credentials; a bad config is an {@link ExitException}.
   * The default file may be absent (presets only; the daemon's watcher picks it up once written);
   * a file named by {@code --config} must be readable.
   */
  CredentialRules load(StateFolder state, Map<String, String> environment) {
    Path file = configFile(state);
    if (config != null && !Files.isReadable(file)) {
      throw new ExitException("config: cannot read " + file + " (check the path and its permissions)");
    }
    try {
      return CredentialRules.builder().home(state.dir()).environment(environment).configFile(file).build();
    } catch (ConfigException e) {
      throw new ExitException(ExitCodes.FAILURE, e.getMessage(), e);
    }
  }
}
