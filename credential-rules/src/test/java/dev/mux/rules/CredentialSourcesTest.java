package dev.mux.rules;

import dev.mux.rules.testing.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialSourcesTest {

  @TempDir Path home;
  Path secrets;

  @BeforeEach
  void createSecretsFolder() throws Exception {
    secrets = Files.createDirectory(home.resolve("secrets"));
  }

  private Path writeSecret(String name, String content, String permissions) throws Exception {
    Path file = secrets.resolve(name);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private CredentialSources sources(Map<String, String> env, Map<String, CommandSpec> commands) {
    return new CredentialSources(env, secrets, commands);
  }

  private static CommandSpec sh(String script, Duration timeout) {
    return new CommandSpec(List.of("/bin/sh", "-c", script), timeout);
  }

  @Test
  void environmentComesFirst() throws Exception {
    writeSecret("TOKEN", "from-file", "rw-------");
    CredentialLookup lookup = sources(Map.of("TOKEN", "from-env"),
        Map.of("TOKEN", sh("echo from-command", Duration.ofSeconds(5)))).lookup("TOKEN");

    assertThat(lookup).isEqualTo(new CredentialLookup.Found("TOKEN", Secret.of("from-env"), SourceKind.ENV));
  }

  @Test
  void fileComesSecondAndIsTrimmed() throws Exception {
    writeSecret("TOKEN", "  from-file \n\n", "r--------");
    CredentialLookup lookup = sources(Map.of("TOKEN", " "),
        Map.of("TOKEN", sh("echo from-command", Duration.ofSeconds(5)))).lookup("TOKEN");

    assertThat(lookup).isEqualTo(new CredentialLookup.Found("TOKEN", Secret.of("from-file"), SourceKind.FILE));
  }

  @Test
  void commandComesLast() {
    CredentialLookup lookup = sources(Map.of(), Map.of("TOKEN", sh("printf 'from-command\\n'", Duration.ofSeconds(5))))
        .lookup("TOKEN");

    assertThat(lookup).isEqualTo(new CredentialLookup.Found("TOKEN", Secret.of("from-command"), SourceKind.COMMAND));
  }

  @Test
  void placeholderInEnvironmentIsNoCredentialAndTheFileIsUsed() throws Exception {
    String fromFile = TestTokens.oauth("from-file");
    writeSecret("CLAUDE_CODE_OAUTH_TOKEN", fromFile, "rw-------");
    CredentialLookup lookup = sources(Map.of("CLAUDE_CODE_OAUTH_TOKEN", Placeholders.ANTHROPIC_OAUTH), Map.of())
        .lookup("CLAUDE_CODE_OAUTH_TOKEN");

    assertThat(lookup).isEqualTo(new CredentialLookup.Found(
        "CLAUDE_CODE_OAUTH_TOKEN", Secret.of(fromFile), SourceKind.FILE));
  }

  @Test
  void placeholderInEnvironmentAloneIsMissingAndSaysWhy() {
    CredentialLookup lookup = sources(Map.of("GITHUB_TOKEN", Placeholders.GENERIC), Map.of()).lookup("GITHUB_TOKEN");

    assertThat(lookup).isInstanceOfSatisfying(CredentialLookup.Missing.class, m -> assertThat(m.reason())
        .contains("the environment variable GITHUB_TOKEN holds the mux placeholder, not the real credential"));
  }

  @Test
  void fileReadableByOthersIsRefused() throws Exception {
    Path file = writeSecret("TOKEN", "from-file", "rw-r--r--");

    CredentialLookup lookup = sources(Map.of(), Map.of()).lookup("TOKEN");

    assertThat(lookup).isInstanceOfSatisfying(CredentialLookup.Missing.class, m -> assertThat(m.reason())
        .endsWith("; secret file " + file + " is readable by group or others and was refused: run chmod 600 " + file));
  }

  @Test
  void fileReadableByGroupIsRefusedButCommandStillTried() throws Exception {
    writeSecret("TOKEN", "from-file", "rw-r-----");

    CredentialLookup lookup = sources(Map.of(), Map.of("TOKEN", sh("echo from-command", Duration.ofSeconds(5))))
        .lookup("TOKEN");

    assertThat(lookup).isEqualTo(new CredentialLookup.Found("TOKEN", Secret.of("from-command"), SourceKind.COMMAND));
  }

  @Test
  void emptyFileIsMissing() throws Exception {
    writeSecret("TOKEN", " \n", "rw-------");

    assertThat(sources(Map.of(), Map.of()).lookup("TOKEN")).isInstanceOfSatisfying(CredentialLookup.Missing.class,
        m -> assertThat(m.reason()).endsWith("is empty"));
  }

  @Test
  void slowCommandIsKilledAfterItsTimeout() {
    CredentialLookup lookup = sources(Map.of(), Map.of("TOKEN", sh("sleep 30; echo late", Duration.ofMillis(300))))
        .lookup("TOKEN");

    assertThat(lookup).isInstanceOfSatisfying(CredentialLookup.Missing.class,
        m -> assertThat(m.reason()).endsWith("; command /bin/sh for TOKEN timed out after PT0.3S"));
  }

  @Test
  void failingCommandIsMissingWithItsExitCode() {
    CredentialLookup lookup = sources(Map.of(), Map.of("TOKEN", sh("echo oops-secret-ish >&2; exit 3",
        Duration.ofSeconds(5)))).lookup("TOKEN");

    assertThat(lookup).isInstanceOfSatisfying(CredentialLookup.Missing.class, m -> {
      assertThat(m.reason()).endsWith("; command /bin/sh for TOKEN exited with 3");
      assertThat(m.reason()).doesNotContain("oops");
    });
  }

  @Test
  void missingProgramIsReported() {
    CredentialLookup lookup = sources(Map.of(), Map.of("TOKEN",
        new CommandSpec(List.of("/nonexistent/pass", "show"), Duration.ofSeconds(1)))).lookup("TOKEN");

    assertThat(lookup).isInstanceOfSatisfying(CredentialLookup.Missing.class,
        m -> assertThat(m.reason()).endsWith("; command /nonexistent/pass for TOKEN could not start (IOException)"));
  }

  @Test
  void rotatedSecretIsPickedUpByReload() throws Exception {
    Path file = writeSecret("GITHUB_TOKEN", "old-value", "rw-------");
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of()).build();
    assertThat(rules.decide(TestHeaders.get("api.github.com"))).isInstanceOfSatisfying(Decision.Inject.class,
        i -> assertThat(i.setHeaders()).containsExactly(new HeaderValue("Authorization", "Bearer old-value")));

    Files.writeString(file, "new-value");
    rules.reload();

    assertThat(rules.decide(TestHeaders.get("api.github.com"))).isInstanceOfSatisfying(Decision.Inject.class,
        i -> assertThat(i.setHeaders()).containsExactly(new HeaderValue("Authorization", "Bearer new-value")));
    assertThat(rules.describe()).filteredOn(s -> s.name().equals("github-api")).singleElement()
        .satisfies(s -> assertThat(s.source()).isEqualTo(SourceKind.FILE));
  }

  @Test
  void commandFromBuilderIsUsedAndCachedUntilReload() throws Exception {
    Path counter = home.resolve("runs");
    CredentialRules rules = CredentialRules.builder().home(home).environment(Map.of())
        .credentialCommand("NPM_TOKEN", List.of("/bin/sh", "-c", "echo x >> " + counter + "; echo npm-from-pass"),
            Duration.ofSeconds(5))
        .build();

    for (int i = 0; i < 3; i++) {
      assertThat(rules.decide(TestHeaders.get("registry.npmjs.org"))).isInstanceOf(Decision.Inject.class);
    }
    assertThat(Files.readAllLines(counter)).hasSize(1);
    rules.reload();
    assertThat(Files.readAllLines(counter)).hasSize(2);
    assertThat(rules.describe()).filteredOn(s -> s.name().equals("npm")).singleElement()
        .satisfies(s -> assertThat(s.source()).isEqualTo(SourceKind.COMMAND));
  }
}
