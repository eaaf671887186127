package dev.mux.cli;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mux rules list} from the real jar, with secrets in the environment and in files. */
class RulesListIT {
  private static final String ENV_SECRET = TestTokens.oauth("rules-list-env");
  private static final String FILE_SECRET = "npm_rulesListItFILEsecret";
  private static final String CONFIG_SECRET = "corp-rules-list-it-CONFIG-secret";

  @TempDir Path home;

  @Test
  void showsPresenceAndSourceOfEveryRuleButNoValue() throws Exception {
    Path secrets = Files.createDirectories(home.resolve("secrets"));
    for (var secret : Map.of("NPM_TOKEN", FILE_SECRET, "CORP_TOKEN", CONFIG_SECRET).entrySet()) {
      Path file = Files.writeString(secrets.resolve(secret.getKey()), secret.getValue() + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    Files.writeString(home.resolve("rules.toml"), String.join("\n",
        "[[rule]]",
        "name = \"corp\"",
        "host = \"api.corp.example\"",
        "credential = \"CORP_TOKEN\"",
        "",
        "[[rule]]",
        "name = \"corp-missing\"",
        "host = \"other.corp.example\"",
        "credential = \"CORP_OTHER_TOKEN\"",
        ""));

    MuxJar.Result list =
        MuxJar.run(Map.of("MUX_HOME", home.toString(), "CLAUDE_CODE_OAUTH_TOKEN", ENV_SECRET), "rules", "list");

    assertThat(list.status()).as(list.err()).isZero();
    assertThat(list.out())
        .containsPattern("anthropic +api\\.anthropic\\.com +443 +CLAUDE_CODE_OAUTH_TOKEN +yes +env +yes +preset")
        .containsPattern("npm +registry\\.npmjs\\.org +443 +NPM_TOKEN +yes +file +yes +preset")
        .containsPattern("github-api +api\\.github\\.com +443 +GITHUB_TOKEN +no +none +no +preset")
        .containsPattern("corp +api\\.corp\\.example +443 +CORP_TOKEN +yes +file +yes +config")
        .containsPattern("corp-missing +other\\.corp\\.example +443 +CORP_OTHER_TOKEN +no +none +yes +config");
    assertThat(list.err()).contains("rules: presets and " + home.resolve("rules.toml"));
    assertThat(list.all()).doesNotContain(ENV_SECRET).doesNotContain(FILE_SECRET).doesNotContain(CONFIG_SECRET);
  }

  @Test
  void showsTheRunningDaemonsCredentialsNotTheCallingShells() {
    try (MuxJar.Background daemon = MuxJar.Background.start(
        Map.of("MUX_HOME", home.toString(), "CLAUDE_CODE_OAUTH_TOKEN", ENV_SECRET),
        "daemon", "--port", "0", "--bind", "127.0.0.1")) {
      daemon.awaitListening(home);

      // the other terminal of the journey: no token in its environment
      MuxJar.Result list = MuxJar.run(Map.of("MUX_HOME", home.toString()), "rules", "list");

      assertThat(list.status()).as(list.err()).isZero();
      assertThat(list.err()).contains("rules: as the running daemon (pid");
      assertThat(list.out())
          .containsPattern("anthropic +api\\.anthropic\\.com +443 +CLAUDE_CODE_OAUTH_TOKEN +yes +env +yes +preset");
      assertThat(list.all() + daemon.stdout() + daemon.stderr()).doesNotContain(ENV_SECRET);
    }
  }
}
