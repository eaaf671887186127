package dev.mux.rules;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parsed configuration file. */
record ConfigFile(
    List<Rule> rules,
    Map<String, PresetOverride> presets,
    Map<String, CommandSpec> commands,
    Map<String, SessionPolicy> sessions,
    Optional<SessionPolicy> defaultPolicy) {

  /** What the file says about a preset: disabled, or enabled with some values overridden. */
  record PresetOverride(boolean enabled, java.util.function.UnaryOperator<Rule.Builder> changes) {}

  static ConfigFile empty() {
    return new ConfigFile(List.of(), Map.of(), Map.of(), Map.of(), Optional.empty());
  }

  static ConfigFile read(Path file) {
    return empty();
  }
}
