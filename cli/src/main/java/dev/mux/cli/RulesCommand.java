package dev.mux.cli;

import dev.mux.rules.CredentialRules;
import dev.mux.rules.RuleStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
        "a configured rule is always active. Config reference: credential-rules/README.md.",
        ""
      })
  static final class ListCommand extends BaseCommand {
    private static final String FORMAT = "%-18s %-26s %5s %-24s %-7s %-7s %-6s %-7s %s%n";

    @Mixin HomeOption home;
    @Mixin RulesOptions rulesOptions;

    @Override
    public Integer call() {
      StateFolder state = StateFolder.resolve(home, environment());
      CredentialRules rules = rulesOptions.load(state, environment());
      Path config = rulesOptions.configFile(state);
      info("rules: presets%s %s", Files.exists(config) ? " and" : " only; no", config);
      out().printf(FORMAT, "RULE", "HOST", "PORT", "CREDENTIAL", "PRESENT", "SOURCE", "ACTIVE", "ORIGIN", "NOTE");
      for (RuleStatus rule : rules.describe()) {
        String note =
            rule.problem()
                .orElse(rule.upstream().map(u -> "upstream " + u.host() + ":" + u.port()).orElse(""));
        out().printf(
            FORMAT,
            rule.name(),
            rule.host(),
            rule.port(),
            rule.credential(),
            rule.present() ? "yes" : "no",
            rule.source().name().toLowerCase(java.util.Locale.ROOT),
            rule.active() ? "yes" : "no",
            rule.preset() ? "preset" : "config",
            note);
      }
      out().flush();
      return ExitCodes.OK;
    }
  }
}
