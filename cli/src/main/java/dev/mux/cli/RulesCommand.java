package dev.mux.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mux rules list}: the effective rules, with credential presence but never a value. */
@Command(
    name = "rules",
    header = "Show the credential rules in effect.",
    subcommands = RulesCommand.ListCommand.class)
final class RulesCommand extends CommandGroup {

  @Command(
      name = "list",
      header = "List the effective rules: presets and the config file's, credential present yes/no and its source.",
      description = {
        "Never prints a credential value. A preset is active only when its credential is present;",
        "a configured rule is always active. While a daemon runs, the list is the daemon's (it reads",
        "credentials from its own environment); --local shows what a daemon started from this shell",
        "would see. Config reference: credential-rules/README.md.",
        ""
      })
  static final class ListCommand extends BaseCommand {
    private static final String FORMAT = "%-18s %-26s %5s %-24s %-7s %-7s %-6s %-7s %s%n";

    @Mixin HomeOption home;
    @Mixin RulesOptions rulesOptions;

    @Option(names = "--local", description = "Load the rules in this process, from this shell's environment.")
    boolean local;

    @Override
    public Integer call() {
      StateFolder state = StateFolder.resolve(home, environment());
      Optional<DaemonInfo> daemon =
          local || rulesOptions.config != null
              ? Optional.empty()
              : DaemonInfo.readLive(state).filter(d -> d.rules() != null);
      List<RuleRow> rows;
      if (daemon.isPresent()) {
        info("rules: as the running daemon (pid %d) sees them; --local for this shell's view", daemon.get().pid());
        rows = daemon.get().rules();
      } else {
        Path config = rulesOptions.configFile(state);
        rows = RuleRow.of(rulesOptions.load(state, environment()).describe());
        info("rules: presets%s %s; credentials as this shell sees them", Files.exists(config) ? " and" : " only; no",
            config);
      }
      out().printf(FORMAT, "RULE", "HOST", "PORT", "CREDENTIAL", "PRESENT", "SOURCE", "ACTIVE", "ORIGIN", "NOTE");
      for (RuleRow rule : rows) {
        out().printf(
            FORMAT,
            rule.name(),
            rule.host(),
            rule.port(),
            rule.credential(),
            rule.present() ? "yes" : "no",
            rule.source(),
            rule.active() ? "yes" : "no",
            rule.preset() ? "preset" : "config",
            rule.note());
      }
      out().flush();
      return ExitCodes.OK;
    }
  }
}
